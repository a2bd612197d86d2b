"""The rectification item state machine: the one place that moves an item between states.

States (RectificationItem.Status): open → in_progress → close_requested → closed, and back
from close_requested to in_progress when the reviewer sends the request back (DESIGN:
"Closing an item (销号) needs evidence and the reviewer's approval"; 004).

Every allowed move is a row of TRANSITIONS; `transition()` checks the table, the input the
move needs and `access.rules.can()`, then changes the item and writes the audit row (DESIGN
rule 10: 留痕) inside one transaction with the item row locked. A refused move raises
TransitionRefused with a plain Chinese reason.
"""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from access.transitions import StateMachine, Transition, TransitionRefused  # noqa: F401 (re-exported)
from audit.services import record
from core import clock
from rectification.models import ProgressUpdate, RectificationItem

Status = RectificationItem.Status
OPEN, IN_PROGRESS, CLOSE_REQUESTED, CLOSED = Status.OPEN, Status.IN_PROGRESS, Status.CLOSE_REQUESTED, Status.CLOSED



_UNIT = gettext_lazy("本单位联络员或上级领导小组办公室")
_LIAISON = gettext_lazy("本单位联络员")
_REVIEWER = gettext_lazy("审核方（督导组或上级领导小组办公室）")

TRANSITIONS = (
    Transition("progress", (OPEN, IN_PROGRESS), IN_PROGRESS, "update", _UNIT, gettext_lazy("报告进展"), Status),
    Transition("request_close", (OPEN, IN_PROGRESS), CLOSE_REQUESTED, "request_close", _LIAISON, gettext_lazy("申请销号"), Status),
    Transition("approve_close", (CLOSE_REQUESTED,), CLOSED, "approve_close", _REVIEWER, gettext_lazy("同意销号"), Status),
    Transition("reject_close", (CLOSE_REQUESTED,), IN_PROGRESS, "reject_close", _REVIEWER, gettext_lazy("退回整改"), Status),
)

# Why an action is refused in a given state, in words a liaison understands.
_STATE_REASONS = {
    ("progress", CLOSE_REQUESTED): gettext_lazy("已申请销号，正在等待审核，审核前不能更新进展。"),
    ("progress", CLOSED): gettext_lazy("该事项已销号，不能再更新进展。"),
    ("request_close", CLOSE_REQUESTED): gettext_lazy("已申请销号，正在等待审核，不能重复申请。"),
    ("request_close", CLOSED): gettext_lazy("该事项已销号。"),
    ("approve_close", OPEN): gettext_lazy("单位尚未申请销号，不能同意销号。"),
    ("approve_close", IN_PROGRESS): gettext_lazy("单位尚未申请销号，不能同意销号。"),
    ("approve_close", CLOSED): gettext_lazy("该事项已销号，无需再次同意。"),
    ("reject_close", OPEN): gettext_lazy("单位尚未申请销号，无可退回。"),
    ("reject_close", IN_PROGRESS): gettext_lazy("单位尚未申请销号，无可退回。"),
    ("reject_close", CLOSED): gettext_lazy("该事项已销号，不能退回。"),
}


MACHINE = StateMachine(TRANSITIONS, _STATE_REASONS)
available_actions = MACHINE.available_actions
check = MACHINE.check


def check_input(action, text, evidence, reason):
    """What each action needs besides the right state and person."""
    if action == "progress" and not text:
        raise TransitionRefused(_("请填写整改进展。"))
    if action == "request_close" and not evidence:
        raise TransitionRefused(_("申请销号须提交佐证材料，请说明整改成效并列出佐证材料。"))
    if action == "reject_close" and not reason:
        raise TransitionRefused(_("退回整改时必须说明理由。"))


def transition(item, action, user, *, text="", evidence="", reason=""):
    """Move `item` by `action` on behalf of `user`; returns the refreshed item.

    - progress: a ProgressUpdate with `text`; an open item becomes in progress.
    - request_close: the liaison asks to close the item with `evidence` (required).
    - approve_close: the reviewer closes it (closed_by, closed_at).
    - reject_close: the reviewer sends it back to in progress with `reason` (required).
    """
    text, evidence, reason = (text or "").strip(), (evidence or "").strip(), (reason or "").strip()
    with transaction.atomic():
        locked = RectificationItem.objects.select_for_update(of=("self",)).select_related("plan__unit").get(pk=item.pk)
        rule = check(locked, action, user)
        check_input(action, text, evidence, reason)
        from_state = locked.status
        changes = {}
        if action == "progress":
            update = ProgressUpdate.objects.create(item=locked, text=text, author=user)
            changes = {"progress_update": update.pk}
        elif action == "request_close":
            if evidence != locked.evidence:
                changes = {"evidence": {"before": locked.evidence, "after": evidence}}
            locked.evidence = evidence
        elif action == "approve_close":
            locked.closed_by = user
            locked.closed_at = clock.now()
            changes = {"closed_by": str(user), "closed_at": locked.closed_at.isoformat()}
        locked.status = rule.target
        locked.save()
        record(locked, action, actor=user, from_state=from_state, to_state=rule.target, changes=changes,
               reason=reason or text)
        if action in {"approve_close", "reject_close"}:
            notify_liaisons(locked, action, reason)
    return locked


def notify_liaisons(item, action, reason):
    """Tell the unit's liaisons what the reviewer decided, and why."""
    from notifications.inbox import notify_unit_liaisons

    titles = {
        "approve_close": _("整改事项“%(problem)s”已销号"),
        "reject_close": _("整改事项“%(problem)s”的销号申请被退回，请继续整改"),
    }
    title = titles[action] % {"problem": str(item)}
    notify_unit_liaisons(item.plan.unit, title, reason, item.get_absolute_url())
