"""One transition engine for every stateful thing: obligations, rectification items, feedback,
meetings and look-back reports (DESIGN rule 10: every state change keeps who, when and why).

An app describes its state machine as data: `Transition` rows (which action moves from which
states to which state, which permission of access.policy it needs, who may do it in words,
and the guards that must hold) and, for each refused (action, state) pair, the reason in
words the person understands. `Machine.run()` then, inside one transaction with the row
locked:

1. checks the state (refusal: the reason for that state),
2. checks the permission with access.policy.can (refusal: 403, naming who may),
3. checks the guards: named functions ``guard(obj, inputs)`` returning the sentences of
   what is missing (a phase gate, a required reason, evidence ...); all of them are shown,
4. applies the app's effect (new versions, timestamps) and the target state,
5. writes one audit row (audit.services.record_transition) with the fixed schema,
6. sends `transitioned` so that other apps (notifications) can react in the same transaction.

A transition from NEW creates its row (a unit's request): `Machine.start()` asks the permission
of the row the new one hangs on and otherwise does the same, in the same order.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.dispatch import Signal
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from access.policy import can
from audit import vocabulary
from audit.services import record_transition

# sender: the model class; kwargs: obj, transition, actor, reason, changes.
transitioned = Signal()

# The source state of a transition that creates its row (a request): see Machine.start.
NEW = ""


class TransitionRefused(Exception):
    """A refused transition; `message` says why. `forbidden` marks a missing permission (HTTP 403)."""

    def __init__(self, message, forbidden=False, missing=()):
        super().__init__(str(message))
        self.message = str(message)
        self.forbidden = forbidden
        self.missing = list(missing)


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple
    target: str
    permission: str  # the action asked of access.policy.can()
    who: str  # who may trigger it, in words (shown when someone else tries)
    label: str  # the verb people read (buttons, the audit trail)
    guards: tuple = field(default=())  # guard(obj, inputs) -> [sentences of what is missing]


@dataclass(frozen=True)
class DescribedTransition:
    label: str
    source_labels: list
    target_label: str
    who: str


class Machine:
    def __init__(self, model, transitions, refusals, *, state_field="status"):
        self.model = model
        self.transitions = tuple(transitions)
        self.by_action = {t.action: t for t in self.transitions}
        self.refusals = refusals
        self.state_field = state_field
        # The trail names each move with its verb and reads the states from state_field.
        vocabulary.register_machine(self)

    @property
    def states(self):
        return self.model._meta.get_field(self.state_field).choices

    def labels(self):
        """{action: verb} for the audit trail."""
        return {t.action: t.label for t in self.transitions}

    def described(self):
        """The transitions in words, for the pages: verb, from which states, to which, who may."""
        names = {NEW: gettext_lazy("（新建）"), **dict(self.states)}
        return [
            DescribedTransition(t.label, [names[state] for state in t.sources], names[t.target], t.who)
            for t in self.transitions
        ]

    def state_of(self, obj):
        return getattr(obj, self.state_field)

    def sources(self, action):
        return self.by_action[action].sources

    def available_actions(self, obj, user):
        """The transitions `user` may trigger on `obj` in its current state (for showing forms)."""
        return [t.action for t in self.transitions if self.state_of(obj) in t.sources and can(user, t.permission, obj)]

    def missing(self, obj, action, inputs=None):
        """What the guards of `action` still miss for `obj`, as sentences (empty: nothing)."""
        rule = self.by_action[action]
        found = []
        for guard in rule.guards:
            found.extend(guard(obj, inputs or {}))
        return found

    def check(self, obj, action, user, inputs=None, guards=True):
        """Raise TransitionRefused unless `user` may do `action` to `obj` now; returns the Transition."""
        rule = self.by_action.get(action)
        if rule is None:
            raise TransitionRefused(_("未知的操作：%(action)s") % {"action": action})
        if self.state_of(obj) not in rule.sources:
            raise TransitionRefused(self.refusals.get((action, self.state_of(obj)), gettext_lazy("当前状态下不能执行此操作。")))
        if not can(user, rule.permission, obj):
            raise TransitionRefused(
                _("您无权执行“%(label)s”：只有%(who)s可以执行。") % {"label": rule.label, "who": rule.who}, forbidden=True
            )
        if guards:
            missing = self.missing(obj, action, inputs)
            if missing:
                raise TransitionRefused(" ".join(str(m) for m in missing), missing=missing)
        return rule

    def run(self, obj, action, user, *, reason="", inputs=None, effect=None, lock_related=()):
        """Move `obj` by `action` for `user`; returns the locked, updated object.

        `effect(locked, rule, inputs)` applies what the move does besides the state and returns
        ``(changes, target)``: audit changes in the fixed schema and the target state (None:
        the transition's own).
        """
        inputs = dict(inputs or {})
        reason = (reason or "").strip()
        inputs.setdefault("reason", reason)
        with transaction.atomic():
            locked = (
                self.model._default_manager.select_for_update(of=("self",)).select_related(*lock_related).get(pk=obj.pk)
            )
            rule = self.check(locked, action, user, inputs)
            from_state = self.state_of(locked)
            changes, target = effect(locked, rule, inputs) if effect else ({}, None)
            target = target or rule.target
            setattr(locked, self.state_field, target)
            locked.save()
            record_transition(
                locked, action, actor=user, from_state=from_state, to_state=target, changes=changes, reason=reason
            )
            transitioned.send(sender=self.model, obj=locked, transition=rule, actor=user, reason=reason, changes=changes)
        return locked

    def check_start(self, parent, action, user):
        """Raise TransitionRefused unless `user` may start a row by `action` on `parent` (the row
        it hangs on, of which the permission is asked); returns the Transition."""
        rule = self.by_action.get(action)
        if rule is None or NEW not in rule.sources:
            raise TransitionRefused(_("未知的操作：%(action)s") % {"action": action})
        if not can(user, rule.permission, parent):
            raise TransitionRefused(
                _("您无权执行“%(label)s”：只有%(who)s可以执行。") % {"label": rule.label, "who": rule.who}, forbidden=True
            )
        return rule

    def start(self, obj, action, user, *, parent_field, reason="", inputs=None, effect=None):
        """Create `obj` (unsaved) by `action`, a transition from NEW, for `user`; returns it saved.

        The row `obj` hangs on (its `parent_field`) is locked for the transaction and put back on
        `obj`, so that two requests at the same moment are taken one after the other and the
        guards read it as it is now; the permission is asked of that row (the new one has none
        yet). Then, as in run(): the guards, `effect(obj, rule, inputs)`, the target state, one
        audit row (from NEW) and `transitioned`.
        """
        inputs = dict(inputs or {})
        reason = (reason or "").strip()
        inputs.setdefault("reason", reason)
        with transaction.atomic():
            parent = getattr(obj, parent_field)
            locked = type(parent)._default_manager.select_for_update(of=("self",)).get(pk=parent.pk)
            setattr(obj, parent_field, locked)
            rule = self.check_start(locked, action, user)
            missing = self.missing(obj, action, inputs)
            if missing:
                raise TransitionRefused(" ".join(str(m) for m in missing), missing=missing)
            changes, target = effect(obj, rule, inputs) if effect else ({}, None)
            target = target or rule.target
            setattr(obj, self.state_field, target)
            obj.save()
            record_transition(obj, action, actor=user, from_state=NEW, to_state=target, changes=changes, reason=reason)
            transitioned.send(sender=self.model, obj=obj, transition=rule, actor=user, reason=reason, changes=changes)
        return obj


def reason_given(message):
    """A guard: the person must say why (a return, a refusal, a reopening)."""

    def guard(obj, inputs):
        return [] if (inputs.get("reason") or "").strip() else [message]

    guard.__name__ = "reason_given"
    return guard
