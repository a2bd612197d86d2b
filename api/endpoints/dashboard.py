"""The dashboard's counts over an office's subtree: the same numbers as the dashboard page, from
the same place (campaign.dashboard.progress_for over subtree_figures), for the same people (an
office over the unit: `can(user, "manage", unit)`, as the page asks)."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema

from access.policy import can
from access.scope import scope_for
from api import schemas
from api.types import RowId
from campaign import dashboard
from campaign.current import current_campaign
from campaign.models import Campaign
from core import clock
from units.models import Unit

router = Router(tags=["dashboard"])


class CountsOut(Schema):
    total: int
    pending: int
    submitted: int
    returned: int
    accepted: int
    exempt: int
    overdue: int
    due_soon: int
    on_time: int
    late: int
    on_time_rate: float | None
    light: str
    light_label: str


class CampaignRef(Schema):
    id: int
    name: str


class ChildOut(Schema):
    unit: schemas.UnitRef
    is_self: bool
    counts: CountsOut


class RequirementCountsOut(Schema):
    requirement_id: int
    title: str
    directive_number: str
    due_at: dt.datetime | None
    counts: CountsOut


class PhaseCountsOut(Schema):
    phase: str
    counts: CountsOut


class DashboardOut(Schema):
    unit: schemas.UnitRef
    campaign: CampaignRef | None
    as_of: dt.datetime
    total: CountsOut
    children: list[ChildOut]
    by_requirement: list[RequirementCountsOut]
    by_phase: list[PhaseCountsOut]


def counts_out(counts):
    return {**{name: getattr(counts, name) for name in counts.FIELDS}, "on_time_rate": counts.on_time_rate,
            "light": counts.light, "light_label": str(counts.light_label)}


def _unit(request, unit_id):
    """The unit asked for (404 when not visible), else the caller's topmost office (a superuser:
    the top of the tree)."""
    units = Unit.objects.restrict(request.user, "view")
    if unit_id is not None:
        return get_object_or_404(units, pk=unit_id)
    scope = scope_for(request.user)
    offices = sorted(zip(scope.office_paths, scope.office_unit_ids, strict=True), key=lambda item: len(item[0]))
    if offices:
        return get_object_or_404(units, pk=offices[0][1])
    if scope.everything:
        return get_object_or_404(units.filter(depth=0).order_by("path")[:1])
    raise PermissionDenied(_("工作进度只对领导小组办公室开放：请指定您所在办公室管理范围内的单位。"))


def _campaign(request, campaign_id):
    if campaign_id is None:
        return current_campaign(request)
    return get_object_or_404(Campaign.objects.restrict(request.user, "view"), pk=campaign_id)


@router.get("/dashboard", response=DashboardOut, summary="工作进度统计（与工作进度页面相同的数字）")
def get_dashboard(request, unit: RowId | None = None, campaign: RowId | None = None):
    """The dashboard's counts for the subtree of `unit` (id; default: the caller's own
    leading-group office) in `campaign` (id; default: the current campaign, the latest launched
    one the caller can see): in total, per child unit (the unit's own obligations first, as
    `is_self`), per requirement (by due date) and per phase, each with the on-time rate and
    traffic light. Open to the offices over the unit, like the page (403 otherwise; 404 when
    the unit or campaign is not visible). `as_of`: when the figures were counted (they are
    counted again in the background after a change, like the page's 统计截至)."""
    now = clock.now()
    top = _unit(request, unit)
    if not can(request.user, "manage", top):
        raise PermissionDenied(_("只有本单位或上级领导小组办公室可以查看该单位的工作进度。"))
    chosen = _campaign(request, campaign)
    children = list(Unit.objects.restrict(request.user, "view").filter(parent_id=top.pk).order_by("path"))
    progress = dashboard.progress_for(top, children, chosen, now=now)
    return {
        "unit": schemas.unit_ref(top),
        "campaign": {"id": chosen.pk, "name": chosen.name} if chosen is not None else None,
        "as_of": schemas.local(progress.as_of or now),  # when the figures were counted (campaign.dashboard_cache)
        "total": counts_out(progress.total),
        "children": [{"unit": schemas.unit_ref(c.unit), "is_self": c.is_self, "counts": counts_out(c.counts)}
                     for c in progress.children],
        "by_requirement": [
            {"requirement_id": info["pk"], "title": info["title"], "directive_number": info["directive__number"],
             "due_at": schemas.local(info["due_at"]), "counts": counts_out(counts)}
            for info, counts in progress.by_requirement
        ],
        "by_phase": [{"phase": name, "counts": counts_out(counts)} for name, counts in progress.by_phase],
    }
