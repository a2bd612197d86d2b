"""A unit's request for more time on one obligation (延期申请), on the one transition engine
(access.transitions), for the pages and the admin alike.

States (campaign.models.ExtensionRequest.Status): (new) → 待审批 → 已批准 / 未批准.

- request: a liaison of the unit, while the obligation waits for the unit (campaign.status.open_q,
  rule "request_extension"), asks for a later due moment with a reason; the moment must lie after
  the due moment in force and after now (rule 3: deadlines are moments, and only ahead). At most
  one request per obligation waits for a decision (the model's conditional unique constraint).
- grant: whoever decides on the report (rule "decide_extension": the office it is submitted to,
  for units in its subtree; on the supervision-first route the unit's supervision group, 004)
  moves the obligation's own due moment through campaign.event_deadlines.move_due (audited on
  the obligation); reminders and overdue follow, as they key on that moment (campaign.status,
  notifications.sweep).
- refuse: the same people, with a reason; the due moment stays.

Every move writes the request's audit row and sends access.transitions.transitioned.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from access.transitions import NEW, Machine, Transition, TransitionRefused, reason_given
from audit.services import change
from campaign.event_deadlines import move_due
from campaign.models import ExtensionRequest, Obligation
from campaign.status import OPEN_STATUSES
from core import clock
from core.templatetags.core_tags import format_moment

PENDING, GRANTED, REFUSED = ExtensionRequest.Status.PENDING, ExtensionRequest.Status.GRANTED, ExtensionRequest.Status.REFUSED

_LIAISON = gettext_lazy("本单位联络员（报送任务待报送或已退回时）")
_DECIDER = gettext_lazy("审核方（报送至的领导小组办公室；先报督导组审核的，为该单位的督导组）")


def obligation_waits_for_unit(request, inputs):
    """Only an obligation still waiting for the unit can be given more time (campaign.status)."""
    obligation = request.obligation
    if obligation.status not in OPEN_STATUSES:
        return [_("报送任务当前为“%(status)s”，不在待报送或已退回状态，无需延期。")
                % {"status": obligation.get_status_display()}]
    return []


def requested_moment_ahead(request, inputs):
    """The requested moment lies after the due moment in force and after now (rule 3)."""
    requested, due_at = request.requested_due_at, request.obligation.due_at
    if requested is None:
        return [_("请填写申请延至的日期。")]
    if due_at is None:
        return [_("截止时间尚待确定（从会议召开之日起算），暂无需申请延期。")]
    if requested <= due_at:
        return [_("申请延至的时间须晚于现行截止时间（%(due)s）。") % {"due": format_moment(due_at)}]
    if requested <= clock.now():
        return [_("申请延至的时间不能早于现在。")]
    return []


def no_other_pending_request(request, inputs):
    """The model's conditional unique constraint, asked before saving, in its own words."""
    constraint = next(c for c in ExtensionRequest._meta.constraints if c.name == "one_pending_extension_per_obligation")
    try:
        constraint.validate(ExtensionRequest, request)
    except ValidationError as exc:
        return list(exc.messages)
    return []


TRANSITIONS = (
    Transition("request", (NEW,), PENDING, "request_extension", _LIAISON, gettext_lazy("申请延期"),
               guards=(reason_given(gettext_lazy("申请延期时必须说明理由。")), obligation_waits_for_unit,
                       requested_moment_ahead, no_other_pending_request)),
    Transition("grant", (PENDING,), GRANTED, "decide", _DECIDER, gettext_lazy("批准延期"),
               guards=(obligation_waits_for_unit, requested_moment_ahead)),
    Transition("refuse", (PENDING,), REFUSED, "decide", _DECIDER, gettext_lazy("不予批准延期"),
               guards=(reason_given(gettext_lazy("不予批准时必须说明理由。")),)),
)
_DECIDED = gettext_lazy("该延期申请已审批，不能再次审批。")
_STATE_REASONS = {
    ("grant", GRANTED): _DECIDED,
    ("grant", REFUSED): _DECIDED,
    ("refuse", GRANTED): _DECIDED,
    ("refuse", REFUSED): _DECIDED,
}
MACHINE = Machine(ExtensionRequest, TRANSITIONS, _STATE_REASONS)


def may_request(obligation, user):
    """Whether `user` may ask for more time on `obligation` now (the form is shown): the person
    and the state; the guards are asked of the posted values."""
    try:
        MACHINE.check_start(obligation, "request", user)
    except TransitionRefused:
        return False
    return obligation.due_at is not None


def precheck_request(obligation, user):
    """The person, before a posted form is even read (a refusal says who may)."""
    return MACHINE.check_start(obligation, "request", user)


def precheck_decision(request, action, user):
    """The state and the person of a decision, before its form is read."""
    return MACHINE.check(request, action, user, guards=False)


def request_extension(obligation, *, requested_due_at, reason, actor):
    """A liaison asks for `requested_due_at` on `obligation` with `reason`; returns the request
    (TransitionRefused: not the unit's liaison or the obligation not open (forbidden), a missing
    reason, a moment not ahead, another request still pending)."""
    request = ExtensionRequest(
        obligation=obligation, requested_due_at=requested_due_at, reason=(reason or "").strip(), requested_by=actor,
    )

    def effect(new, rule, inputs):
        new.previous_due_at, new.requested_at = new.obligation.due_at, clock.now()
        return {"requested_due_at": change(new.previous_due_at, new.requested_due_at)}, None

    return MACHINE.start(request, "request", actor, parent_field="obligation", reason=reason, effect=effect)


def decide_extension(request, action, *, actor, reason=""):
    """Grant or refuse (`action`) a pending request; returns the decided request. A grant moves the
    obligation's due moment to the requested one (move_due: audited on the obligation as
    "extension_granted"); a refusal needs `reason` and moves nothing."""
    if action not in {"grant", "refuse"}:
        raise TransitionRefused(_("未知的操作：%(action)s") % {"action": action})

    def effect(locked, rule, inputs):
        now = clock.now()
        locked.decided_by, locked.decided_at, locked.decision_reason = actor, now, inputs["reason"]
        changes = {"decided_by": change(None, actor), "decided_at": change(None, now)}
        if action == "grant":
            obligation = locked.obligation
            move_due([obligation], lambda _o: locked.requested_due_at, actor=actor, action="extension_granted",
                     reason=_("批准延期申请：%(reason)s") % {"reason": locked.reason})
            changes["due_at"] = change(obligation.due_at, locked.requested_due_at)
        return changes, None

    with transaction.atomic():
        # The obligation first, then the request (the order request_extension takes them in).
        list(Obligation.objects.select_for_update().filter(pk=request.obligation_id).values_list("pk", flat=True))
        return MACHINE.run(request, action, actor, reason=reason, effect=effect, lock_related=("obligation",))


def pending_for(user):
    """The requests waiting for `user`'s decision, oldest first."""
    return (
        ExtensionRequest.objects.restrict(user, "decide").pending()
        .select_related("obligation__unit", "obligation__requirement__directive", "requested_by")
        .order_by("requested_at", "pk")
    )
