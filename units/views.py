"""Office pages for units: tree browser, list with export, create, edit, move, deactivate,
type assignment and .xlsx/.csv import (all-or-nothing)."""

import tablib
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from access.policy import can
from audit import vocabulary
from audit.services import snapshot
from core import paging, panels
from core.downloads import download
from core.queueing import publish
from core.redirects import redirect_back
from units import actions, tasks
from units import export as unit_export_job
from units.forms import AssignForm, DeactivateForm, ImportForm, MoveForm, UnitFilterForm, UnitForm
from units.imports import ImportRefused
from units.models import PATH_SEGMENT, Level, Unit, UnitImport, UnitType
from units.resources import COLUMNS

PAGE_SIZE = 100
# The tree's search shows the first matches in tree order, each with its path; more: the list page.
TREE_RESULTS = 50


def _visible_unit(request, unit_id, action=None):
    unit = get_object_or_404(Unit.objects.restrict(request.user).select_related("parent"), pk=unit_id)
    if action and not can(request.user, action, unit):
        raise PermissionDenied
    return unit


def _breadcrumbs(units):
    """{unit pk: [ancestors from the root]} for a list of units, in one query."""
    prefixes = {u.path[:end] for u in units for end in range(PATH_SEGMENT, len(u.path), PATH_SEGMENT)}
    by_path = {a.path: a for a in Unit.objects.filter(path__in=prefixes).only("pk", "name", "path")}
    return {u.pk: [by_path[p] for p in sorted(prefixes) if u.path.startswith(p) and p in by_path] for u in units}


@login_required
def unit_tree(request):
    """The tree from the user's offices down, expanded level by level (htmx), with search."""
    q = request.GET.get("q", "").strip()
    results, crumbs = [], {}
    if q:
        results = list(Unit.objects.restrict(request.user).search(q).order_by("path")[:TREE_RESULTS])
        crumbs = _breadcrumbs(results)
    roots = Unit.objects.office_roots(request.user).annotate(child_count=Count("children"))
    return render(
        request,
        "units/tree.html",
        {"roots": roots, "q": q, "results": [(u, crumbs.get(u.pk, [])) for u in results]},
    )


@login_required
def unit_children(request, unit_id):
    """htmx: the children of one unit in the tree."""
    unit = _visible_unit(request, unit_id)
    children = Unit.objects.restrict(request.user).filter(parent=unit).annotate(child_count=Count("children")).order_by("path")
    return render(request, "units/_children.html", {"unit": unit, "children": children[:500]})


@login_required
def unit_list(request):
    form = UnitFilterForm(request.GET or None)
    units = Unit.objects.restrict(request.user).select_related("parent")
    units = form.apply(units) if request.GET else units.filter(is_active=True)
    page = paging.capped_page(units.order_by("path"), request.GET.get("page"), PAGE_SIZE, narrow=True)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "units/list.html",
        {"form": form, "page": page, "query": query.urlencode(), "assign_form": AssignForm(user=request.user)},
    )


@login_required
def unit_detail(request, unit_id):
    unit = _visible_unit(request, unit_id)
    children = Unit.objects.restrict(request.user).filter(parent=unit).order_by("path")
    children = Paginator(children, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "units/detail.html",
        {
            "unit": unit,
            "ancestors": unit.ancestors(),
            "children": children,
            "can_manage": can(request.user, "manage", unit),
            "may_collect_opinions": can(request.user, "collect_opinions", unit),
            # What the apps above keep about the unit (its campaigns and batches, its obligations).
            "panels": panels.fill("unit_detail", request, unit=unit),
        },
    )


@login_required
def unit_create(request):
    parent = None
    if request.GET.get("parent", "").isdecimal():
        parent = _visible_unit(request, request.GET["parent"], "manage")
    if not Unit.objects.office_roots(request.user).exists():
        raise PermissionDenied
    form = UnitForm(request.POST or None, user=request.user, parent=parent)
    if request.method == "POST" and form.is_valid():
        unit = actions.create_unit(form.instance, actor=request.user)
        messages.success(request, _("已新增单位：%(name)s") % {"name": unit.name})
        return redirect(unit)
    return render(request, "units/form.html", {"form": form, "title": _("新增单位")})


@login_required
def unit_edit(request, unit_id):
    unit = _visible_unit(request, unit_id, "edit")
    before = snapshot(unit, actions.UNIT_FIELDS)
    form = UnitForm(request.POST or None, instance=unit, user=request.user)
    if request.method == "POST" and form.is_valid():
        unit = actions.edit_unit(form.instance, before, actor=request.user)
        messages.success(request, _("单位信息已保存。"))
        return redirect(unit)
    return render(request, "units/form.html", {"form": form, "unit": unit, "title": _("编辑单位")})


