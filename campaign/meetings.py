"""A unit's meetings (001, 003, 000): planned, prepared, then recorded as held once its phase
gate opens (campaign.gates), on the one transition engine (access.transitions).

States: planned (筹备中) → held (已召开). Preparation (the planned date, the talks, notes) may be
edited while planned; once held, the meeting is part of the record and changes no more.
"""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from access.policy import can
from access.transitions import Machine, Transition, TransitionRefused
from audit.services import change, created, record_change, snapshot
from campaign import signals
from campaign.event_deadlines import first_held_on, settle_event_deadlines
from campaign.gates import phase_gates_open
from campaign.models import Meeting
from core import clock
from core.templatetags.core_tags import format_day

PLANNED, HELD = Meeting.Status.PLANNED, Meeting.Status.HELD
PREPARATION_FIELDS = ["planned_on", "talks_logged", "notes"]


def held_date_given(meeting, inputs):
    """A meeting is held on a day that has come (no date in the future)."""
    held_on = inputs.get("held_on")
    if held_on is None:
        return [_("请填写召开日期。")]
    if held_on > clock.today():
        return [_("召开日期不能晚于今天。")]
    return []


TRANSITIONS = (
    Transition("record_held", (PLANNED,), HELD, "record", gettext_lazy("本单位联络员或上级领导小组办公室"),
               gettext_lazy("记录召开"), guards=(held_date_given, phase_gates_open)),
)
MACHINE = Machine(Meeting, TRANSITIONS, {("record_held", HELD): gettext_lazy("会议已记录为召开。")})


def planning_refusals(meeting):
    """Why `meeting` (unsaved, its unit, kind, phase and planned date set) may not be registered:
    a meeting has a planned date and a phase, and a unit holds one meeting of each kind per phase
    (003: the democratic life meeting of 查摆问题、开展批评, the summary meeting of 总结, 000)
    unless an office over it allowed another (allowed_by, with its reason: 002 回炉). The
    database backs the last with the constraint one_meeting_per_kind_and_phase."""
    missing = []
    if meeting.planned_on is None:
        missing.append(_("请填写计划日期。"))
    if meeting.phase_id is None:
        missing.append(_("请选择会议所属环节。"))
    elif meeting.allowed_by_id is None:
        earlier = (Meeting.objects.filter(unit_id=meeting.unit_id, kind=meeting.kind, phase_id=meeting.phase_id)
                   .exclude(pk=meeting.pk).order_by("planned_on").first())
        if earlier is not None:
            missing.append(
                _("本单位在“%(phase)s”环节已登记%(kind)s（计划%(day)s）；同一环节每类会议只开一次，"
                  "如需另开，须由上级领导小组办公室准许并说明理由。")
                % {"phase": meeting.phase.name, "kind": earlier.get_kind_display(), "day": format_day(earlier.planned_on)}
            )
    return missing


@transaction.atomic
def plan_meeting(meeting, *, unit, actor, allowed_reason=None):
    """Register a meeting the unit is going to hold (planning_refusals says when it may not:
    TransitionRefused, nothing saved). With `allowed_reason`, an office over the unit allows it
    another meeting of a kind it already has in the phase (002: 不合标准的要抓紧“回炉”), its
    name and reason kept on the meeting and in the trail."""
    # The unit is locked: two registrations at the same moment are taken one after the other.
    unit = type(unit)._default_manager.select_for_update().get(pk=unit.pk)
    meeting.unit, meeting.status, meeting.held_on = unit, PLANNED, None
    if allowed_reason is not None:
        if not can(actor, "manage", unit):
            raise TransitionRefused(_("只有上级领导小组办公室可以准许另开会议。"), forbidden=True)
        if not allowed_reason.strip():
            raise TransitionRefused(_("准许另开会议时必须说明理由。"))
        meeting.allowed_by, meeting.allowed_reason = actor, allowed_reason.strip()
    missing = planning_refusals(meeting)
    if missing:
        raise TransitionRefused(" ".join(str(sentence) for sentence in missing), missing=missing)
    meeting.save()
    fields = ["kind", "phase", "status", *PREPARATION_FIELDS, "allowed_by", "allowed_reason"]
    record_change(meeting, "create", actor=actor, changes=created(meeting, fields), reason=meeting.allowed_reason)
    signals.meeting_scheduled.send(Meeting, meeting=meeting, actor=actor)
    return meeting


@transaction.atomic
def prepare_meeting(meeting, *, actor):
    """Save the preparation of a planned meeting (its values already set on `meeting` by a form)."""
    stored = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if stored.status != PLANNED:
        raise TransitionRefused(_("会议已召开，准备情况不能再修改。"))
    if meeting.planned_on is None:
        raise TransitionRefused(_("请填写计划日期。"), missing=[_("请填写计划日期。")])
    before = snapshot(stored, PREPARATION_FIELDS)
    meeting.save(update_fields=PREPARATION_FIELDS)
    record_change(meeting, "prepare", actor=actor, before=before)
    if meeting.planned_on and meeting.planned_on != stored.planned_on:
        signals.meeting_scheduled.send(Meeting, meeting=meeting, actor=actor)
    return meeting


@transaction.atomic
def record_held(meeting, held_on, *, actor):
    """Record `meeting` as held on `held_on`, only when its phase gate is open (rules 6 and 7); the
    unit's deadlines counting from this meeting are then set (rule 13, settle_event_deadlines)."""

    def effect(locked, rule, inputs):
        locked.held_on = held_on
        return {"held_on": change(None, held_on)}, None

    previous = first_held_on(meeting.unit, meeting.kind)
    meeting = MACHINE.run(meeting, "record_held", actor, inputs={"held_on": held_on}, effect=effect, lock_related=("unit",))
    settle_event_deadlines(meeting.unit, meeting.kind, actor=actor, previous_held_on=previous)
    return meeting


@transaction.atomic
def correct_held_date(meeting, held_on, *, actor, reason):
    """Correct the day a held meeting was held (a typo found later): the same conditions as
    recording it (a day that has come, the phase gates on the new day), a reason, the trail; the
    unit's deadlines counting from the meeting follow the new day (rule 13)."""
    locked = Meeting.objects.select_for_update().select_related("unit").get(pk=meeting.pk)
    if locked.status != HELD:
        raise TransitionRefused(_("会议尚未记录为召开，请直接记录召开日期。"))
    if not can(actor, "record", locked):
        raise TransitionRefused(_("只有本单位联络员或上级领导小组办公室可以更正召开日期。"), forbidden=True)
    if not (reason or "").strip():
        raise TransitionRefused(_("更正召开日期须说明理由。"))
    missing = held_date_given(locked, {"held_on": held_on}) or phase_gates_open(locked, {"held_on": held_on})
    if missing:
        raise TransitionRefused(" ".join(str(sentence) for sentence in missing), missing=missing)
    if held_on == locked.held_on:
        return locked
    previous = first_held_on(locked.unit, locked.kind)
    before = snapshot(locked, ["held_on"])
    locked.held_on = held_on
    locked.save(update_fields=["held_on"])
    record_change(locked, "correct_held_on", actor=actor, before=before, reason=reason.strip())
    settle_event_deadlines(locked.unit, locked.kind, actor=actor, previous_held_on=previous)
    return locked
