"""The progress dashboard over an office's subtree, with drill-down and its export (a background job)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from access.policy import can
from access.scope import scope_for
from campaign import dashboard
from campaign.current import current_campaign
from campaign.export import start_progress_export
from core import clock, traffic_light
from units.models import PATH_SEGMENT, Unit


def _unit_and_neighbours(request):
    """The unit of the view (?unit=<id>, default the user's own office), its children and the
    breadcrumb from the user's office down to it. Two queries at most."""
    scope = scope_for(request.user)
    unit_id = request.GET.get("unit")
    if unit_id:
        if not unit_id.isdecimal():
            raise Http404
        unit = Unit.objects.restrict(request.user).filter(pk=unit_id).first()
        if unit is None:
            raise Http404
        top = next((path for path in scope.office_paths if unit.path.startswith(path)), unit.path[:PATH_SEGMENT])
        prefixes = [unit.path[:end] for end in range(len(top), len(unit.path), PATH_SEGMENT)]
        related = list(Unit.objects.filter(Q(path__in=prefixes) | Q(parent_id=unit.pk)).order_by("path"))
    else:
        offices = sorted(zip(scope.office_paths, scope.office_unit_ids, strict=True), key=lambda item: len(item[0]))
        if offices:
            # The user's topmost office and its children, through the primary key and parent
            # indexes (not a scan of the subtree).
            unit_pk = offices[0][1]
            units = Unit.objects.filter(Q(pk=unit_pk) | Q(parent_id=unit_pk))
        elif scope.everything:
            units = Unit.objects.filter(depth__lte=1)
        else:
            raise PermissionDenied
        related = list(units.order_by("path"))
        unit = next((u for u in related if offices and u.pk == offices[0][1]), None) or next(
            (u for u in related if u.depth == 0), None
        )
        if unit is None:
            raise Http404
        prefixes = []
    if not can(request.user, "manage", unit):
        raise PermissionDenied
    children = [u for u in related if u.parent_id == unit.pk and u.pk != unit.pk]
    breadcrumb = [u for u in related if u.path in prefixes] + [unit]
    return unit, children, breadcrumb


@login_required
def dashboard_view(request):
    unit, children, breadcrumb = _unit_and_neighbours(request)
    campaign = current_campaign(request)
    progress = dashboard.progress_for(unit, children, campaign)
    chart = {
        "units": [child.unit.name for child in progress.children],
        "series": {
            state: [getattr(child.counts, state) for child in progress.children]
            for state in ("pending", "submitted", "returned", "accepted", "exempt", "overdue")
        },
        "phases": [name for name, _counts in progress.by_phase],
        "phase_rates": [counts.on_time_rate or 0 for _name, counts in progress.by_phase],
    }
    return render(
        request,
        "campaign/dashboard.html",
        {"unit": unit, "progress": progress, "breadcrumb": breadcrumb, "chart": chart, "yellow_days": traffic_light.due_soon_days(),
         "campaign": campaign, "counted_today": clock.local(progress.as_of).date() == clock.today()},
    )


@login_required
@require_POST
def dashboard_export(request):
    """The obligations behind the current view (the unit's subtree, the current campaign), as .xlsx:
    written by the worker (campaign.export), the person sent to the job's page."""
    unit, _children, _breadcrumb = _unit_and_neighbours(request)
    return redirect(start_progress_export(unit, current_campaign(request), owner=request.user))
