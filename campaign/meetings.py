"""A unit's meetings (001, 003, 000): planned, prepared, then recorded as held once its phase
gate opens (campaign.gates), on the one transition engine (access.transitions).

States: planned (筹备中) → held (已召开). Preparation (the planned date, the talks, notes) may be
edited while planned; once held, the meeting is part of the record and changes no more.
"""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from access.transitions import Machine, Transition, TransitionRefused
from audit.services import change, created, record_change, snapshot
from campaign.gates import phase_gates_open
from campaign.models import Meeting
from core import clock

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


@transaction.atomic
def plan_meeting(meeting, *, unit, actor):
    """Register a meeting the unit is going to hold."""
    meeting.unit, meeting.status, meeting.held_on = unit, PLANNED, None
    meeting.save()
    record_change(meeting, "create", actor=actor, changes=created(meeting, ["kind", "status", *PREPARATION_FIELDS]))
    return meeting


@transaction.atomic
def prepare_meeting(meeting, *, actor):
    """Save the preparation of a planned meeting (its values already set on `meeting` by a form)."""
    stored = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if stored.status != PLANNED:
        raise TransitionRefused(_("会议已召开，准备情况不能再修改。"))
    before = snapshot(stored, PREPARATION_FIELDS)
    meeting.save(update_fields=PREPARATION_FIELDS)
    record_change(meeting, "prepare", actor=actor, before=before)
    return meeting


def record_held(meeting, held_on, *, actor):
    """Record `meeting` as held on `held_on`, only when its phase gate is open (rules 6 and 7)."""

    def effect(locked, rule, inputs):
        locked.held_on = held_on
        return {"held_on": change(None, held_on)}, None

    return MACHINE.run(meeting, "record_held", actor, inputs={"held_on": held_on}, effect=effect, lock_related=("unit",))
