"""Office pages for units: tree browser, list with export, create, edit, move, deactivate,
batch/type assignment and .xlsx/.csv import (all-or-nothing)."""

import uuid
from pathlib import Path

import tablib
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from access.policy import can
from audit.services import record, record_bulk
from units.forms import AssignForm, DeactivateForm, ImportForm, MoveForm, UnitFilterForm, UnitForm
from units.models import PATH_SEGMENT, Unit
from units.resources import HEADERS, UnitResource
from units.signals import deferred_fan_out, obligations_for_new_units

PAGE_SIZE = 100
PREVIEW_ROWS = 50
FORMATS = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "csv": "text/csv; charset=utf-8"}


def _visible_unit(request, unit_id, action=None):
    unit = get_object_or_404(Unit.objects.restrict(request.user).select_related("parent", "batch"), pk=unit_id)
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
        results = list(
            Unit.objects.restrict(request.user).filter(Q(name__icontains=q) | Q(code__icontains=q)).order_by("path")[:50]
        )
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
    units = Unit.objects.restrict(request.user).select_related("parent", "batch")
    units = form.apply(units) if request.GET else units.filter(is_active=True)
    page = Paginator(units.order_by("path"), PAGE_SIZE).get_page(request.GET.get("page"))
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
    children = Unit.objects.restrict(request.user).filter(parent=unit).select_related("batch").order_by("path")
    children = Paginator(children, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "units/detail.html",
        {
            "unit": unit,
            "ancestors": unit.ancestors(),
            "children": children,
            "can_manage": can(request.user, "manage", unit),
            "obligation_count": unit.obligations.count(),
        },
    )


@login_required
def unit_create(request):
    parent = None
    if request.GET.get("parent", "").isdigit():
        parent = _visible_unit(request, request.GET["parent"], "manage")
    if not Unit.objects.office_roots(request.user).exists():
        raise PermissionDenied
    form = UnitForm(request.POST or None, user=request.user, parent=parent)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            unit = form.save()
            record(unit, "created", actor=request.user, changes={k: str(v) for k, v in form.cleaned_data.items()})
        messages.success(request, _("已新增单位：%(name)s") % {"name": unit.name})
        return redirect(unit)
    return render(request, "units/form.html", {"form": form, "title": _("新增单位")})


