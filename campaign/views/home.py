"""The home page: one section per role the user holds (DESIGN: who uses it).

- Office staff: the directives and requirements they can see, with obligation counts by status.
- Supervision group members: their groups and the units currently assigned, with open work.
- Unit liaisons: their units' obligations, most urgent first.

Every list comes from a `restrict(user)` queryset and every count from one aggregate
query, so the page costs a fixed number of queries whatever the size of the province. The
office's counts per requirement are the dashboard's cached subtree figures
(campaign/dashboard.py), so that one aggregation serves both pages.
"""


from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import render
from django.utils import timezone

from access.scope import scope_for
from campaign import dashboard
from campaign import status as obligation_status
from campaign.models import Directive, Obligation, Requirement
from core import clock
from supervision.models import GroupAssignment, SupervisionGroup
from units import scope as units
from units.models import Unit

# How many rows each section lists; the section header shows the full total.
DIRECTIVE_LIMIT = 15
REQUIREMENT_LIMIT = 20
OBLIGATION_LIMIT = 50


def office_section(user, now):
    directive_rows = list(
        Directive.objects.restrict(user)
        .select_related("issuing_unit")
        .annotate(requirement_count=Count("requirements", distinct=True))
        .order_by("-signed_on", "-id")[: DIRECTIVE_LIMIT + 1]
    )
    directives_truncated = len(directive_rows) > DIRECTIVE_LIMIT
    directive_rows = directive_rows[:DIRECTIVE_LIMIT]
    requirement_rows = list(
        Requirement.objects.restrict(user)
        .filter(is_active=True)
        .select_related("directive")
        .order_by("-due_at", "-id")[: REQUIREMENT_LIMIT + 1]
    )
    requirements_truncated = len(requirement_rows) > REQUIREMENT_LIMIT
    requirement_rows = requirement_rows[:REQUIREMENT_LIMIT]
    # Counts cover the office's subtrees (the whole tree for a superuser), from the dashboard's
    # cached per-subtree figures: one unit query carrying the data fingerprint, and the grouped
    # count only when the data or the minute changed.
    offices = Unit.objects.office_roots(user)
    counts = dashboard.counts_by_requirement(list(dashboard.with_data_version(offices)), now=now)
    for requirement in requirement_rows:
        figures = counts.get(requirement.pk) or dashboard.Counts()
        requirement.counts = figures
        requirement.total_count, requirement.overdue_count = figures.total, figures.overdue
        requirement.pending_count, requirement.submitted_count = figures.pending, figures.submitted
        requirement.returned_count, requirement.accepted_count = figures.returned, figures.accepted
    return {
        "directives": directive_rows,
        "directives_truncated": directives_truncated,
        "requirements": requirement_rows,
        "requirements_truncated": requirements_truncated,
    }


def supervision_section(user, now):
    groups = list(SupervisionGroup.objects.filter(members__user=user, is_active=True).order_by("name", "pk"))
    if not groups:
        return None
    assignments = (
        GroupAssignment.objects.current(timezone.localdate(now))
        .filter(group__in=groups)
        .filter(units.seen(scope_for(user), "unit__"))
        .select_related("unit")
        .annotate(
            open_count=Count("unit__obligations", filter=obligation_status.open_q("unit__obligations__")),
            overdue_count=Count("unit__obligations", filter=obligation_status.overdue_q(now, "unit__obligations__")),
        )
        .order_by("unit__path", "pk")
    )
    by_group = {group.pk: [] for group in groups}
    for assignment in assignments:
        by_group[assignment.group_id].append(assignment)
    for group in groups:
        group.current_assignments = by_group[group.pk]
    return {"groups": groups}


def liaison_section(user, scope, now):
    obligations = (
        Obligation.objects.restrict(user)
        .filter(unit_id__in=scope.liaison_unit_ids, requirement__is_active=True)
        .select_related("unit", "requirement")
        .with_status(now)
        # Open work first, earliest due first; finished work after it.
        .order_by("-is_open", "due_at", "pk")
    )
    rows = list(obligations[: OBLIGATION_LIMIT + 1])
    return {"obligations": rows[:OBLIGATION_LIMIT], "truncated": len(rows) > OBLIGATION_LIMIT}


@login_required
def home(request):
    user = request.user
    scope = scope_for(user)
    now = clock.now()
    office = office_section(user, now) if (scope.everything or scope.office_paths) else None
    supervision = supervision_section(user, now)
    liaison = liaison_section(user, scope, now) if scope.liaison_unit_ids else None
    context = {
        "office": office,
        "supervision": supervision,
        "liaison": liaison,
        "has_role": bool(office or supervision or liaison),
    }
    return render(request, "home/home.html", context)
