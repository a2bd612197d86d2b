"""Progress over an office's subtree in one campaign: the numbers behind the dashboard and the directive page.

One grouped query counts the obligations under a unit by child unit and requirement
(Substr of the unit path at the child's length), with conditional counts for every
state; the rows are summed per child and per requirement once (Figures) and kept per
subtree, recomputed off the request path after a change under it (campaign.dashboard_cache),
and everything else (per phase, traffic lights) comes from those sums. The dashboard,
the home page and the directive page all read their counts from here. DESIGN rule 4
gives the traffic light.
"""

import hashlib
import uuid
from dataclasses import dataclass, field

from django.db.models.functions import Substr

from access.scope import scope_for
from campaign import dashboard_cache
from campaign import status as obligation_status
from campaign.models import Obligation, Requirement
from core import clock, traffic_light
from units import scope as units_scope
from units.models import PATH_SEGMENT, Unit

# What writers call after a change the figures count (campaign.dashboard_cache).
mark_changed = dashboard_cache.mark_changed
mark_obligations_changed = dashboard_cache.mark_obligations_changed
mark_everything_changed = dashboard_cache.mark_everything_changed

@dataclass
class Counts:
    """Obligation counts in one cell of the dashboard."""

    total: int = 0
    pending: int = 0
    submitted: int = 0
    returned: int = 0
    accepted: int = 0
    exempt: int = 0
    overdue: int = 0
    due_soon: int = 0
    on_time: int = 0
    late: int = 0

    FIELDS = ("total", "pending", "submitted", "returned", "accepted", "exempt", "overdue", "due_soon", "on_time", "late")

    def add(self, other):
        for name in self.FIELDS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self

    @property
    def on_time_rate(self):
        """Share of the obligations that came due or were submitted that were submitted on time.

        Denominator: submitted on time + submitted late + still open past the due moment.
        Exempt obligations (免报) are in none of these (campaign.status.counts): an office's
        exemption neither raises nor lowers the rate. None when nothing has come due yet.
        """
        base = self.on_time + self.late + self.overdue
        return None if not base else round(100 * self.on_time / base, 1)

    @property
    def light(self):
        """DESIGN rule 4: red when anything is overdue, yellow when something open is due soon."""
        return traffic_light.worst(self.overdue, self.due_soon)

    @property
    def light_label(self):
        return traffic_light.LABELS[self.light]


def _state_counts(now):
    """The counts a dashboard cell shows, by the rules of campaign.status."""
    every = obligation_status.counts(now)
    return {name: every[name] for name in Counts.FIELDS}


def _requirement_info(requirement_ids):
    """Plain data about requirements, cached alongside the counts."""
    return {
        row["pk"]: row
        for row in Requirement.objects.filter(pk__in=requirement_ids).values(
            "pk", "title", "due_at", "due_event", "due_days", "due_workdays", "directive_id", "directive__number",
            "directive__title",
            "phase_id", "phase__name", "phase__ordinal",
            "recurrence_frequency", "recurrence_day", "recurrence_weekday", "recurrence_month",
        )
    }


@dataclass
class Figures:
    """The counts under one unit, already summed: what the cache holds for a subtree.

    by_child: {child path (the unit's own path for its own obligations, "本级"): Counts}
    by_requirement: {requirement id: Counts}; info: {requirement id: plain data};
    fingerprint: changes whenever the figures may have changed (for caching what is made of them).
    """

    total: Counts
    by_child: dict
    by_requirement: dict
    info: dict
    as_of: object = None  # the moment the figures were counted at (统计截至)
    fingerprint: str = ""
    # False when served while their refresh is queued (a change under the subtree since as_of).
    current: bool = True


