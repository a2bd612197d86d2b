"""Feedback to a unit on the one transition engine (access.transitions): drafted by any member of
the group, delivered only once the leader signs it off (001: 给督导单位反馈的意见，要集体研究，
不能个人擅自答复; DESIGN rule 9).

States: draft (草稿) → pending (待组长签发) → signed off (已签发); the leader may refuse with a
reason, which sends it back to draft.
"""

from django.utils.translation import gettext_lazy

from access.transitions import Machine, Transition, reason_given
from audit.services import change
from core import clock
from supervision.models import Feedback

DRAFT, PENDING, SIGNED_OFF = Feedback.Status.DRAFT, Feedback.Status.PENDING, Feedback.Status.SIGNED_OFF
_MEMBER = gettext_lazy("本督导组成员")
_LEADER = gettext_lazy("本督导组组长（001：反馈意见要集体研究，不能个人擅自答复）")

TRANSITIONS = (
    Transition("request_sign_off", (DRAFT,), PENDING, "request_sign_off", _MEMBER, gettext_lazy("提请签发")),
    Transition("sign_off", (PENDING,), SIGNED_OFF, "sign_off", _LEADER, gettext_lazy("签发")),
    Transition("refuse_sign_off", (PENDING,), DRAFT, "sign_off", _LEADER, gettext_lazy("不予签发"),
               guards=(reason_given(gettext_lazy("不予签发时必须说明理由。")),)),
)
_ONLY_PENDING = gettext_lazy("只有待签发的反馈意见才能签发或退回。")
_STATE_REASONS = {
    ("request_sign_off", PENDING): gettext_lazy("已提请组长签发，等待签发。"),
    ("request_sign_off", SIGNED_OFF): gettext_lazy("反馈意见已签发，不能再提请签发。"),
    ("sign_off", DRAFT): _ONLY_PENDING,
    ("sign_off", SIGNED_OFF): _ONLY_PENDING,
    ("refuse_sign_off", DRAFT): _ONLY_PENDING,
    ("refuse_sign_off", SIGNED_OFF): _ONLY_PENDING,
}
MACHINE = Machine(Feedback, TRANSITIONS, _STATE_REASONS)


def transition(feedback, action, user, reason=""):
    """Move `feedback` by `action` for `user`; returns the updated feedback."""

    def effect(locked, rule, inputs):
        if action == "request_sign_off":
            before, locked.refusal_reason = locked.refusal_reason, ""
            return ({"refusal_reason": change(before, "")} if before else {}), None
        if action == "sign_off":
            locked.signed_off_by, locked.signed_off_at = user, clock.now()
            return {"signed_off_by": change(None, user), "signed_off_at": change(None, locked.signed_off_at)}, None
        before, locked.refusal_reason = locked.refusal_reason, inputs["reason"]
        return {"refusal_reason": change(before, locked.refusal_reason)}, None

    return MACHINE.run(feedback, action, user, reason=reason, effect=effect)
