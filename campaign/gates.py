"""Phase gates: when a unit's meeting may be recorded as held (DESIGN rules 6, 7 and 8); they are the
guards of the meeting's "record as held" transition (campaign.meetings). Rule 8 (the minimum
stay, 003) also guards the completion of the course's closing phase
(campaign.actions.record_phase_progress).

Each gate is one named function returning the list of missing conditions, each a plain
Chinese sentence that names exactly what is missing; an empty list means the gate is open.

Self-examination materials (对照检查材料) are the unit's obligations under requirements of
the phase whose code is "examination" (查摆问题、开展批评). They count as approved by the
supervision group when every such obligation is accepted; a unit with no such obligation
has no materials to approve, which is itself a missing condition.
"""

import calendar
import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from campaign.models import Meeting, ObligationStatus, Participation, UnitPhaseProgress
from core import clock
from core.templatetags.core_tags import format_day
from units.models import Level

EXAMINATION_PHASE_CODE = "examination"
LOOK_BACK_PHASE_CODE = "lookback"
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
                % {"title": f"{obligation.requirement.title}（{obligation.period_label}）" if obligation.period_label
                   else obligation.requirement.title, "status": obligation.get_status_display()}
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


@dataclass(frozen=True)
class MinimumStay:
    """How long a unit must take part before it sums up (rule 8): from `start` for `months`,
    so not before `earliest`; `participation.min_months_waived_at` is set when an office
    granted an exception."""

    participation: Participation
    start: dt.date
    months: int
    earliest: dt.date

    @property
    def waived(self):
        return self.participation.min_months_waived_at is not None

    def shortfall(self, day, finishing):
        """Rule 8 as sentences: nothing when `day` is on or after `earliest` or an office waived the
        minimum; else why not, naming both dates. `finishing` says what the unit wants to do."""
        if self.waived or day >= self.earliest:
            return []
        return [
            _("本单位%(start)s开展活动，按规定每个单位一般不少于%(months)s个月，最早可于%(earliest)s%(finishing)s。"
              "如确需提前，须由上级领导小组办公室登记例外并说明理由。")
            % {"start": format_day(self.start), "months": self.months, "earliest": format_day(self.earliest),
               "finishing": finishing}
        ]


def closing_phase(campaign):
    """The phase that closes a campaign's course of concentrated activity: its last phase by
    ordinal, leaving out the look-back (回头看). 003 puts the ≥3 months on 开展教育实践活动的时间,
    the three phases ending in the summary (总结); the look-back is the supervision's later check
    of what was done (003: 督促开展“回头看”; 004 opened it in January 2015, months after batch 2
    ended in September 2014), so it does not count towards or against the minimum."""
    return campaign.phases.exclude(code=LOOK_BACK_PHASE_CODE).order_by("-ordinal").first()


def minimum_stay(unit, campaign=None):
    """Rule 8 (003: 具体到每个单位，开展教育实践活动的时间一般不少于3个月 *(policy: Batch.min_months)*):
    the unit's minimum stay in `campaign` (default: the latest campaign it takes part in by
    batch), counted from the day it started, Participation.joined_on, or else the start of its
    first phase (UnitPhaseProgress.started_on); None when its batch sets no minimum or no start
    is known. The one place the months are counted: the summary meeting's gate and the closing
    phase's completion both read it."""
    participations = Participation.objects.filter(unit=unit, batch__isnull=False, batch__min_months__gt=0)
    if campaign is not None:
        participations = participations.filter(campaign=campaign)
    participation = participations.select_related("batch").order_by("-campaign__starts_on", "-pk").first()
    if participation is None:
        return None
    start = participation.joined_on or (
        UnitPhaseProgress.objects.filter(unit=unit, phase__campaign_id=participation.campaign_id, started_on__isnull=False)
        .order_by("phase__ordinal").values_list("started_on", flat=True).first()
    )
    if start is None:
        return None
    months = participation.batch.min_months
    return MinimumStay(participation, start, months, add_months(start, months))


def campaign_time_served(meeting, held_on=None):
    """Rule 8 at the summary meeting: a unit sums up (holds its summary meeting) only after its
    minimum stay (minimum_stay), unless its office waived it."""
    stay = minimum_stay(meeting.unit)
    if stay is None:
        return []
    return stay.shortfall(held_on or meeting.held_on or clock.today(), _("召开总结会议"))


def closing_phase_time_served(progress, finished_on=None):
    """Rule 8 at the end of the course: a unit records the closing phase (closing_phase, normally
    总结) as finished only after its minimum stay (minimum_stay), unless its office waived it.
    The guard of campaign.actions.record_phase_progress, which every entry point calls."""
    finished_on = finished_on or progress.finished_on
    if finished_on is None:
        return []
    campaign = progress.phase.campaign
    if progress.phase != closing_phase(campaign):
        return []
    stay = minimum_stay(progress.unit, campaign)
    if stay is None:
        return []
    return stay.shortfall(finished_on, _("完成“%(phase)s”环节") % {"phase": progress.phase.name})


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
