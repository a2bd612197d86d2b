"""Allowed status transitions as data, checked the same way for every state machine.

An app lists its moves as `Transition` rows and the plain-language reason for each refused
(action, state) pair; `StateMachine.check` then answers, in this order: is the action
known, is it allowed from the current state (else the reason a liaison understands), and
may this user do it (`access.rules.can`, else a 403 naming who may). The obligation
workflow (campaign/workflow.py) and the rectification item workflow
(rectification/workflow.py) are built on it; each writes its own audit rows (DESIGN rule 10).
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from access.policy import can


class TransitionRefused(Exception):
    """A refused transition; `message` says why. `forbidden` marks a missing permission (HTTP 403)."""

    def __init__(self, message, forbidden=False):
        super().__init__(str(message))
        self.message = str(message)
        self.forbidden = forbidden


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple
    target: str
    permission: str  # the action asked of access.rules.can()
    who: str  # who may trigger it, for pages and the docs
    label: str
    states: type  # the TextChoices the states belong to

    @property
    def source_labels(self):
        return [self.states(state).label for state in self.sources]

    @property
    def target_label(self):
        return self.states(self.target).label


class StateMachine:
    def __init__(self, transitions, refusals):
        self.transitions = tuple(transitions)
        self.by_action = {t.action: t for t in self.transitions}
        self.refusals = refusals

    def available_actions(self, obj, user):
        """The transitions `user` may trigger on `obj` right now (for showing forms)."""
        return [t.action for t in self.transitions if obj.status in t.sources and can(user, t.permission, obj)]

    def check(self, obj, action, user):
        """Raise TransitionRefused unless `user` may do `action` to `obj` in its current state."""
        rule = self.by_action.get(action)
        if rule is None:
            raise TransitionRefused(_("未知的操作：%(action)s") % {"action": action})
        if obj.status not in rule.sources:
            raise TransitionRefused(self.refusals.get((action, obj.status), gettext_lazy("当前状态下不能执行此操作。")))
        if not can(user, rule.permission, obj):
            raise TransitionRefused(
                _("您无权执行“%(label)s”：只有%(who)s可以执行。") % {"label": rule.label, "who": rule.who}, forbidden=True
            )
        return rule
