"""The affiliation body's list (004: 省直各单位情况按党组织隶属关系同时分别报省直机关工委、省委教育工委、
省国资委党委): the reports of the units affiliated to the bodies the user staffs, on the route that
reaches the body as well as the office, with the office's state and the body's own part.

Rows come from Obligation.objects.restrict(user, "affiliation") (campaign.rules): a body sees its
part and nothing else. The page costs a fixed number of queries (the counts are one aggregate, the
rows one page).
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import render
from django.views.decorators.http import require_GET

from access.scope import scope_for
from campaign.current import current_campaign
from campaign.models import Obligation, ObligationStatus
from campaign.status import awaiting_affiliation_q
from units.models import Unit, UnitType

PAGE_SIZE = 50


def staffed_bodies(user):
    """The affiliation bodies whose staff the user is (office role at the body unit)."""
    return Unit.objects.filter(pk__in=scope_for(user).office_unit_ids, unit_type=UnitType.WORK_COMMITTEE, is_active=True)


def routed_to(user):
    """The obligations routed to the user's bodies (004), with the body's part annotated."""
    return Obligation.objects.restrict(user, "affiliation").filter(requirement__is_active=True).with_affiliation_status()


def awaiting(user):
    """Reports whose latest version waits for the user's body, oldest first."""
    return (
        routed_to(user).filter(awaiting_affiliation_q()).with_status()
        .select_related("unit", "requirement").order_by("submitted_at", "pk")
    )


@login_required
@require_GET
def affiliation_queue(request):
    user = request.user
    show = request.GET.get("show")
    show = show if show in {"awaiting", "all"} else "awaiting"
    routed = routed_to(user).in_campaign(current_campaign(request))
    counts = routed.aggregate(
        total=Count("pk"),
        submitted=Count("pk", filter=Q(submitted_at__isnull=False)),
        awaiting=Count("pk", filter=awaiting_affiliation_q()),
        accepted=Count("pk", filter=Q(status=ObligationStatus.ACCEPTED)),
    )
    if show == "awaiting":
        rows = awaiting(user).in_campaign(current_campaign(request))
    else:
        rows = routed.with_status().select_related("unit", "requirement").order_by("unit__path", "requirement__due_at", "pk")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "campaign/work/affiliation_queue.html", {
        "bodies": list(staffed_bodies(user)),
        "counts": counts,
        "show": show,
        "page": page,
        "query": f"show={show}",
    })