@login_required
def unit_edit(request, unit_id):
    unit = _visible_unit(request, unit_id, "edit")
    form = UnitForm(request.POST or None, instance=unit, user=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            changes = {name: str(form.cleaned_data[name]) for name in form.changed_data}
            unit = form.save()
            record(unit, "edited", actor=request.user, changes=changes)
            if {"batch", "unit_type", "level"} & set(form.changed_data):
                obligations_for_new_units([unit], actor=request.user)
        messages.success(request, _("单位信息已保存。"))
        return redirect(unit)
    return render(request, "units/form.html", {"form": form, "unit": unit, "title": _("编辑单位")})


@login_required
def unit_move(request, unit_id):
    unit = _visible_unit(request, unit_id, "move")
    form = MoveForm(request.POST or None, user=request.user, unit=unit)
    if request.method == "POST" and form.is_valid():
        old_parent = unit.parent
        with transaction.atomic():
            try:
                unit.move_to(form.cleaned_data["parent_code"])
            except ValidationError as exc:
                form.add_error("parent_code", exc.messages)
            else:
                record(
                    unit, "moved", actor=request.user, from_state=old_parent.code if old_parent else "",
                    to_state=unit.parent.code, changes={"path": unit.path},
                )
                obligations_for_new_units(list(Unit.objects.subtree(unit)), actor=request.user)
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
        with transaction.atomic():
            affected = list(subtree.only("pk"))
            record_bulk(affected, "deactivated", actor=request.user, from_state="active", to_state="inactive",
                        reason=form.cleaned_data["reason"])
            Unit.objects.filter(pk__in=[u.pk for u in affected]).update(is_active=False)
        messages.success(request, _("已撤销 %(count)s 个单位。") % {"count": len(affected)})
        return redirect(unit)
    warning = _("将同时撤销其下 %(count)s 个有效单位（含本单位）；历史记录保留。") % {"count": subtree.count()}
    return render(request, "units/form.html", {"form": form, "unit": unit, "title": _("撤销单位"), "warning": warning})


@login_required
@require_POST
def unit_assign(request):
    form = AssignForm(request.POST, user=request.user)
    if not form.is_valid():
        return HttpResponseBadRequest("; ".join(str(e) for errors in form.errors.values() for e in errors))
    units = list(form.cleaned_data["units"])
    changes = {}
    if form.cleaned_data["batch"]:
        changes["batch_id"] = form.cleaned_data["batch"].pk
    if form.cleaned_data["unit_type"]:
        changes["unit_type"] = form.cleaned_data["unit_type"]
    with transaction.atomic():
        Unit.objects.filter(pk__in=[u.pk for u in units]).update(**changes)
        record_bulk(units, "assigned", actor=request.user, changes={k: str(v) for k, v in changes.items()})
        obligations_for_new_units(list(Unit.objects.filter(pk__in=[u.pk for u in units])), actor=request.user)
    messages.success(request, _("已更新 %(count)s 个单位。") % {"count": len(units)})
    return redirect(request.POST.get("next") or "units:list")


# --- export and import ------------------------------------------------------------------


def _download(dataset, fmt, filename):
    if fmt not in FORMATS:
        return HttpResponseBadRequest(_("格式只能是 xlsx 或 csv。"))
    content = dataset.export(fmt)
    if fmt == "csv":
        content = "\ufeff" + content  # Excel opens UTF-8 CSV correctly only with a BOM
    response = HttpResponse(content, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


@login_required
def unit_export(request):
    """Any filtered list of units, as .xlsx or .csv in the import template's columns."""
    units = UnitFilterForm(request.GET).apply(Unit.objects.restrict(request.user))
    return _download(UnitResource().export(queryset=units), request.GET.get("format", "xlsx"), "units")


@login_required
def import_template(request):
    dataset = tablib.Dataset(headers=list(HEADERS.values()))
    dataset.append(["330106002", "西湖区灵隐街道", "灵隐街道", "330106", "乡镇、街道", "街道", "第二批", "否", "否", "是"])
    return _download(dataset, request.GET.get("format", "xlsx"), "units-template")


def _import_dir():
    folder = Path(settings.MEDIA_ROOT) / "unit-imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _load_dataset(path):
    raw = path.read_bytes()
    if path.suffix == ".csv":
        return tablib.Dataset().load(raw.decode("utf-8-sig"), format="csv")
    return tablib.Dataset().load(raw, format="xlsx")


def _errors(result):
    """Row-by-row problems: [(row number in the file, [messages])]."""
    rows = []
    for invalid in result.invalid_rows:
        messages_ = [f"{HEADERS.get(field, field)}：{message}" for field, errors in invalid.error_dict.items() for message in errors]
        rows.append((invalid.number + 1, messages_))
    for number, errors in result.row_errors():
        rows.append((number + 1, [str(error.error) for error in errors]))
    rows.extend((0, [str(error.error)]) for error in result.base_errors)
    return sorted(rows, key=lambda item: item[0])


def run_import(path, user, dry_run):
    """Validate (dry run) or write the file; writes happen only when every row is valid.

    Both passes read every row the same way inside one transaction; the writing pass then
    inserts the new units in bulk and gives them the obligations of the requirements that
    already bind their kind (units/signals.py), all or nothing.
    """
    roots = list(Unit.objects.office_roots(user))
    resource = UnitResource(roots=roots, write=not dry_run)
    try:
        dataset = _load_dataset(path)
    except Exception as exc:  # tablib/openpyxl raise many kinds on a broken file
        return None, [(0, [_("无法读取文件：%(error)s") % {"error": exc}])]
    with transaction.atomic(), deferred_fan_out(actor=user) as new_units:
        # dry_run=False: the rows themselves write nothing (resource.write decides), and no
        # per-row savepoint is needed since a failed import rolls the whole transaction back.
        result = resource.import_data(dataset, dry_run=False, use_transactions=False, raise_errors=False)
        errors = _errors(result)
        if errors or dry_run:
            transaction.set_rollback(True)
        else:
            new_units.extend(resource.create_new_units())
    return result, errors


@login_required
def unit_import(request):
    if not Unit.objects.office_roots(request.user).exists():
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        token = uuid.uuid4().hex
        path = _import_dir() / f"{token}{Path(upload.name.lower()).suffix}"
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        result, errors = run_import(path, request.user, dry_run=True)
        if errors:
            path.unlink(missing_ok=True)
            context["errors"] = errors
        else:
            request.session["unit_import"] = path.name
            dataset = _load_dataset(path)
            context.update(
                token=path.name, headers=dataset.headers, preview=dataset[:PREVIEW_ROWS], total=len(dataset),
                new=result.totals.get("new", 0), updated=result.totals.get("update", 0),
            )
    return render(request, "units/import.html", context)


@login_required
@require_POST
def unit_import_confirm(request):
    name = request.session.get("unit_import")
    if not name or name != request.POST.get("token"):
        return HttpResponseBadRequest(_("导入文件已失效，请重新上传。"))
    path = _import_dir() / name
    if not path.exists():
        return HttpResponseBadRequest(_("导入文件已失效，请重新上传。"))
    result, errors = run_import(path, request.user, dry_run=False)
    path.unlink(missing_ok=True)
    del request.session["unit_import"]
    if errors:
        return render(request, "units/import.html", {"form": ImportForm(), "errors": errors})
    totals = {"new": result.totals.get("new", 0), "updated": result.totals.get("update", 0)}
    messages.success(request, _("导入完成：新增 %(new)s 个单位，更新 %(updated)s 个。") % totals)
    return redirect("units:list")
