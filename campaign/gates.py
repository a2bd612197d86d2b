"""Phase gates: when a unit's meeting may be recorded as held (DESIGN rules 6, 7 and 8); they are the
guards of the meeting's "record as held" transition (campaign.meetings).

Each gate is one named function returning the list of missing conditions, each a plain
Chinese sentence that names exactly what is missing; an empty list means the gate is open.

Self-examination materials (对照检查材料) are the unit's obligations under requirements of
the phase whose code is "examination" (查摆问题、开展批评). They count as approved by the
supervision group when every such obligation is accepted; a unit with no such obligation
has no materials to approve, which is itself a missing condition.
"""

import calendar
import datetime as dt

from django.utils.translation import gettext as _

from campaign.models import Meeting, ObligationStatus, Participation
from core import clock
from core.templatetags.core_tags import format_day
from units.models import Level

EXAMINATION_PHASE_CODE = "examination"
UPPER_LEVELS = (Level.CENTRAL, Level.PROVINCE)


def democratic_life_meeting_gate(meeting, held_on=None):
    """Rule 7 (001: 准备工作不充分、班子成员之间谈心谈话没有全覆盖、对照检查材料审核没有通过的，
    不能召开专题民主生活会; 003: supervision groups review self-examination materials):
    talks must be logged and the self-examination materials approved by the supervision group."""
    missing = []
    if not meeting.talks_logged:
        missing.append(_("班子成员之间谈心谈话尚未全覆盖（未登记谈心谈话）。"))
    materials = list(
        meeting.unit.obligations.filter(requirement__phase__code=EXAMINATION_PHASE_CODE)
        .select_related("requirement")
        .order_by("due_at")
    )
    if not materials:
        missing.append(_("尚无对照检查材料报送任务，督导组无从审核。"))
    for obligation in materials:
        if obligation.status != ObligationStatus.ACCEPTED:
            missing.append(
                _("对照检查材料“%(title)s”尚未经督导组审核通过（当前：%(status)s）。")
                % {"title": obligation.requirement.title, "status": obligation.get_status_display()}
            )
    return missing


def summary_meeting_gate(meeting, held_on=None):
    """Rule 6 (000: 第一批教育实践活动单位的总结会议应安排在中央和省委会议之后; 群办发〔2013〕17号):
    the summary meeting of every ancestor unit at central or provincial level must have been held
    before this unit's summary meeting date."""
    held_on = held_on or meeting.held_on
    missing = []
    upper = [unit for unit in meeting.unit.ancestors() if unit.level in UPPER_LEVELS]
    held = {}
    for unit_id, date in Meeting.objects.filter(
        unit__in=upper, kind=Meeting.Kind.SUMMARY, held_on__isnull=False
    ).values_list("unit_id", "held_on"):
        held[unit_id] = min(date, held.get(unit_id, date))
    for unit in upper:
        date = held.get(unit.pk)
        if date is None:
            missing.append(_("上级“%(unit)s”的总结会议尚未召开。") % {"unit": unit.name})
        elif held_on is not None and date >= held_on:
            missing.append(
                _("上级“%(unit)s”的总结会议于 %(date)s 召开，本单位总结会议须安排在其之后。")
                % {"unit": unit.name, "date": format_day(date)}
            )
    return missing


def add_months(day, months):
    """The same day `months` later (the month's last day when it is shorter)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def campaign_time_served(meeting, held_on=None):
    """Rule 8 (003: 每个单位集中开展教育实践活动的时间一般不少于3个月): a unit sums up (holds its
    summary meeting) only after taking part for its batch's minimum months (Batch.min_months),
    counted from the day it started (Participation.joined_on)."""
    participation = (
        Participation.objects.filter(unit=meeting.unit, joined_on__isnull=False, batch__isnull=False)
        .select_related("batch").order_by("-campaign__starts_on", "-pk").first()
    )
    if participation is None or not participation.batch.min_months:
        return []
    earliest = add_months(participation.joined_on, participation.batch.min_months)
    if (held_on or meeting.held_on or clock.today()) >= earliest:
        return []
    return [
        _("本单位自%(start)s开展活动，按要求不少于%(months)s个月，%(earliest)s起方可召开总结会议。")
        % {"start": format_day(participation.joined_on), "months": participation.batch.min_months,
           "earliest": format_day(earliest)}
    ]


GATES = {
    Meeting.Kind.DEMOCRATIC_LIFE: (democratic_life_meeting_gate,),
    Meeting.Kind.SUMMARY: (summary_meeting_gate, campaign_time_served),
}


def missing_conditions(meeting, held_on=None):
    """What still stands in the way of recording `meeting` as held on `held_on`."""
    return [sentence for gate in GATES.get(meeting.kind, ()) for sentence in gate(meeting, held_on)]


def phase_gates_open(meeting, inputs):
    """Guard of "record as held" (campaign.meetings): the meeting's phase gate is open."""
    return missing_conditions(meeting, inputs.get("held_on"))
