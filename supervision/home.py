"""supervision's panel of the home page (core.panels): the groups the person is in, each with the
units currently assigned and their open and overdue work."""

from django.db.models import Count
from django.utils import timezone

from access.scope import scope_for
from campaign import status as obligation_status
from campaign.current import current_campaign
from campaign.models import ObligationQuerySet
from supervision.models import Feedback, GroupAssignment, SupervisionGroup
from units import scope as units


def supervision_section(user, now, campaign):
    if not scope_for(user).is_supervisor:  # the scope knows the user's active groups already
        return None
    groups = list(SupervisionGroup.objects.in_campaign(campaign).filter(members__user=user, is_active=True).order_by("name", "pk"))
    if not groups:
        return None
    in_campaign = ObligationQuerySet.campaign_q(campaign, "unit__obligations__")
    assignments = (
        GroupAssignment.objects.current(timezone.localdate(now))
        .filter(group__in=groups)
        .filter(units.seen(scope_for(user), "unit__"))
        .select_related("unit")
        .annotate(
            open_count=Count("unit__obligations", filter=obligation_status.open_q("unit__obligations__") & in_campaign),
            overdue_count=Count("unit__obligations", filter=obligation_status.overdue_q(now, "unit__obligations__") & in_campaign),
        )
        .order_by("unit__path", "pk")
    )
    by_group = {group.pk: [] for group in groups}
    for assignment in assignments:
        by_group[assignment.group_id].append(assignment)
    for group in groups:
        group.current_assignments = by_group[group.pk]
    # What waits for this person (material to review, feedback to sign off) is counted by the to-do
    # (notifications.todo), which leads the home page.
    return {"groups": groups}


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
