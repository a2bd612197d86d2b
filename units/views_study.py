"""A unit's study records (002: 采取务实有效办法抓好学习教育): the list, the form to record a study
activity (its liaisons; its office corrects: units.rules.STUDY_RECORD), edit and delete. How far
the unit has come against the campaign's thresholds is campaign's panel on this page
("unit_study", core.panels)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from access.policy import can
from core import panels
from units import study as actions
from units.forms_study import StudyRecordForm
from units.models import StudyRecord, Unit

PAGE_SIZE = 30


def _study_page(request, unit, form=None, status=200):
    records = StudyRecord.objects.restrict(request.user).filter(unit=unit).order_by("-held_on", "-pk")
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    may_keep = can(request.user, "keep_records", unit)
    return render(request, "units/study/unit.html", {
        "unit": unit,
        "page": page,
        "may_keep": may_keep,
        "form": form or (StudyRecordForm() if may_keep else None),
        "panels": panels.fill("unit_study", request, unit=unit),
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
    return redirect("units:study", unit_id=unit.pk)


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
        return redirect("units:study", unit_id=record.unit_id)
    return render(request, "units/study/edit.html", {"form": form, "record": record},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def study_record_delete(request, record_id):
    record = _record(request, record_id, "delete")
    unit_id = record.unit_id
    actions.delete_study_record(record, actor=request.user)
    messages.success(request, _("学习记录已删除。"))
    return redirect("units:study", unit_id=unit_id)
