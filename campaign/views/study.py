"""Study pages (002: 采取务实有效办法抓好学习教育).

- a unit's study page: its records, a progress bar per threshold of the current campaign that
  applies to it, and the form to record a study activity (its liaisons; its office corrects);
- edit and delete a record (units.rules.STUDY_RECORD);
- the offices' overview: the units of their subtrees bound by a threshold, each against each
  threshold, optionally only the units behind; and its export.
"""

import tablib
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from access.policy import can
from access.scope import scope_for
from campaign import study
from campaign.current import current_campaign
from campaign.forms_study import StudyOverviewForm, StudyRecordForm
from core.downloads import download
from units import study as actions
from units.models import StudyRecord, Unit

PAGE_SIZE = 30


def _study_page(request, unit, form=None, status=200):
    records = StudyRecord.objects.restrict(request.user).filter(unit=unit).order_by("-held_on", "-pk")
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    may_keep = can(request.user, "keep_records", unit)
    return render(request, "campaign/study/unit.html", {
        "unit": unit,
        "campaign": current_campaign(request),
        "progress": study.unit_progress(unit, current_campaign(request)),
        "page": page,
        "may_keep": may_keep,
        "form": form or (StudyRecordForm() if may_keep else None),
    }, status=status)


@login_required
def unit_study(request, unit_id):
    """GET: the unit's study page. POST: record a study activity of the unit."""
    unit = get_object_or_404(Unit.objects.restrict(request.user), pk=unit_id)
    if request.method != "POST":
        return _study_page(request, unit)
    if not can(request.user, "keep_records", unit):
        raise PermissionDenied
    form = StudyRecordForm(request.POST)
    if not form.is_valid():
        return _study_page(request, unit, form=form, status=400)
    actions.add_study_record(form.instance, unit=unit, actor=request.user)
    messages.success(request, _("学习记录已保存。"))
    return redirect("campaign:unit_study", unit_id=unit.pk)


def _record(request, record_id, action):
    record = get_object_or_404(StudyRecord.objects.restrict(request.user).select_related("unit"), pk=record_id)
    if not can(request.user, action, record):
        raise PermissionDenied
    return record


@login_required
def study_record_edit(request, record_id):
    record = _record(request, record_id, "edit")
    before = actions.before_edit(record)
    form = StudyRecordForm(request.POST or None, instance=record)
    if request.method == "POST" and form.is_valid():
        actions.edit_study_record(form.instance, before, actor=request.user)
        messages.success(request, _("学习记录已修改。"))
        return redirect("campaign:unit_study", unit_id=record.unit_id)
    return render(request, "campaign/study/edit.html", {"form": form, "record": record},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def study_record_delete(request, record_id):
    record = _record(request, record_id, "delete")
    unit_id = record.unit_id
    actions.delete_study_record(record, actor=request.user)
    messages.success(request, _("学习记录已删除。"))
    return redirect("campaign:unit_study", unit_id=unit_id)


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
