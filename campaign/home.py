"""campaign's panels of the home page (core.panels; DESIGN: who uses it).

- Office staff: the directives and requirements they can see, with obligation counts by status.
- Unit liaisons: their units' obligations, most urgent first.

Both in the current campaign (campaign.current).

Every list comes from a `restrict(user)` queryset and every count from one aggregate
query, so the page costs a fixed number of queries whatever the size of the province. The
office's counts per requirement are the dashboard's kept subtree figures
(campaign/dashboard.py), so that one aggregation, made in the background, serves both pages.
"""


from django.db.models import Count

from access.scope import scope_for
from campaign import dashboard
from campaign.current import current_campaign
from campaign.models import Directive, Obligation, Requirement
from units.models import Unit

# How many rows each section lists; the section header shows the full total.
DIRECTIVE_LIMIT = 15
REQUIREMENT_LIMIT = 20
OBLIGATION_LIMIT = 50


def office_section(user, now, campaign):
    directive_rows = list(
        Directive.objects.restrict(user).in_campaign(campaign)
        .select_related("issuing_unit")
        .annotate(requirement_count=Count("requirements", distinct=True))
        .order_by("-signed_on", "-id")[: DIRECTIVE_LIMIT + 1]
    )
    directives_truncated = len(directive_rows) > DIRECTIVE_LIMIT
    directive_rows = directive_rows[:DIRECTIVE_LIMIT]
    requirement_rows = list(
        Requirement.objects.restrict(user).in_campaign(campaign)
        .filter(is_active=True)
        .select_related("directive")
        .order_by("-due_at", "-id")[: REQUIREMENT_LIMIT + 1]
    )
    requirements_truncated = len(requirement_rows) > REQUIREMENT_LIMIT
    requirement_rows = requirement_rows[:REQUIREMENT_LIMIT]
    # Counts cover the office's subtrees (the whole tree for a superuser), from the dashboard's
    # figures kept per subtree and refreshed in the background (campaign.dashboard_cache).
    offices = Unit.objects.office_roots(user)
    counts = dashboard.counts_by_requirement(list(offices), campaign, now=now)
    for requirement in requirement_rows:
        figures = counts.get(requirement.pk) or dashboard.Counts()
        requirement.counts = figures
        requirement.total_count, requirement.overdue_count = figures.total, figures.overdue
        requirement.pending_count, requirement.submitted_count = figures.pending, figures.submitted
        requirement.returned_count, requirement.accepted_count = figures.returned, figures.accepted
        requirement.exempt_count = figures.exempt
    return {
        "directives": directive_rows,
        "directives_truncated": directives_truncated,
        "requirements": requirement_rows,
        "requirements_truncated": requirements_truncated,
    }


def liaison_section(user, scope, now, campaign):
    obligations = (
        Obligation.objects.restrict(user).in_campaign(campaign)
        .filter(unit_id__in=scope.liaison_unit_ids, requirement__is_active=True)
        .select_related("unit", "requirement")
        .with_status(now)
        # Open work first, earliest due first; finished work after it.
        .order_by("-is_open", "due_at", "pk")
    )
    rows = list(obligations[: OBLIGATION_LIMIT + 1])
    # The liaison's units, for their study records (002), the opinions waiting for them and their phases.
    units = list(Unit.objects.filter(pk__in=scope.liaison_unit_ids).order_by("path").only("pk", "name"))
    return {"obligations": rows[:OBLIGATION_LIMIT], "truncated": len(rows) > OBLIGATION_LIMIT, "units": units}


def office_panel(request, now):
    scope = scope_for(request.user)
    return {"office": office_section(request.user, now, current_campaign(request))} if scope.is_office else None


def liaison_panel(request, now):
    scope = scope_for(request.user)
    return {"liaison": liaison_section(request.user, scope, now, current_campaign(request))} if scope.is_liaison else None