def compute_subtree_figures(path, campaign, now):
    """The Figures of the subtree at `path` in `campaign` at `now`, from the database: one grouped
    query (by child and requirement) and one requirement lookup."""
    child_length = len(path) + PATH_SEGMENT
    total, by_child, by_requirement = Counts(), {}, {}
    for row in (
        Obligation.objects.in_campaign(campaign).filter(unit__path__startswith=path)
        .annotate(child=Substr("unit__path", 1, child_length))
        .values("child", "requirement_id")
        .annotate(**_state_counts(now))
        .order_by()
    ):
        counts = counts_from(row)
        total.add(counts)
        by_child.setdefault(row["child"], Counts()).add(counts)
        by_requirement.setdefault(row["requirement_id"], Counts()).add(counts)
    return Figures(total, by_child, by_requirement, _requirement_info(set(by_requirement)), as_of=now)


def subtree_figures(unit, campaign, now=None, use_cache=True):
    """The Figures for the subtree of `unit` in `campaign`: the last result computed in the
    background (campaign.dashboard_cache: refreshed by a Celery task after a change under `unit`
    or when older than DASHBOARD_REFRESH_SECONDS; `as_of` says when), or computed here when there
    is none yet or the cache is down. `use_cache=False` computes at `now` and keeps nothing."""
    return _figures_at(unit.path, campaign, now, use_cache)


def _figures_at(path, campaign, now, use_cache):
    if not use_cache:
        figures = compute_subtree_figures(path, campaign, now or clock.now())
        figures.fingerprint = uuid.uuid4().hex
        return figures
    return dashboard_cache.figures_for(path, campaign, now=now)


def counts_from(row):
    return Counts(**{name: row.get(name, 0) for name in Counts.FIELDS})


def outermost(paths):
    """`paths` without those inside another one's subtree (each obligation is counted once)."""
    paths = sorted(set(paths))
    return [path for path in paths if not any(path != other and path.startswith(other) for other in paths)]


def counts_by_requirement(units, campaign, now=None, use_cache=True):
    """{requirement id: Counts} over the subtrees of `units` in `campaign`, summed from the same kept
    figures as the dashboard: no second aggregation."""
    return _summed_by_requirement([unit.path for unit in units], campaign, now, use_cache)[0]


def _summed_by_requirement(paths, campaign, now, use_cache, requirement_ids=None):
    """({requirement id: Counts} over the subtrees at `paths`, whether every figure is current)."""
    now = now or clock.now()
    totals, current = {}, True
    for path in outermost(paths):
        figures = _figures_at(path, campaign, now, use_cache)
        current = current and figures.current
        for requirement_id, counts in figures.by_requirement.items():
            if requirement_ids is None or requirement_id in requirement_ids:
                totals.setdefault(requirement_id, Counts()).add(counts)
    return totals, current


def reader_subtrees(user):
    """The paths of the subtrees holding exactly the obligations `user` sees (campaign.rules,
    OBLIGATION "view"), so that their kept figures are the reader's own counts; None when they do
    not: no office, or a role reaching beyond the offices' subtrees (a liaison or a supervision
    group's unit elsewhere, or a unit elsewhere whose Party organisation belongs to the office, 004)."""
    scope = scope_for(user)
    if scope.everything:
        return list(Unit.objects.filter(parent__isnull=True).values_list("path", flat=True))
    paths = scope.office_paths
    if not paths:
        return None
    if not all(any(anchor.path.startswith(path) for path in paths) for anchor in scope.liaisons + scope.assignments):
        return None
    if Unit.objects.filter(party_affiliation_id__in=scope.office_unit_ids).exclude(units_scope.office_over(scope)).exists():
        return None
    return paths