@login_required
def unit_move(request, unit_id):
    unit = _visible_unit(request, unit_id, "move")
    form = MoveForm(request.POST or None, user=request.user, unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            actions.move_unit(unit, form.cleaned_data["parent_code"], actor=request.user)
        except ValidationError as exc:
            form.add_error("parent_code", exc.messages)
        if not form.errors:
            messages.success(request, _("已移动到 %(parent)s 之下。") % {"parent": unit.parent.name})
            return redirect(unit)
    return render(request, "units/form.html", {"form": form, "unit": unit, "title": _("移动单位")})


@login_required
def unit_deactivate(request, unit_id):
    """Deactivate a unit and its subtree; units are never deleted, their history stays (rule 10)."""
    unit = _visible_unit(request, unit_id, "deactivate")
    form = DeactivateForm(request.POST or None)
    subtree = Unit.objects.subtree(unit).filter(is_active=True)
    if request.method == "POST" and form.is_valid():
        count = actions.deactivate_unit(unit, actor=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("已撤销 %(count)s 个单位。") % {"count": count})
        return redirect(unit)
    warning = _("将同时撤销其下 %(count)s 个有效单位（含本单位）；历史记录保留。") % {"count": subtree.count()}
    return render(request, "units/form.html", {"form": form, "unit": unit, "title": _("撤销单位"), "warning": warning})


@login_required
@require_POST
def unit_assign(request):
    form = AssignForm(request.POST, user=request.user)
    if not form.is_valid():
        # Back to the list the user ticked the units on, saying what was wrong.
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect_back(request, "units:list")
    units = list(form.cleaned_data["units"])
    actions.set_unit_type(units, form.cleaned_data["unit_type"], actor=request.user)
    messages.success(request, _("已更新 %(count)s 个单位。") % {"count": len(units)})
    return redirect_back(request, "units:list")


# --- export and import ------------------------------------------------------------------


def _download(dataset, fmt, filename):
    """`dataset` as a file to save (core.downloads: every text cell written inert)."""
    return download(dataset, fmt, filename)


@login_required
@require_POST
def unit_export(request):
    """Any filtered list of units (the list's filters in the address), as .xlsx or .csv in the
    import template's columns: written by the worker (units.export), the person sent to the job's page."""
    fmt = request.GET.get("format", "xlsx")
    if fmt not in unit_export_job.FORMATS:
        raise BadRequest(_("格式只能是 xlsx 或 csv。"))
    query = request.GET.copy()
    query.pop("format", None)
    query.pop("page", None)
    return redirect(unit_export_job.start_export(query, fmt, owner=request.user))


@login_required
def import_template(request):
    dataset = tablib.Dataset(headers=list(COLUMNS.values()))
    dataset.append(["330106002", "西湖区灵隐街道", "灵隐街道", "330106", "乡镇、街道", "街道", "否", "否", "是", ""])
    return _download(dataset, request.GET.get("format", "xlsx"), "units-template")


def _run_step(request, job, task, step):
    """Run a step of an import: in this request for a small file, in the worker (with a progress
    bar on the import's page) above UNIT_IMPORT_ASYNC_ROWS rows. A broker that cannot take the
    message does not fail the page: the step waits in the database, and beat queues it again
    (units.tasks.resume_unit_imports)."""
    if job.rows > settings.UNIT_IMPORT_ASYNC_ROWS:

        def queue():
            if not publish(task, (job.pk,)):
                messages.warning(request, _("后台处理暂时无法开始，系统会在几分钟内自动重试，无需重新上传。"))

        transaction.on_commit(queue)
    else:
        step(job.pk)


@login_required
def unit_import(request):
    """Upload a file of units: it is checked (a preview of every change) before anything is written."""
    if not Unit.objects.office_roots(request.user).exists():
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = actions.start_unit_import(form.cleaned_data["file"], actor=request.user, language=translation.get_language())
        except ImportRefused as exc:
            form.add_error("file", str(exc))
        else:
            _run_step(request, job, tasks.check_unit_import, actions.check_unit_import)
            return redirect(job)
    recent = UnitImport.objects.restrict(request.user).order_by("-created_at")[:10]
    return render(request, "units/import.html", {"form": form, "recent": recent})


def _import_context(job):
    """What the import's page shows: its state, progress, problems and the preview of its changes."""
    preview = job.preview or {}
    return {
        "job": job,
        "processed": min(actions.rows_processed(job), job.rows),
        "errors": job.errors,
        "new": [
            {**entry, "level": Level(entry["level"]).label, "unit_type": UnitType(entry["unit_type"]).label}
            for entry in preview.get("new", [])
        ],
        "changed": [
            {**entry, "lines": vocabulary.change_lines(Unit, entry["changes"])} for entry in preview.get("changed", [])
        ],
        "deactivated": preview.get("deactivated", []),
        "counts": {key: preview.get(f"{key}_count", 0) for key in ("new", "changed", "deactivated")},
        "form": ImportForm(),
    }


@login_required
def unit_import_job(request, import_id):
    job = get_object_or_404(UnitImport.objects.restrict(request.user), pk=import_id)
    return render(request, "units/import_job.html", _import_context(job))


@login_required
def unit_import_status(request, import_id):
    """htmx: the progress of a running import; once it has finished, the whole page reloads."""
    job = get_object_or_404(UnitImport.objects.restrict(request.user), pk=import_id)
    response = render(request, "units/_import_progress.html", _import_context(job))
    if not job.is_running:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def unit_import_confirm(request, import_id):
    job = get_object_or_404(UnitImport.objects.restrict(request.user, "confirm"), pk=import_id)
    if not actions.confirm_unit_import(job):
        messages.error(request, _("这次导入已经确认过，或已失效。"))
        return redirect(job)
    _run_step(request, job, tasks.write_unit_import, actions.write_unit_import)
    return redirect(job)
