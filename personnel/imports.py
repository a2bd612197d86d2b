"""Reading and checking an .xlsx file of new accounts (one row each) before anything is written.

Columns (the template, personnel.views.import_template): 登录名, 姓名, 单位代码, 角色, 手机号码.
角色 is one of 单位联络员 or 领导小组办公室工作人员 (单位代码: the unit they work at), or
督导组成员：组名 / 督导组组长：组名 (单位代码: the unit that dispatched the group; it may be
left empty when the office manages only one group of that name). Every unit and group must lie
in the importing office's subtree, exactly as on the pages (units.forms.UnitCodeField's rule,
access.policy "manage"). Messages are in Chinese, per row, and name the column.
"""

import re
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from access.policy import can
from accounts.validators import normalize_mobile
from personnel.roles import Grant, Role
from supervision.models import SupervisionGroup
from units.models import Unit

# The file's columns: fixed Chinese headers, whatever the page's language (a file is a format).
COLUMNS = {"username": "登录名", "full_name": "姓名", "unit_code": "单位代码", "role": "角色", "mobile": "手机号码"}
REQUIRED = ["username", "full_name", "role"]  # 单位代码 too, except for a group's role
MAX_ROWS = 1000
# 督导组成员：省委第一督导组, 督导组组长（省委第一督导组）, 督导组成员:…
GROUP_ROLE = re.compile(r"^(?P<role>督导组成员|督导组组长)\s*[：:（(]\s*(?P<group>[^）)]+?)\s*[）)]?$")
ROLE_WORDS = {"单位联络员": Role.LIAISON, "联络员": Role.LIAISON, "领导小组办公室工作人员": Role.OFFICE, "办公室工作人员": Role.OFFICE}


@dataclass
class Row:
    number: int  # the row's number in the file (the header is row 1)
    values: dict
    errors: list = field(default_factory=list)
    user: object = None
    grant: Grant | None = None


def cell_text(value):
    """A cell as text: Excel keeps codes and phone numbers typed as numbers as 330106.0."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_rows(path):
    """[(row number, {column: text})] of the sheet, or raise ValidationError in Chinese."""
    try:
        sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
        lines = list(sheet.iter_rows(values_only=True))
    except Exception as exc:  # openpyxl raises many kinds on a file that is not a workbook
        raise ValidationError(_("无法读取文件，请使用下载的模板（.xlsx）：%(error)s") % {"error": exc}) from exc
    if not lines:
        raise ValidationError(_("文件是空的。"))
    headers = [cell_text(value) for value in lines[0]]
    missing = [COLUMNS[name] for name in [*REQUIRED, "unit_code"] if COLUMNS[name] not in headers]
    if missing:
        raise ValidationError(_("缺少列：%(columns)s。请使用下载的模板。") % {"columns": "、".join(missing)})
    index = {name: headers.index(title) for name, title in COLUMNS.items() if title in headers}
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        values = {name: cell_text(line[i]) if i < len(line) else "" for name, i in index.items()}
        if any(values.values()):
            rows.append((number, values))
    if not rows:
        raise ValidationError(_("文件中没有账号。"))
    if len(rows) > MAX_ROWS:
        raise ValidationError(
            _("一次最多导入 %(limit)s 个账号，本文件有 %(count)s 个，请分成几个文件。") % {"limit": MAX_ROWS, "count": len(rows)}
        )
    return rows


class Checker:
    """Checks rows for one importing person; units and groups are looked up once each."""

    def __init__(self, actor):
        self.actor = actor
        self.groups = list(SupervisionGroup.objects.restrict(actor, "manage").filter(is_active=True).select_related("office"))
        self.units = {}
        self.seen = {}

    def unit(self, code):
        if code not in self.units:
            unit = Unit.objects.filter(code=code).first()
            self.units[code] = unit if unit is not None and can(self.actor, "manage", unit) else None
        return self.units[code]

    def role(self, row):
        text = row.values.get("role", "").replace(" ", "")
        code = row.values.get("unit_code", "")
        if text in ROLE_WORDS or text in Role.values:
            role = ROLE_WORDS.get(text) or Role(text)
            if not code:
                return _("单位代码：请填写单位代码。")
            unit = self.unit(code)
            if unit is None:
                return _("单位代码：未找到本单位管辖范围内代码为“%(code)s”的单位。") % {"code": code}
            row.grant = Grant(role, unit=unit)
            return None
        match = GROUP_ROLE.match(text)
        if match is None:
            return _("角色：无法识别“%(role)s”，应为 单位联络员、领导小组办公室工作人员、督导组成员：组名 或 督导组组长：组名。") % {
                "role": row.values.get("role", "")}
        name = match["group"]
        groups = [g for g in self.groups if g.name == name and (not code or g.office.code == code)]
        if not groups:
            return _("角色：未找到本单位管辖范围内名为“%(group)s”的督导组。") % {"group": name}
        if len(groups) > 1:
            return _("角色：有多个名为“%(group)s”的督导组，请在单位代码列填写派出单位的代码。") % {"group": name}
        row.grant = Grant(Role.GROUP_LEADER if match["role"] == "督导组组长" else Role.GROUP_MEMBER, group=groups[0])
        return None

    def check(self, number, values):
        row = Row(number, values)
        for name in REQUIRED:
            if not values.get(name):
                row.errors.append(_("%(column)s：不能为空。") % {"column": COLUMNS[name]})
        username = values.get("username", "")
        if username:
            key = username.lower()
            if key in self.seen:
                row.errors.append(_("登录名：与第 %(row)s 行重复。") % {"row": self.seen[key]})
            self.seen.setdefault(key, number)
        if values.get("role"):
            problem = self.role(row)
            if problem:
                row.errors.append(problem)
        if row.errors:
            return row
        user = get_user_model()(username=username, full_name=values["full_name"], mobile=normalize_mobile(values.get("mobile")))
        user.set_unusable_password()  # replaced by the initial password when written
        try:
            user.full_clean(exclude=["password"], validate_unique=False)
        except ValidationError as exc:
            row.errors += [f"{_column(name)}：{message}" for name, messages in exc.message_dict.items() for message in messages]
        if get_user_model().objects.filter(username__iexact=username).exists():
            row.errors.append(_("登录名：“%(username)s”已被使用。") % {"username": username})
        row.user = user
        return row


def _column(name):
    return COLUMNS.get(name) or str(get_user_model()._meta.get_field(name).verbose_name)


def check_file(path, actor):
    """(rows, errors): every row checked; errors is [(row number, [messages])], empty when the
    whole file may be written. A file that cannot be read gives [(0, [message])]."""
    try:
        lines = read_rows(path)
    except ValidationError as exc:
        return [], [(0, exc.messages)]
    checker = Checker(actor)
    rows = [checker.check(number, values) for number, values in lines]
    return rows, [(row.number, row.errors) for row in rows if row.errors]
