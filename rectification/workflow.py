"""The rectification item state machine: the one place that moves an item between states.

States (RectificationItem.Status): open → in_progress → close_requested → closed, and back
from close_requested to in_progress when the reviewer sends the request back (DESIGN:
"Closing an item (销号) needs evidence and the reviewer's approval"; 004).

Every allowed move is a row of TRANSITIONS on the one transition engine (access.transitions):
`transition()` checks the state, the person (access.policy) and the guards (progress text,
evidence, a reason), then changes the item and writes the audit row (DESIGN rule 10: 留痕)
inside one transaction with the item row locked. A refused move raises TransitionRefused
with a plain Chinese reason.
"""

from functools import partial

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from access.transitions import Machine, Transition, TransitionRefused, reason_given  # noqa: F401 (TransitionRefused re-exported)
from audit.models import AuditEntry
from audit.services import change
from core import clock
from rectification.models import ProgressUpdate, RectificationItem

Status = RectificationItem.Status
OPEN, IN_PROGRESS, CLOSE_REQUESTED, CLOSED = Status.OPEN, Status.IN_PROGRESS, Status.CLOSE_REQUESTED, Status.CLOSED



_UNIT = gettext_lazy("本单位联络员或上级领导小组办公室")
_LIAISON = gettext_lazy("本单位联络员")
_REVIEWER = gettext_lazy("审核方（督导组或上级领导小组办公室）")

def progress_described(item, inputs):
    """A progress report says what progressed (003: 及时公布整改情况)."""
    return [] if (inputs.get("text") or "").strip() else [_("请填写整改进展。")]


def evidence_given(item, inputs):
    """Closing needs evidence (004: 销号须有佐证材料)."""
    return [] if (inputs.get("evidence") or "").strip() else [_("申请销号须提交佐证材料，请说明整改成效并列出佐证材料。")]


TRANSITIONS = (
    Transition("progress", (OPEN, IN_PROGRESS), IN_PROGRESS, "update", _UNIT, gettext_lazy("报告进展"),
               guards=(progress_described,)),
    Transition("request_close", (OPEN, IN_PROGRESS), CLOSE_REQUESTED, "request_close", _LIAISON, gettext_lazy("申请销号"),
               guards=(evidence_given,)),
    Transition("approve_close", (CLOSE_REQUESTED,), CLOSED, "approve_close", _REVIEWER, gettext_lazy("同意销号")),
    Transition("reject_close", (CLOSE_REQUESTED,), IN_PROGRESS, "reject_close", _REVIEWER, gettext_lazy("退回整改"),
               guards=(reason_given(gettext_lazy("退回整改时必须说明理由。")),)),
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


MACHINE = Machine(RectificationItem, TRANSITIONS, _STATE_REASONS)
available_actions = MACHINE.available_actions
# The state and the person, before a posted form is read (its guards come with the form's values).
precheck = partial(MACHINE.check, guards=False)


def transition(item, action, user, *, text="", evidence="", reason=""):
    """Move `item` by `action` on behalf of `user`; returns the updated item.

    - progress: a ProgressUpdate with `text`; an open item becomes in progress.
    - request_close: the liaison asks to close the item with `evidence` (required).
    - approve_close: the reviewer closes it (closed_by, closed_at).
    - reject_close: the reviewer sends it back to in progress with `reason` (required).
    """
    text, evidence = (text or "").strip(), (evidence or "").strip()

    def effect(locked, rule, inputs):
        if action == "progress":
            update = ProgressUpdate.objects.create(item=locked, text=text, author=user)
            return {"progress": change(None, update.text)}, None
        if action == "request_close":
            before, locked.evidence = locked.evidence, evidence
            return ({"evidence": change(before, evidence)} if before != evidence else {}), None
        if action == "approve_close":
            locked.closed_by, locked.closed_at = user, clock.now()
            return {"closed_by": change(None, user), "closed_at": change(None, locked.closed_at)}, None
        return {}, None

    return MACHINE.run(item, action, user, reason=reason, inputs={"text": text, "evidence": evidence}, effect=effect,
                       lock_related=("plan__unit",))


def last_returns(items):
    """{item id: the trail's entry of the latest 退回整改} for those of `items` in progress again: why
    the reviewer sent the close request back, shown until the unit asks again (the item page's
    reason box, the to-do's next step)."""
    return AuditEntry.objects.latest_for(RectificationItem, [i.pk for i in items if i.status == IN_PROGRESS], "reject_close")
