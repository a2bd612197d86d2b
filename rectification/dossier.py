"""rectification's sections of a supervision group's dossier of a unit (core.panels page
"unit_dossier"): the unit's rectification plan with its items, and its look-back report.

supervision and rectification know each other not at all (tests/core/test_layering.py): the
dossier page (supervision) fills whatever sections are registered for "unit_dossier", and this
app registers its own in RectificationConfig.ready(), with the filters the page passes as plain
values. 003: the groups follow the units' rectification (整改方案、问题清单) and 004 their
look-back (回头看); what a person sees is what rectification.rules lets them (restrict "view").
"""

from core import paging
from rectification.models import LookBackReport, RectificationItem, RectificationPlan


def rectification_panel(request, *, unit, campaign, date_from=None, date_to=None, expanded=False, page_number=None,
                        size=10, **_other_filters):
    """The unit's plans of the campaign, and their items due within the dates asked (all of them
    without dates), earliest due first: a preview, or one page when this section is asked alone."""
    user = request.user
    plans = list(RectificationPlan.objects.restrict(user).filter(unit=unit, campaign=campaign).order_by("kind", "pk"))
    items = RectificationItem.objects.restrict(user).filter(plan__in=[plan.pk for plan in plans])
    items = items.filter(paging.within("due_on", date_from, date_to)).with_status().select_related("plan").order_by("due_on", "pk")
    shown = paging.window(items, expanded=expanded, page=page_number, size=size) if plans else paging.Window(rows=[])
    return {"plans": plans, "items_window": shown}


def lookback_panel(request, *, unit, campaign, date_from=None, date_to=None, **_other_filters):
    """The unit's look-back report of the campaign (one at most: one_lookback_per_unit), if written
    within the dates asked."""
    reports = LookBackReport.objects.restrict(request.user).filter(unit=unit, campaign=campaign)
    reports = reports.filter(paging.within("created_at__date", date_from, date_to)).select_related("created_by")
    return {"lookback_reports": list(reports.order_by("-created_at", "-pk")[:5])}
