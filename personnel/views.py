"""Office pages for accounts: the list, one account, a new account (its initial password shown
once), edit, deactivate and reactivate, roles, a new initial password, and the .xlsx import
(checked and previewed, then confirmed, all or nothing)."""

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from openpyxl import Workbook

from access.policy import can, restrict
from access.scope import scope_for
from audit.services import snapshot
from core.people import person_name
from personnel import actions, imports
from personnel.forms import AccountForm, EditForm, GrantForm, ImportForm, ReasonForm, RoleForm
from personnel.roles import Role, held_by
from supervision.models import GroupMember, SupervisionGroup
from units.models import Unit, UnitMembership

PAGE_SIZE = 100


def _offices_only(request):
    if not scope_for(request.user).is_office:
        raise PermissionDenied


def _accounts(user):
    return restrict(get_user_model().objects.all(), user)


def _account(request, account_id, action="view"):
    account = get_object_or_404(_accounts(request.user), pk=account_id)
    if action != "view" and not can(request.user, action, account):
        raise PermissionDenied
    return account


@login_required
@require_GET
def account_list(request):
    _offices_only(request)
    q = request.GET.get("q", "").strip()
    status = request.GET.get("status", "active")
    accounts = _accounts(request.user).order_by("full_name", "username")
    if q:
        accounts = accounts.filter(Q(username__icontains=q) | Q(full_name__icontains=q) | Q(mobile__icontains=q))
    if status == "active":
        accounts = accounts.filter(is_active=True)
    elif status == "inactive":
        accounts = accounts.filter(is_active=False)
    accounts = accounts.prefetch_related(
        Prefetch("unit_memberships", queryset=UnitMembership.objects.select_related("unit").order_by("unit__path")),
        Prefetch("group_memberships", queryset=GroupMember.objects.select_related("group")),
    )
    page = Paginator(accounts, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "personnel/list.html", {"page": page, "q": q, "status": status, "query": query.urlencode()})


@login_required
@require_GET
def account_detail(request, account_id):
    account = _account(request, account_id)
    manageable = can(request.user, "manage", account)
    return render(request, "personnel/detail.html", {
        "account": account,
        "held": held_by(account),
        "can_manage": manageable,
        "role_form": RoleForm(user=request.user) if manageable else None,
        "reason_form": ReasonForm() if manageable else None,
    })


def _preset(request):
    """A new account's first role as the page that linked here suggests it (a unit's page, a group's)."""
    unit_id, group_id = request.GET.get("unit", ""), request.GET.get("group", "")
    if unit_id.isdecimal():
        unit = Unit.objects.filter(pk=unit_id).first()
        if unit is not None and can(request.user, "manage", unit):
            return {"role": Role.LIAISON, "unit_code": unit.code}
    if group_id.isdecimal():
        group = SupervisionGroup.objects.restrict(request.user, "manage").filter(pk=group_id).first()
        if group is not None:
            return {"role": Role.GROUP_MEMBER, "group": group.pk}
    return {}


# never_cache: the answer to a good form carries the initial password, shown once.
@never_cache
@login_required
def account_create(request):
    _offices_only(request)
    form = AccountForm(request.POST or None)
    grant_form = GrantForm(request.POST or None, user=request.user, initial=_preset(request))
    if request.method == "POST" and all([form.is_valid(), grant_form.is_valid()]):
        grant = grant_form.grant()
        reason = form.cleaned_data["reason"] or _("新建账号")
        password = actions.create_account(form.instance, grant, actor=request.user, reason=reason)
        return render(request, "personnel/created.html", {"made": [(form.instance, grant, password)], "single": True})
    return render(request, "personnel/form.html", {"form": form, "grant_form": grant_form, "title": _("新建账号")})


@login_required
def account_edit(request, account_id):
    account = _account(request, account_id, "manage")
    before = snapshot(account, actions.ACCOUNT_FIELDS)
    form = EditForm(request.POST or None, instance=account)
    if request.method == "POST" and form.is_valid():
        actions.edit_account(form.instance, before, actor=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("账号信息已保存。"))
        return redirect(account)
    return render(request, "personnel/form.html", {"form": form, "account": account, "title": _("编辑账号")})


def _reason(request):
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写理由。"))
        return None
    return form.cleaned_data["reason"]


@login_required
@require_POST
def account_deactivate(request, account_id):
    account = _account(request, account_id, "manage")
    reason = _reason(request)
    if reason is not None:
        if account.is_active:
            actions.deactivate_account(account, actor=request.user, reason=reason)
        messages.success(request, _("已停用账号：%(name)s") % {"name": person_name(account)})
    return redirect(account)


@login_required
@require_POST
def account_reactivate(request, account_id):
    account = _account(request, account_id, "manage")
    reason = _reason(request)
    if reason is not None:
        if not account.is_active:
            actions.reactivate_account(account, actor=request.user, reason=reason)
        messages.success(request, _("已恢复账号：%(name)s") % {"name": person_name(account)})
    return redirect(account)


