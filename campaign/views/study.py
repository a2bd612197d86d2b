"""Study against the campaign's thresholds (002: 采取务实有效办法抓好学习教育).

- the progress bars of a unit against each threshold of the current campaign that applies to it,
  campaign's panel on the unit's study page (units.views_study, core.panels "unit_study");
- the offices' overview: the units of their subtrees bound by a threshold, each against each
  threshold, optionally only the units behind; and its export.
"""

import tablib
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _

from access.scope import scope_for
from campaign import study
from campaign.current import current_campaign
from campaign.forms_study import StudyOverviewForm
from core.downloads import download
from units.models import Unit

PAGE_SIZE = 30


def study_panel(request, unit):
    """campaign's panel on a unit's study page: a bar per threshold that applies to the unit."""
    campaign = current_campaign(request)
    return {"campaign": campaign, "progress": study.unit_progress(unit, campaign)}


# --- the offices' overview ------------------------------------------------------------------


def _overview(request):
    if not scope_for(request.user).is_office:
        raise PermissionDenied
    form = StudyOverviewForm(request.GET or None)
    thresholds = study.thresholds_of(current_campaign(request))
    units = form.filter(Unit.objects.restrict(request.user, "manage").filter(is_active=True))
    return form, thresholds, study.units_with_progress(units, thresholds, behind_only=form.behind_only).order_by("path")


@login_required
def study_overview(request):
    form, thresholds, units = _overview(request)
    page = Paginator(units, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "campaign/study/overview.html", {
        "form": form, "thresholds": thresholds, "page": page, "query": query.urlencode(),
        "rows": [(unit, study.row_progress(unit, thresholds)) for unit in page],
    })


@login_required
def study_export(request):
    form, thresholds, units = _overview(request)
    dataset = tablib.Dataset(headers=[_("单位代码"), _("单位名称"), *[
        f"{t.label}（{t.get_level_display() or _('各层级')}，{_('要求')} {t.minimum.normalize():f}）" for t in thresholds
    ], _("是否达标")])
    for unit in units.iterator(chunk_size=2000):
        progress = study.row_progress(unit, thresholds)
        dataset.append([unit.code, unit.name, *[
            "" if p is None else f"{p.achieved.normalize():f}" for p in progress
        ], _("是") if all(p is None or p.met for p in progress) else _("否")])
    return download(dataset, request.GET.get("format", "xlsx"), "study-progress")
