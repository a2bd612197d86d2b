"""supervision's panel of the home page (core.panels): the groups the person is in, each with the
units currently assigned and their open and overdue work."""

from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from access.scope import scope_for
from campaign import status as obligation_status
from campaign.current import current_campaign, kept_name
from campaign.models import ObligationQuerySet
from core import personal_cache
from supervision.models import Feedback, GroupAssignment, SupervisionGroup
from units import scope as units

# Units a group's card on the home page lists (the most overdue first); the rest are on the
# workspace, one page at a time (a group assigned unit by unit may hold thousands).
HOME_PREVIEW = 10


def supervision_section(user, now, campaign):
    if not scope_for(user).is_supervisor:  # the scope knows the user's active groups already
        return None
    groups = list(SupervisionGroup.objects.in_campaign(campaign).filter(members__user=user, is_active=True).order_by("name", "pk"))
    if not groups:
        return None
    # Ranking aggregates every assignment's obligations (a group assigned unit by unit to a city:
    # 28,000 rows, 120 ms): kept for the person a short while (core.personal_cache).
    ranking, totals = personal_cache.remember(
        user, kept_name("home-groups", campaign), lambda: _ranking(user, now, campaign, groups))
    shown = GroupAssignment.objects.select_related("unit").in_bulk([pk for _group, pk, _open, _overdue in ranking])
    by_group = {group.pk: [] for group in groups}
    for group_id, pk, open_count, overdue_count in ranking:
        if pk in shown and group_id in by_group:
            assignment = shown[pk]
            assignment.open_count, assignment.overdue_count = open_count, overdue_count
            by_group[group_id].append(assignment)
    for group in groups:
        group.current_assignments = by_group[group.pk]
        group.assignment_count = totals.get(group.pk, 0)
    # What waits for this person (material to review, feedback to sign off) is counted by the to-do
    # (notifications.todo), which leads the home page.
    return {"groups": groups, "preview": HOME_PREVIEW}


def _ranking(user, now, campaign, groups):
    """([(group id, assignment id, open, overdue)]: each group's first HOME_PREVIEW current
    assignments, most overdue first, in one query; {group id: how many assignments})."""
    in_campaign = ObligationQuerySet.campaign_q(campaign, "unit__obligations__")
    assigned = (
        GroupAssignment.objects.current(timezone.localdate(now))
        .filter(group__in=groups)
        .filter(units.seen(scope_for(user), "unit__"))
    )
    counted = assigned.annotate(
        open_count=Count("unit__obligations", filter=obligation_status.open_q("unit__obligations__") & in_campaign),
        overdue_count=Count("unit__obligations", filter=obligation_status.overdue_q(now, "unit__obligations__") & in_campaign),
    )
    ranked = counted.annotate(
        rank=Window(RowNumber(), partition_by=[F("group_id")],
                    order_by=[F("overdue_count").desc(), F("open_count").desc(), F("unit__path").asc(), F("pk").asc()]),
    ).filter(rank__lte=HOME_PREVIEW).order_by("group_id", "rank")
    ranking = list(ranked.values_list("group_id", "pk", "open_count", "overdue_count"))
    totals = {row["group"]: row["n"] for row in assigned.values("group").annotate(n=Count("pk")).order_by()}
    return ranking, totals


def supervision_panel(request, now):
    section = supervision_section(request.user, now, current_campaign(request))
    return {"supervision": section} if section else None


def feedback_panel(request, units):
    """A unit's workspace: the feedback its supervision group has signed off (DESIGN rule 9)."""
    if not units:
        return None
    feedback = (
        Feedback.objects.restrict(request.user).signed_off().filter(unit__in=units)
        .select_related("group", "unit").order_by("-signed_off_at")[:50]
    )
    return {"feedback": list(feedback)}