@never_cache
@login_required
@require_POST
def account_password_reset(request, account_id):
    account = _account(request, account_id, "manage")
    reason = _reason(request)
    if reason is None:
        return redirect(account)
    password = actions.reset_password(account, actor=request.user, reason=reason)
    return render(request, "personnel/created.html", {"made": [(account, None, password)], "single": True, "reset": True})


@login_required
@require_POST
def account_role_add(request, account_id):
    account = _account(request, account_id, "manage")
    form = RoleForm(request.POST, user=request.user)
    if form.is_valid():
        grant = form.grant()
        actions.grant_role(account, grant, actor=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("已增加角色：%(role)s") % {"role": grant})
    else:
        messages.error(request, form.error_text())
    return redirect(account)


@login_required
@require_POST
def account_role_remove(request, account_id):
    account = _account(request, account_id, "manage")
    held = {h.key: h for h in held_by(account)}
    chosen = held.get(request.POST.get("role", ""))
    if chosen is None:
        raise BadRequest(_("该角色不存在或已移除。"))
    reason = _reason(request)
    if reason is None:
        return redirect(account)
    if len(held) == 1:
        messages.error(request, _("这是该账号唯一的角色，不能移除；不再使用的账号请停用。"))
        return redirect(account)
    actions.revoke_role(account, chosen, actor=request.user, reason=reason)
    messages.success(request, _("已移除角色：%(role)s") % {"role": chosen.grant})
    return redirect(account)


# --- import ---------------------------------------------------------------------------------


@login_required
@require_GET
def import_template(request):
    """The import file: its columns, an example of each role, and the roles this office may give."""
    _offices_only(request)
    book = Workbook()
    sheet = book.active
    sheet.title = "账号"
    sheet.append(list(imports.COLUMNS.values()))
    sheet.append(["lixiaohong", "李晓红", "330106", "单位联络员", "13812345678"])
    sheet.append(["zhangwei", "张伟", "330100", "领导小组办公室工作人员", ""])
    groups = list(SupervisionGroup.objects.restrict(request.user, "manage").filter(is_active=True).select_related("office"))
    if groups:
        sheet.append(["wangfang", "王芳", groups[0].office.code, f"督导组成员：{groups[0].name}", "13912345678"])
    for column, width in zip("ABCDE", (16, 12, 14, 36, 16), strict=True):
        sheet.column_dimensions[column].width = width
        sheet[f"{column}2"].number_format = sheet[f"{column}3"].number_format = "@"
    notes = book.create_sheet("说明")
    notes.append([_("每行一个新账号。示例行请删除后再填写。")])
    notes.append([_("角色可填：单位联络员、领导小组办公室工作人员（单位代码填所在单位），"
                    "或 督导组成员：组名、督导组组长：组名（单位代码填派出单位）。")])
    notes.append([_("只能为本单位及下级单位、本单位派出的督导组建立账号；文件中任何一行有错误时，整个文件都不会导入。")])
    notes.append([_("导入后页面会列出每个账号的初始密码，只显示一次；首次登录须修改密码。")])
    if groups:
        notes.append([_("本单位可选的督导组：")])
        for group in groups:
            notes.append([f"督导组成员：{group.name}", group.office.code, group.office.name])
    notes.column_dimensions["A"].width = 90
    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="accounts-template.xlsx"'
    book.save(response)
    return response


def _import_dir():
    folder = Path(settings.MEDIA_ROOT) / "account-imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@login_required
def account_import(request):
    """Upload and check; a file without errors is previewed and kept for the confirmation."""
    _offices_only(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        path = _import_dir() / f"{uuid.uuid4().hex}.xlsx"
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        rows, errors = imports.check_file(path, request.user)
        if errors:
            path.unlink(missing_ok=True)
            context["errors"] = errors
        else:
            request.session["account_import"] = path.name
            request.session["account_import_name"] = upload.name[:200]
            context.update(token=path.name, rows=rows)
    return render(request, "personnel/import.html", context)


@never_cache
@login_required
@require_POST
def account_import_confirm(request):
    """Check the kept file again (people and units may have changed since) and write it, all or nothing."""
    _offices_only(request)
    name = request.session.get("account_import")
    path = _import_dir() / name if name else None
    if not name or name != request.POST.get("token") or not path.exists():
        raise BadRequest(_("导入文件已失效，请重新上传。"))
    file_name = request.session.get("account_import_name", name)
    rows, errors = imports.check_file(path, request.user)
    path.unlink(missing_ok=True)
    del request.session["account_import"]
    if errors:
        return render(request, "personnel/import.html", {"form": ImportForm(), "errors": errors})
    made = actions.import_accounts([(row.user, row.grant) for row in rows], actor=request.user,
                                   reason=_("账号导入：%(file)s") % {"file": file_name})
    return render(request, "personnel/created.html", {"made": made, "file_name": file_name})
