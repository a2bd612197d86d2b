"""A unit's way through its campaign's phases (环节): it enters each and finishes it, on the one
transition engine (access.transitions), moved by the unit (its liaisons) or an office over it.

003 sets the phases of batch 2 (学习教育、听取意见 / 查摆问题、开展批评 / 整改落实、建章立制) and
their order: 采取统一部署、梯次展开、压茬进行的办法 — the units start in turn, by level and batch,
and a phase may start before the previous one has ended (压茬) but not before it began;
各个环节工作有效衔接、相互贯通. 000 and 001 add the summary (总结, after the upper levels'
meetings) and 004 the look-back (回头看). Each unit stays at least three months (003, rule 8):
finishing the closing phase is guarded by campaign.gates.closing_phase_time_served.

States: not entered (no row) → started (进行中) → finished (已完成). Each move is one audit row
(who, when, the day and the note), written by the Machine.

The office's view (phase_counts, units_in_state) counts with aggregate queries over the units
taking part in the campaign under a unit (Participation), whatever their number.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from access.policy import can
from access.transitions import NEW, Machine, Transition
from audit.services import change
from campaign.gates import closing_phase_time_served
from campaign.models import Participation, Phase, UnitPhaseProgress
from core import clock
from core.templatetags.core_tags import format_day
from units.models import Unit

STARTED, FINISHED = UnitPhaseProgress.Status.STARTED, UnitPhaseProgress.Status.FINISHED
# The states of the office's counts: a unit without a row has not entered the phase.
NOT_STARTED = "not_started"
STATES = {
    NOT_STARTED: gettext_lazy("未开始"),
    STARTED: UnitPhaseProgress.Status.STARTED.label,
    FINISHED: UnitPhaseProgress.Status.FINISHED.label,
}


def previous_phase(phase):
    """The phase before `phase` in its campaign (None for the first)."""
    return Phase.objects.filter(campaign_id=phase.campaign_id, ordinal__lt=phase.ordinal).order_by("-ordinal").first()


def _progress_of(unit_id, phase):
    return UnitPhaseProgress.objects.filter(unit_id=unit_id, phase=phase).first() if phase else None


# --- guards: guard(progress, inputs) -> [sentences of what is missing] ----------------------------


def day_given(progress, inputs):
    """The day of the move is given and has come."""
    day = inputs.get("on")
    if day is None:
        return [_("请填写日期。")]
    if day > clock.today():
        return [_("日期不能晚于今天。")]
    return []


def not_entered_yet(progress, inputs):
    """A unit enters a phase once (the row is unique per unit and phase)."""
    if UnitPhaseProgress.objects.filter(unit_id=progress.unit_id, phase_id=progress.phase_id).exists():
        return [_("本单位已进入该环节。")]
    return []


def taking_part_since(progress, inputs):
    """003 (梯次展开: 市、县领导机关先行一步，乡镇、街道和村、社区及其他基层组织依次推进): a unit
    enters its campaign's phases only if it takes part, and not before its batch began or the
    day it started (Participation.joined_on)."""
    day = inputs.get("on")
    participation = (Participation.objects.filter(unit_id=progress.unit_id, campaign_id=progress.phase.campaign_id)
                     .select_related("batch").first())
    if participation is None:
        return [_("本单位未参加此次活动，不能进入其环节。")]
    if day is None:
        return []
    batch = participation.batch
    if batch is not None and batch.starts_on and day < batch.starts_on:
        return [_("%(batch)s于%(day)s开始，本单位不能早于此日进入环节。") % {"batch": batch.name, "day": format_day(batch.starts_on)}]
    if participation.joined_on and day < participation.joined_on:
        return [_("本单位于%(day)s开展活动，不能早于此日进入环节。") % {"day": format_day(participation.joined_on)}]
    return []


def previous_phase_entered(progress, inputs):
    """003 (压茬进行): a phase may start before the previous one ends, not before it began."""
    before = previous_phase(progress.phase)
    if before is None:
        return []
    earlier = _progress_of(progress.unit_id, before)
    if earlier is None or earlier.started_on is None:
        return [_("须先进入上一环节“%(phase)s”。") % {"phase": before.name}]
    day = inputs.get("on")
    if day is not None and day < earlier.started_on:
        return [_("进入日期不能早于上一环节“%(phase)s”的开始日期（%(day)s）。")
                % {"phase": before.name, "day": format_day(earlier.started_on)}]
    return []


def finished_after_start(progress, inputs):
    day = inputs.get("on")
    if day is not None and progress.started_on and day < progress.started_on:
        return [_("完成日期不能早于本环节的开始日期（%(day)s）。") % {"day": format_day(progress.started_on)}]
    return []


def previous_phase_finished(progress, inputs):
    """003 (各个环节工作有效衔接): a phase is finished only after the one before it."""
    before = previous_phase(progress.phase)
    if before is None:
        return []
    earlier = _progress_of(progress.unit_id, before)
    if earlier is None or earlier.finished_on is None:
        return [_("须先完成上一环节“%(phase)s”。") % {"phase": before.name}]
    day = inputs.get("on")
    if day is not None and day < earlier.finished_on:
        return [_("完成日期不能早于上一环节“%(phase)s”的完成日期（%(day)s）。")
                % {"phase": before.name, "day": format_day(earlier.finished_on)}]
    return []


def minimum_stay_served(progress, inputs):
    """Rule 8, the gate of campaign.gates: the closing phase is finished only after the minimum stay."""
    return closing_phase_time_served(progress, inputs.get("on")) if inputs.get("on") else []


_WHO = gettext_lazy("本单位联络员或上级领导小组办公室")
TRANSITIONS = (
    Transition("enter_phase", (NEW,), STARTED, "keep_records", _WHO, gettext_lazy("进入环节"),
               guards=(day_given, not_entered_yet, taking_part_since, previous_phase_entered)),
    Transition("finish_phase", (STARTED,), FINISHED, "move", _WHO, gettext_lazy("完成环节"),
               guards=(day_given, finished_after_start, previous_phase_finished, minimum_stay_served)),
)
MACHINE = Machine(UnitPhaseProgress, TRANSITIONS, {("finish_phase", FINISHED): gettext_lazy("该环节已完成。")})


@transaction.atomic
def enter_phase(unit, phase, on, *, actor, note=""):
    """The unit enters `phase` on `on` (a day that has come), once it takes part in the campaign,
    not before its batch began, and once it has entered the phase before (003: 梯次展开、压茬进行).
    Refused with TransitionRefused (the sentences of what is missing); returns the new row."""
    note = (note or "").strip()

    def effect(progress, rule, inputs):
        progress.started_on, progress.note = on, note
        changes = {"phase": change(None, phase), "started_on": change(None, on)}
        if note:
            changes["note"] = change(None, note)
        return changes, None

    return MACHINE.start(UnitPhaseProgress(unit=unit, phase=phase), "enter_phase", actor, parent_field="unit",
                         inputs={"on": on}, effect=effect)


@transaction.atomic
def finish_phase(progress, on, *, actor, note=""):
    """The unit finishes the phase of `progress` on `on`: not before it began, after the phase
    before it (003), and, for the closing phase, after its minimum stay (rule 8, campaign.gates)."""
    note = (note or "").strip()

    def effect(locked, rule, inputs):
        changes = {"finished_on": change(None, on)}
        locked.finished_on = on
        if note and note != locked.note:
            changes["note"] = change(locked.note, note)
            locked.note = note
        return changes, None

    return MACHINE.run(progress, "finish_phase", actor, inputs={"on": on}, effect=effect,
                       lock_related=("unit", "phase__campaign"))


# --- what the pages read ------------------------------------------------------------------------


@dataclass
class Step:
    """One phase of a unit's timeline: its progress row (None: not entered) and what `user` may do."""

    phase: Phase
    progress: UnitPhaseProgress | None
    may_enter: bool = False
    may_finish: bool = False

    @property
    def state(self):
        return self.progress.status if self.progress else NOT_STARTED

    @property
    def state_label(self):
        return STATES[self.state]