def reader_counts_by_requirement(user, requirement_ids, campaign, now=None):
    """({requirement id: Counts} over the obligations of `requirement_ids` that `user` sees, exact):
    the kept figures of the reader's subtrees (reader_subtrees: an office, a superuser; `exact` is
    False while they wait for their refresh after a change), else one grouped count here over
    what the reader sees (a liaison's units, a supervision group's), exact."""
    now = now or clock.now()
    requirement_ids = set(requirement_ids)
    subtrees = reader_subtrees(user)
    if subtrees is not None:
        return _summed_by_requirement(subtrees, campaign, now, True, requirement_ids)
    rows = (
        Obligation.objects.restrict(user).filter(requirement_id__in=requirement_ids)
        .values("requirement_id").annotate(**_state_counts(now)).order_by()
    )
    return {row["requirement_id"]: counts_from(row) for row in rows}, True


@dataclass
class ChildProgress:
    unit: object
    counts: Counts = field(default_factory=Counts)
    is_self: bool = False


@dataclass
class Progress:
    """Everything the dashboard shows for one unit."""

    unit: object
    total: Counts
    children: list  # [ChildProgress], the unit's own obligations first
    by_requirement: list  # [(requirement info dict, Counts)], by due date
    by_phase: list  # [(phase name or "", Counts)], in phase order
    as_of: object = None  # when the figures were counted (统计截至): they may be a little behind the clock
    # Changes whenever anything shown may change (figures, the minute, the unit and its children's
    # names): the key under which the rendered tables are cached.
    fingerprint: str = ""


def progress_for(unit, children, campaign, now=None, use_cache=True):
    """The dashboard of `unit` with its `children` (ordered) in `campaign`, from `subtree_figures`."""
    figures = subtree_figures(unit, campaign, now=now, use_cache=use_cache)
    by_child = figures.by_child
    child_list = []
    if unit.path in by_child:
        child_list.append(ChildProgress(unit, by_child[unit.path], is_self=True))
    child_list += [ChildProgress(child, by_child.get(child.path, Counts())) for child in children]
    info = figures.info
    by_requirement = sorted(
        ((info[pk], counts) for pk, counts in figures.by_requirement.items() if pk in info),
        # A due moment still waiting for the units' meetings (待定, rule 13) sorts after every date.
        key=lambda item: (item[0]["due_at"] is None, item[0]["due_at"] or 0, item[0]["pk"]),
    )
    phases = {}
    for requirement, counts in by_requirement:
        key = (requirement["phase__ordinal"] is None, requirement["phase__ordinal"] or 0, requirement["phase__name"] or "")
        phases.setdefault(key, Counts()).add(counts)
    by_phase = [(key[2], counts) for key, counts in sorted(phases.items())]
    # Uncached figures get a fingerprint of their own, so that nothing rendered from them is reused.
    names = "|".join(f"{u.pk}:{u.path}:{u.name}" for u in [unit, *children])
    fingerprint = hashlib.sha256(f"{figures.fingerprint or uuid.uuid4().hex}|{names}".encode()).hexdigest()
    return Progress(unit=unit, total=figures.total, children=child_list, by_requirement=by_requirement, by_phase=by_phase,
                    as_of=figures.as_of, fingerprint=fingerprint)


@dataclass
class PeriodRow:
    """One period of a recurring requirement on its page: the units asked, and how they reported
    (`counts`: on time, late, overdue = missing, by campaign.status), with the on-time rate of
    this period and of every period up to it (`cumulative`)."""

    start: object
    label: str
    counts: Counts
    cumulative: Counts


def period_rows(obligations, now=None):
    """The periods of a recurring requirement's `obligations` (a queryset already restricted to the
    reader and the requirement), oldest first: one grouped query, counted by the rules of
    campaign.status (the on-time rate is Counts.on_time_rate: no second definition)."""
    now = now or clock.now()
    rows, cumulative = [], Counts()
    for row in (
        obligations.filter(period_start__isnull=False).values("period_start", "period_label")
        .annotate(**_state_counts(now)).order_by("period_start")
    ):
        counts = counts_from(row)
        cumulative = Counts().add(cumulative).add(counts)
        rows.append(PeriodRow(row["period_start"], row["period_label"], counts, cumulative))
    return rows
