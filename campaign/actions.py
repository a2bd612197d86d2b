"""The changes with a rule behind them, for campaigns, directives, requirements, obligations and meetings:
one function each, called by the pages, the admin, commands and the API alike. Forms only
validate; these functions apply the rule, keep the trail (DESIGN rule 10) and run in one
transaction.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.utils import translation
from django.utils.translation import gettext as _

from access import receipts
from access.policy import can
from access.transitions import TransitionRefused
from audit.services import (
    change,
    created,
    diff,
    new_batch_key,
    record_change,
    record_changes,
    record_transition,
    record_transitions,
    snapshot,
)
from campaign import bulk
from campaign.attachments import (  # noqa: F401 - files on campaign rows: their entry points
    add_directive_attachment,
    upload_attachment_file,
    withdraw_submission_file,
)
from campaign.event_deadlines import counted_from, move_due, settle_event_deadlines  # noqa: F401 - rule 13's entry point
from campaign.extensions import decide_extension, request_extension  # noqa: F401 - extension requests' entry points
from campaign.gates import closing_phase_time_served
from campaign.meetings import correct_held_date, plan_meeting, prepare_meeting, record_held  # noqa: F401 - meetings' entry points
from campaign.models import (
    AffiliationReview,
    Batch,
    Campaign,
    Obligation,
    Participation,
    Phase,
    Requirement,
    Submission,
    UnitPhaseProgress,
)
from campaign.phases import enter_phase, finish_phase  # noqa: F401 - phase progress' entry points
from campaign.status import ObligationStatus
from campaign.workflow import transition as move_obligation  # noqa: F401 - obligations' entry point
from core import clock
from core.templatetags.core_tags import format_day
from units.models import PATH_SEGMENT, Unit

DIRECTIVE_FIELDS = [
    "campaign", "number", "doc_type", "issuing_unit", "issuer_name", "title", "primary_recipients", "copy_recipients",
    "signed_on", "printed_on", "urgency", "secrecy",
]
REQUIREMENT_FIELDS = [
    "title", "description", "phase", "scope_unit", "submit_to", "target_batch", "target_levels", "target_unit_types",
    "deadline_text", "deadline_inclusive", "deadline_before_signing", "due_at", "due_event", "due_days", "due_workdays", "route",
    "review_required", "is_active", "recurrence_frequency", "recurrence_day", "recurrence_weekday", "recurrence_month",
    "recurrence_starts_on", "recurrence_ends_on", "recurrence_horizon_days",
]


CAMPAIGN_FIELDS = ["name", "short_name", "starts_on", "ends_on", "description", "office"]
BATCH_FIELDS = ["ordinal", "name", "starts_on", "ends_on", "min_months"]
PHASE_FIELDS = ["ordinal", "code", "name"]


# --- campaigns, their batches and phases (003: batches and phases are the campaign's own) ---------


@transaction.atomic
def create_campaign(name, short_name, starts_on, ends_on, template, *, actor, office, description=""):
    """Set up a campaign from `template` (a campaign.blueprints.Blueprint: a shipped shape, an
    earlier campaign's, or blank): its batches, dates shifted to `starts_on`, and its phases.
    It is prepared (筹备中) until launched, owned by `office` (the creating office's unit).
    Reminder policies are not copied: they belong to requirements and offices, not campaigns."""
    campaign = Campaign.objects.create(
        name=name, short_name=short_name, starts_on=starts_on, ends_on=ends_on, description=description,
        status=Campaign.Status.DRAFT, office=office,
    )
    batches = []
    for spec in template.batches:
        batch_starts, batch_ends = spec.dates(starts_on)
        batches.append(Batch(campaign=campaign, ordinal=spec.ordinal, name=spec.name, min_months=spec.min_months,
                             starts_on=batch_starts, ends_on=batch_ends))
    Batch.objects.bulk_create(batches)
    Phase.objects.bulk_create([Phase(campaign=campaign, ordinal=p.ordinal, code=p.code, name=p.name) for p in template.phases])
    changes = created(campaign, [*CAMPAIGN_FIELDS, "status"])
    changes["template"] = change(None, str(template.label))
    if template.batches:
        changes["batches"] = change(None, [spec.name for spec in template.batches])
    if template.phases:
        changes["phases"] = change(None, [spec.name for spec in template.phases])
    record_change(campaign, "create", actor=actor, changes=changes)
    return campaign


@transaction.atomic
def edit_campaign(campaign, before, *, actor):
    """Save an edited campaign; `before` is its snapshot(CAMPAIGN_FIELDS) from before the edit."""
    campaign.save()
    record_change(campaign, "edit", actor=actor, before=before)
    return campaign


@transaction.atomic
def launch_campaign(campaign, *, actor):
    """筹备中 → 进行中: from now on everybody sees the campaign, and directives can be issued in it."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status != Campaign.Status.DRAFT:
        return campaign
    campaign.status = Campaign.Status.LAUNCHED
    campaign.save(update_fields=["status"])
    record_transition(campaign, "launch", actor=actor, from_state=Campaign.Status.DRAFT, to_state=Campaign.Status.LAUNCHED)
    return campaign


class InUse(Exception):
    """A batch or phase that rows point at (units in a batch, requirements, phase progress) stays."""


@transaction.atomic
def save_part(part, *, actor):
    """Save a new or edited batch or phase of a campaign (the form has checked its dates, ordinal, code)."""
    fields = BATCH_FIELDS if isinstance(part, Batch) else PHASE_FIELDS
    if part.pk is None:
        part.save()
        record_change(part, "create", actor=actor, changes=created(part, fields))
    else:
        before = snapshot(type(part).objects.get(pk=part.pk), fields)
        part.save()
        record_change(part, "edit", actor=actor, before=before)
    return part


@transaction.atomic
def remove_part(part, *, actor):
    """Remove a batch or phase nothing uses yet (InUse otherwise); the trail keeps what it was."""
    fields = BATCH_FIELDS if isinstance(part, Batch) else PHASE_FIELDS
    if part.in_use():
        raise InUse(part)
    record_change(part, "delete", actor=actor, changes={name: change(value, None) for name, value in snapshot(part, fields).items()})
    part.delete()


@transaction.atomic
def move_phase(phase, step, *, actor):
    """Swap a phase with its neighbour before (step -1) or after (step 1); returns whether it moved."""
    phases = list(Phase.objects.select_for_update().filter(campaign_id=phase.campaign_id).order_by("ordinal"))
    index = next(i for i, p in enumerate(phases) if p.pk == phase.pk)
    other_index = index + step
    if not 0 <= other_index < len(phases):
        return False
    mine, other = phases[index], phases[other_index]
    ordinals = mine.ordinal, other.ordinal
    # The ordinals are unique per campaign: park one outside the range while they swap.
    Phase.objects.filter(pk=mine.pk).update(ordinal=max(p.ordinal for p in phases) + 1)
    Phase.objects.filter(pk=other.pk).update(ordinal=ordinals[0])
    Phase.objects.filter(pk=mine.pk).update(ordinal=ordinals[1])
    record_change(mine, "move", actor=actor, changes={"ordinal": change(ordinals[0], ordinals[1])})
    record_change(other, "move", actor=actor, changes={"ordinal": change(ordinals[1], ordinals[0])})
    return True


# --- directives (rule 1) ------------------------------------------------------------------------


@transaction.atomic
def register_directive(directive, *, actor, forwards=None):
    """Register a new directive (its number already parsed and checked unique by the form);
    `forwards` links it to the upper-level directive it forwards (转发), or to each of a list of them."""
    directive.created_by = actor
    directive.save()
    changes = created(directive, DIRECTIVE_FIELDS)
    linked = list(forwards) if isinstance(forwards, list | tuple) else [] if forwards is None else [forwards]
    if linked:
        directive.forwards.add(*linked)
        changes["forwards"] = change(None, linked)
    record_change(directive, "create", actor=actor, changes=changes)
    return directive


@transaction.atomic
def edit_directive(directive, before, *, actor):
    """Save an edited directive; `before` is its snapshot(DIRECTIVE_FIELDS) from before the edit."""
    directive.save()
    record_change(directive, "edit", actor=actor, before=before)
    return directive


# --- requirements and their obligations (rules 2 and 3) -------------------------------------------


class RefusedRemoval(Exception):
    """Retargeting would drop obligations that already have submissions: nothing is saved."""

    def __init__(self, units):
        super().__init__(units)
        self.units = units


def _stored(requirement):
    """The requirement as stored before this change: its snapshot and the stored row (nothing for a new one)."""
    if requirement.pk is None:
        return {}, None
    stored = Requirement.objects.get(pk=requirement.pk)
    explicit = list(stored.explicit_units.order_by("path"))
    return {**snapshot(stored, REQUIREMENT_FIELDS), "explicit_units": [{"pk": u.pk, "label": u.name} for u in explicit]}, stored


def _due_rule(requirement):
    return requirement.due_at, requirement.due_event, requirement.due_days, requirement.due_workdays, requirement.recurrence


@transaction.atomic
def save_requirement(requirement, *, actor, explicit_units=None, in_background=False):
    """Save a requirement from any entry point and bring its obligations in line:

    - its due moment is resolved from its deadline text, against its directive's date (rule 3);
    - every newly bound unit gets its one obligation, and units no longer bound lose theirs
      (rule 2); a removal is refused (RefusedRemoval, nothing saved) for an obligation that
      already has a submission; units deactivated since keep theirs as history;
    - open obligations that still carried the old due moment move to the new one; under a
      deadline counting from a meeting (rule 13) each unit's moment follows its own meeting;
    - a recurring requirement (每月5日前, campaign.recurrence) gets its periods issued at once
      (issue_recurring_periods), and ending it (recurrence_ends_on) removes the periods after
      the end that nobody touched (end_recurrence).

    With `in_background` (the pages), a fan-out or a deadline move of more obligations than
    settings.BULK_INLINE_LIMIT is queued as a job (campaign.bulk, core.jobs) and the page answers
    at once; the jobs started are left on `requirement.background_jobs`, and `added` does not count
    what the job will make.

    Returns (requirement, added, removed).
    """
    before, stored = _stored(requirement)
    is_new = requirement.pk is None
    if is_new:
        requirement.created_by = actor
    requirement.resolve_deadline()
    requirement.save()
    if explicit_units is not None:
        requirement.explicit_units.set(explicit_units)
    removed = _remove_unbound(requirement, actor)
    requirement.background_jobs = []
    if stored is not None and _due_rule(stored) != _due_rule(requirement):
        moving = _dated_move_count(requirement, stored) if in_background else 0
        if bulk.over_inline_limit(moving):
            requirement.background_jobs.append(bulk.start_move(requirement, actor=actor, count=moving, old_due=stored.due_at))
        else:
            move_deadline(requirement, stored, actor=actor)
    removed += end_recurrence(requirement, actor=actor)
    missing = _one_off_missing_count(requirement) if in_background else 0
    if bulk.over_inline_limit(missing):
        requirement.background_jobs.append(bulk.start_fan_out(requirement, actor=actor, count=missing))
        added = 0
    else:
        added = fan_out(requirement, actor=actor)
    after = {**snapshot(requirement, REQUIREMENT_FIELDS),
             "explicit_units": [{"pk": u.pk, "label": u.name} for u in requirement.explicit_units.order_by("path")]}
    if is_new:
        # A new requirement's trail lists what it says, not the defaults of what it does not use:
        # the recurrence settings of a one-off requirement, the working-day flag without a rule.
        unused = set() if requirement.recurrence is not None else {
            name for name in after if name.startswith("recurrence_")}
        if not requirement.due_days:
            unused.add("due_workdays")
        changes = {name: change(None, value) for name, value in after.items()
                   if value not in (None, "", []) and name not in unused}
    else:
        changes = diff(before, after)
    if added:
        changes["obligations_added"] = change(None, added)
    if removed:
        changes["obligations_removed"] = change(None, removed)
    record_change(requirement, "create" if is_new else "edit", actor=actor, changes=changes)
    return requirement, added, removed


def _dated_move_count(requirement, previous):
    """How many obligations a move from one dated moment to another takes along (0 for any other rule)."""
    if previous.due_event or requirement.due_event or requirement.recurrence is not None or previous.recurrence is not None:
        return 0
    return requirement.obligations.open().filter(due_at=previous.due_at).count()


def _one_off_missing_count(requirement):
    """About how many obligations a one-off requirement's fan-out will write: bound units less
    the obligations it has (two counts, not a list of ids)."""
    if not requirement.is_active or requirement.recurrence is not None:
        return 0
    return requirement.bound_units().count() - requirement.obligations.filter(period_start__isnull=True).count()


def _remove_unbound(requirement, actor):
    # NOT EXISTS, not NOT IN: PostgreSQL cannot hash a subtree of 500,000 ids for NOT IN (issue
    # "province scale"), and an anti-join on the unit is what it plans well.
    bound = requirement.bound_units().filter(pk=OuterRef("unit_id"))
    stale = requirement.obligations.filter(unit__is_active=True).filter(~Exists(bound))
    blocked = list(
        Unit.objects.filter(obligations__in=stale.filter(pk__in=Submission.objects.values("obligation_id")))
        .order_by("path").values_list("name", flat=True)
    )
    if blocked:
        raise RefusedRemoval(blocked)
    removed = list(stale.select_related("unit"))
    if removed:
        record_transitions(removed, "obligation_removed", actor=actor, from_state=ObligationStatus.PENDING,
                           reason=_("报送要求的范围已调整"))
        Obligation.objects.filter(pk__in=[o.pk for o in removed]).delete()
    return len(removed)


def move_deadline(requirement, previous, *, actor, bulk_options=None):
    """Open obligations that still carry what `previous` (the requirement as stored before this
    change) made their due moment move to what the requirement makes it now (a return that gave
    one unit its own moment is kept). Dated on both sides: one moment for all; counting from a
    meeting (rule 13) or from the notice (DueEvent.RECEIVED) on either side: each unit's moment from
    its meeting or from the day its obligation was issued (event_deadlines.counted_from,
    Requirement.due_after); an obligation still 待定 always follows (nobody gave it a moment of its own)."""
    obligations = requirement.obligations.open()
    if requirement.recurrence is not None and previous.recurrence is not None:
        # Per period: what the old rule made its due moment becomes what the new rule makes it (the
        # kind of period never changes once issued: Requirement.clean).
        old_rule, new_rule = previous.recurrence, requirement.recurrence
        moving = [o for o in obligations.filter(period_start__isnull=False).only("pk", "period_start", "due_at", "requirement_id")
                  if o.due_at == old_rule.period(o.period_start).due_at]
        return move_due(moving, lambda o: new_rule.period(o.period_start).due_at, actor=actor,
                         reason=_("报送要求的截止时间已调整"))
    if not previous.due_event and not requirement.due_event:
        # One moment for all: set-based, in batches, one audit row (campaign.bulk.move).
        if previous.due_at == requirement.due_at:
            return 0
        return bulk.move(requirement, obligations.filter(due_at=previous.due_at), requirement.due_at, actor=actor,
                         reason=_("报送要求的截止时间已调整"), old_due=previous.due_at, **(bulk_options or {}))
    old_held, new_held = counted_from(previous), counted_from(requirement)
    moving = [o for o in obligations.only("pk", "unit_id", "due_at", "requirement_id")
              if o.due_at is None or o.due_at == previous.due_after(old_held.get(o.unit_id))]
    return move_due(moving, lambda o: requirement.due_after(new_held.get(o.unit_id)), actor=actor,
                     reason=_("报送要求的截止时间已调整"))


# Unit ids per query (SQLite allows 32,766 parameters in one statement).
ID_CHUNK = 5000


def fan_out(requirement, *, actor, unit_ids=None, now=None, bulk_options=None):
    """Give every unit the requirement binds (rule 2), or only those of `unit_ids`, its one
    obligation; returns how many were created. A recurring requirement gives them one per period
    issued by `now` (issue_recurring_periods). A one-off requirement's obligations are inserted
    set-based in batches with one audit row for all (campaign.bulk.issue; `bulk_options`: the
    batch key and progress of a background job)."""
    if not requirement.is_active:
        return 0
    if requirement.recurrence is not None:
        return _fan_out_periods(requirement, actor=actor, unit_ids=unit_ids, now=now)
    bound = requirement.bound_units()
    if unit_ids is None:
        return bulk.issue(requirement, bound, actor=actor, reason=_("属于报送要求的范围"), **(bulk_options or {}))
    made = 0
    for start in range(0, len(unit_ids), ID_CHUNK):
        made += bulk.issue(requirement, bound.filter(pk__in=unit_ids[start:start + ID_CHUNK]), actor=actor,
                           reason=_("属于报送要求的范围"))
    return made


def _bound_ids(requirement, unit_ids):
    """The ids of the units the requirement binds, among `unit_ids` when given (in chunks)."""
    bound = requirement.bound_units()
    if unit_ids is None:
        return list(bound.values_list("pk", flat=True).iterator())
    ids = []
    for start in range(0, len(unit_ids), ID_CHUNK):
        ids += list(bound.filter(pk__in=unit_ids[start:start + ID_CHUNK]).values_list("pk", flat=True))
    return ids


def _fan_out_periods(requirement, *, actor, unit_ids=None, now=None):
    """Every period of a recurring requirement due within its horizon from `now` (default: the
    clock) and not after its end, for every unit it binds (or those of `unit_ids`): one bulk insert
    per period of the pairs still missing (the periods every bound unit has cost one grouped count
    together). The label is written in the site's language: it is stored, and read by everybody.
    A unit joining later (fan_out_to_units) gets every period issued so far, as it would get a
    one-off obligation already past due."""
    now = now or clock.now()
    with translation.override(settings.LANGUAGE_CODE):
        periods = requirement.periods(now + dt.timedelta(days=requirement.recurrence_horizon_days))
    if not periods:
        return 0
    ids = _bound_ids(requirement, unit_ids)
    if not ids:
        return 0
    starts = [period.start for period in periods]
    complete = set()
    if unit_ids is None:
        # A period every bound unit already has costs nothing more than this one grouped count.
        complete = {start for start, n in requirement.obligations.filter(period_start__in=starts, unit__in=requirement.bound_units())
                    .order_by().values("period_start").annotate(n=Count("pk")).values_list("period_start", "n") if n >= len(ids)}
    made = 0
    for period in periods:
        if period.start in complete:
            continue
        issued = requirement.obligations.filter(period_start=period.start)
        if unit_ids is None:
            existing = set(issued.values_list("unit_id", flat=True))
        else:
            existing = set()
            for start in range(0, len(ids), ID_CHUNK):
                existing.update(issued.filter(unit_id__in=ids[start:start + ID_CHUNK]).values_list("unit_id", flat=True))
        missing = [pk for pk in ids if pk not in existing]
        if not missing:
            continue
        # One audit row per period issued, on the requirement, with its count; each obligation keeps
        # the batch key, so its own timeline still says who issued it and when (as campaign.bulk.issue).
        key = new_batch_key()
        rows = [Obligation(requirement=requirement, unit_id=pk, due_at=period.due_at, period_start=period.start,
                           period_label=period.label, issue_batch=key) for pk in missing]
        Obligation.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
        added = requirement.obligations.filter(period_start=period.start, issue_batch=key).count()
        if added:
            bulk.record_issued(requirement, added, batch_key=key, actor=actor,
                               reason=_("属于报送要求的范围（%(period)s）") % {"period": period.label})
        made += added
    return made


def issue_recurring_periods(now=None, *, requirements=None, actor=None):
    """Issue the periods of every active recurring requirement (or of `requirements`) that are due
    within the requirement's horizon from `now` (default: the clock) and not after its end, for
    every unit it binds (fan_out, rule 2). Idempotent: a second run makes nothing (the existing
    pairs are skipped, and the unique constraints per period back it). Run hourly by beat
    (campaign.tasks.issue_recurring_periods) and right after a recurring requirement is saved.
    Returns how many obligations were created."""
    now = now or clock.now()
    if requirements is None:
        requirements = (Requirement.objects.filter(is_active=True).exclude(recurrence_frequency="")
                        .select_related("directive", "scope_unit").order_by("pk"))
    made = 0
    for requirement in requirements:
        with transaction.atomic():
            made += fan_out(requirement, actor=actor, now=now)
    return made


def end_recurrence(requirement, *, actor):
    """Ending a recurring requirement (recurrence_ends_on) stops its future periods and keeps the
    past: the obligations of periods due after the end that nobody touched (pending, never
    submitted) are removed, each with its audit row; the others stay as they are. Returns how
    many were removed."""
    rule = requirement.recurrence
    if rule is None or requirement.recurrence_ends_on is None:
        return 0
    after_end = [start for start in requirement.obligations.filter(period_start__isnull=False).order_by()
                 .values_list("period_start", flat=True).distinct()
                 if rule.due_on(start) > requirement.recurrence_ends_on]
    if not after_end:
        return 0
    untouched = list(
        requirement.obligations.filter(period_start__in=after_end, status=ObligationStatus.PENDING,
                                       first_submitted_at__isnull=True)
        .exclude(pk__in=Submission.objects.values("obligation_id")).select_related("unit")
    )
    if untouched:
        record_transitions(untouched, "obligation_removed", actor=actor, from_state=ObligationStatus.PENDING,
                           reason=_("周期性报送要求已于%(day)s结束") % {"day": format_day(requirement.recurrence_ends_on)})
        Obligation.objects.filter(pk__in=[o.pk for o in untouched]).delete()
    return len(untouched)


def fan_out_to_units(units, *, actor):
    """New or changed units join the active requirements that bind them (rule 2: adding units later
    gives them obligations too); explicit-list requirements never pick up new units. The
    requirements are matched to the units by their scope paths in memory, then each selects its
    bound units among the candidates in chunks. Returns how many obligations were created."""
    units = [unit for unit in units if unit.is_active and unit.pk]
    if not units:
        return 0
    scopes = {}  # scope unit path -> [requirement id]
    for pk, path in Requirement.objects.filter(is_active=True).values_list("pk", "scope_unit__path"):
        scopes.setdefault(path, []).append(pk)
    candidates = {}  # requirement id -> ids of the units inside its scope
    for unit in units:
        for end in range(PATH_SEGMENT, len(unit.path) + 1, PATH_SEGMENT):
            for requirement_id in scopes.get(unit.path[:end], ()):
                candidates.setdefault(requirement_id, []).append(unit.pk)
    made = 0
    with transaction.atomic():
        for requirement in Requirement.objects.filter(pk__in=list(candidates)).select_related("scope_unit").order_by("pk"):
            made += fan_out(requirement, actor=actor, unit_ids=candidates[requirement.pk])
    return made


# --- receipts (签收) ----------------------------------------------------------------------------


def sign_for_obligation(obligation, user):
    """A liaison of the unit opens the obligation for the first time: the unit has received it
    (签收), once (access.receipts; who counts: campaign.rules "sign_for"). Returns whether this
    opening was the receipt."""
    return receipts.sign_for(obligation, user)


# --- participation: a unit's batch in a campaign (003) -------------------------------------------


@transaction.atomic
def enrol(units, *, campaign, batch=None, joined_on=None, actor):
    """Make `units` take part in `campaign`, in `batch` (one of the campaign's, or None) and from
    `joined_on` when given; a unit already taking part changes batch. The units then owe the
    obligations of the requirements that target that batch (rule 2). Returns how many changed."""
    if batch is not None and batch.campaign_id != campaign.pk:
        raise ValueError("the batch belongs to another campaign")
    units = list(units)
    existing = {p.unit_id: p for p in Participation.objects.filter(campaign=campaign, unit__in=units).select_related("batch")}
    new, changed, per_object = [], [], {}
    for unit in units:
        found = existing.get(unit.pk)
        if found is None:
            new.append(Participation(campaign=campaign, unit=unit, batch=batch, joined_on=joined_on))
        elif found.batch_id != getattr(batch, "pk", None) or (joined_on and found.joined_on != joined_on):
            per_object[found.pk] = {"changes": {
                "batch": change(found.batch, batch),
                **({"joined_on": change(found.joined_on, joined_on)} if joined_on and found.joined_on != joined_on else {}),
            }}
            found.batch, found.joined_on = batch, joined_on or found.joined_on
            changed.append(found)
    made = Participation.objects.bulk_create(new, batch_size=2000)
    if len(made) and made[0].pk is None:  # databases that return no keys from a bulk insert
        made = list(Participation.objects.filter(campaign=campaign, unit__in=[p.unit_id for p in new]))
    Participation.objects.bulk_update(changed, ["batch", "joined_on"], batch_size=2000)
    record_changes(made, "enrol", actor=actor, changes={"batch": change(None, batch), "joined_on": change(None, joined_on)})
    record_changes(changed, "edit", actor=actor, per_object=per_object)
    fan_out_to_units(list(Unit.objects.filter(pk__in=[p.unit_id for p in [*made, *changed]])), actor=actor)
    return len(made) + len(changed)


# --- phase progress and the minimum stay (rule 8, 003) -------------------------------------------

PHASE_PROGRESS_FIELDS = ["unit", "phase", "started_on", "finished_on", "note"]


@transaction.atomic
def record_phase_progress(progress, *, actor, reason=""):
    """Save when a unit started and finished a phase (its values already set on `progress`), from
    any entry point (the admin included). Finishing the course's closing phase is refused
    (ValidationError on finished_on, nothing saved) before the unit's minimum stay is served
    (campaign.gates.closing_phase_time_served, rule 8) unless its office waived it."""
    # The participation is locked: a waiver granted at the same moment is seen or waited for.
    list(Participation.objects.select_for_update().filter(unit_id=progress.unit_id, campaign_id=progress.phase.campaign_id))
    missing = phase_progress_refusals(progress)
    if missing:
        raise ValidationError({"finished_on": missing})
    is_new = progress.pk is None
    progress.status = UnitPhaseProgress.Status.FINISHED if progress.finished_on else UnitPhaseProgress.Status.STARTED
    before = {} if is_new else snapshot(UnitPhaseProgress.objects.get(pk=progress.pk), PHASE_PROGRESS_FIELDS)
    progress.save()
    if is_new:
        record_change(progress, "create", actor=actor, changes=created(progress, PHASE_PROGRESS_FIELDS), reason=reason)
    else:
        record_change(progress, "edit", actor=actor, before=before, reason=reason)
    return progress


def phase_progress_refusals(progress):
    """Why `progress` (as edited, not yet saved) may not be saved: rule 8 is asked when its
    finished_on is new or changed (a note added to a phase finished earlier is not refused)."""
    stored = UnitPhaseProgress.objects.filter(pk=progress.pk).values_list("finished_on", flat=True).first() if progress.pk else None
    if progress.finished_on is None or progress.finished_on == stored:
        return []
    return closing_phase_time_served(progress)


@transaction.atomic
def waive_minimum_stay(participation, *, reason, actor):
    """An office lets a unit sum up before its batch's minimum months (rule 8: 003 says 一般不少于
    3个月, "as a rule"): who, when and why are kept on the participation and in the trail. The
    caller has checked can(actor, "waive", participation) (campaign.rules: the offices over the unit)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"min_months_waiver_reason": _("准予不足最少月数的例外时必须说明理由。")})
    locked = Participation.objects.select_for_update().get(pk=participation.pk)
    fields = ["min_months_waived_by", "min_months_waived_at", "min_months_waiver_reason"]
    before = snapshot(locked, fields)
    locked.min_months_waived_by, locked.min_months_waived_at, locked.min_months_waiver_reason = actor, clock.now(), reason
    locked.save(update_fields=fields)
    record_change(locked, "waive_minimum_stay", actor=actor, before=before, reason=reason)
    return locked


# --- the affiliation body's part of a report (004) -------------------------------------------------


@transaction.atomic
def review_affiliation_part(obligation, *, actor, decision, opinion=""):
    """004 (省直各单位情况按党组织隶属关系同时分别报省直机关工委、省委教育工委、省国资委党委): the body the
    unit belongs to by Party-organisation affiliation records its review of the latest version, in
    its own name (AffiliationReview), once per version; the trail of the obligation keeps it with
    the actor and the opinion as the reason. The office's decision (campaign.workflow) is untouched.

    Refused with TransitionRefused: not staff of the unit's body on this route, or nothing
    submitted yet (forbidden: 403); an opinion without text; a version the body already reviewed.
    """
    locked = (
        Obligation.objects.select_for_update(of=("self",)).select_related("unit__party_affiliation").get(pk=obligation.pk)
    )
    if not can(actor, "review_affiliation", locked):
        raise TransitionRefused(
            _("您无权审阅：只有该单位党组织隶属的归口党（工）委工作人员，在材料报送后可以审阅。"), forbidden=True
        )
    opinion = (opinion or "").strip()
    if decision not in AffiliationReview.Decision.values:
        raise TransitionRefused(_("请选择审阅结论。"))
    if decision == AffiliationReview.Decision.OPINION and not opinion:
        raise TransitionRefused(_("提出意见时必须填写意见内容。"))
    submission = locked.submissions.order_by("-version").first()
    body = locked.unit.party_affiliation
    if AffiliationReview.objects.filter(submission=submission, body=body).exists():
        raise TransitionRefused(_("本单位已审阅过这一版材料；单位报送新版本后可再次审阅。"))
    review = AffiliationReview.objects.create(
        obligation=locked, submission=submission, body=body, reviewer=actor, decision=decision, opinion=opinion,
        created_at=clock.now(),
    )
    record_change(locked, "affiliation_review", actor=actor, reason=opinion, changes={
        "affiliation_review": change(None, f"{body.name}：{review.get_decision_display()}"),
        "version": change(None, submission.version),
    })
    return review