def timeline(unit, campaign, user):
    """The phases of `campaign` in order with the unit's progress in each (two queries): the
    next phase to enter and the phases to finish are offered to whoever may move the unit."""
    phases = list(Phase.objects.filter(campaign=campaign).order_by("ordinal")) if campaign else []
    rows = {row.phase_id: row for row in UnitPhaseProgress.objects.filter(unit=unit, phase__in=phases)}
    may_move = can(user, "keep_records", unit)
    steps, previous_started = [], True
    for phase in phases:
        row = rows.get(phase.pk)
        steps.append(Step(phase, row, may_enter=may_move and row is None and previous_started,
                          may_finish=may_move and row is not None and row.status == STARTED))
        previous_started = row is not None
    return steps


def current_phase(unit, campaign):
    """The phase the unit is in: the last it entered (None before the first)."""
    if campaign is None:
        return None
    row = (UnitPhaseProgress.objects.filter(unit=unit, phase__campaign=campaign).select_related("phase")
           .order_by("-phase__ordinal").first())
    return row.phase if row else None


def participants_under(unit, campaign):
    """The units taking part in `campaign` in `unit`'s subtree (itself included)."""
    return Unit.objects.filter(path__startswith=unit.path, participations__campaign=campaign)


@dataclass
class PhaseCounts:
    phase: Phase
    not_started: int
    started: int
    finished: int

    @property
    def total(self):
        return self.not_started + self.started + self.finished

    def cells(self):
        """(state, label, count) in the order the panel shows them."""
        return [(NOT_STARTED, STATES[NOT_STARTED], self.not_started), (STARTED, STATES[STARTED], self.started),
                (FINISHED, STATES[FINISHED], self.finished)]


def phase_counts(unit, campaign):
    """Per phase of `campaign`, how many units taking part under `unit` have not started it, are
    in it, have finished it: one query (the phases, each with its grouped counts of progress rows
    and the number of participants as a subquery), whatever the number of units."""
    if campaign is None:
        return []
    participants = (Participation.objects.filter(campaign=campaign, unit__path__startswith=unit.path).order_by()
                    .values("campaign").annotate(n=Count("pk")).values("n"))
    under = Q(unit_progress__unit__path__startswith=unit.path, unit_progress__unit__participations__campaign=campaign)
    rows = (Phase.objects.filter(campaign=campaign).order_by("ordinal").annotate(
        participants=Coalesce(Subquery(participants), 0),
        started=Count("unit_progress", distinct=True, filter=under & Q(unit_progress__status=STARTED)),
        finished=Count("unit_progress", distinct=True, filter=under & Q(unit_progress__status=FINISHED)),
    ))
    return [PhaseCounts(phase, max(phase.participants - phase.started - phase.finished, 0), phase.started, phase.finished)
            for phase in rows]


def units_in_state(unit, phase, state):
    """The units taking part under `unit` in `state` for `phase` (not_started / started /
    finished), as a queryset for a paginated list, with their progress dates when they have one."""
    participants = participants_under(unit, phase.campaign)
    rows = UnitPhaseProgress.objects.filter(phase=phase)
    if state == NOT_STARTED:
        return participants.exclude(pk__in=rows.values("unit_id")).order_by("path")
    if state not in (STARTED, FINISHED):
        raise ValueError(state)
    return participants.filter(phase_progress__phase=phase, phase_progress__status=state).order_by("path")

