"""Offices create accounts from an .xlsx file: checked and previewed, then confirmed, all or
nothing, row messages in Chinese, the initial passwords listed once in the result."""

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from audit.models import AuditEntry
from supervision.models import GroupMember
from units.models import UnitMembership

User = get_user_model()
HEADERS = ["登录名", "姓名", "单位代码", "角色", "手机号码"]


def xlsx(rows, headers=HEADERS, name="西湖区账号.xlsx"):
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def upload(client, file):
    return client.post(reverse("personnel:import"), {"file": file})


def errors(response):
    html = response.content.decode()
    assert 'data-testid="import-errors"' in html, html[-3000:]
    table = html.split('data-testid="import-errors"')[1].split("</table>")[0]
    return {int(n) if n.isdigit() else 0: text for n, text in
            [(cell.split('data-row="')[1].split('"')[0], cell) for cell in table.split("<tr ")[1:]]}


def token(response):
    html = response.content.decode()
    assert 'data-testid="import-preview"' in html, html[-3000:]
    return html.split('name="token" value="')[1].split('"')[0]


def passwords(response):
    html = response.content.decode()
    table = html.split('data-testid="initial-passwords"')[1].split("</table>")[0]
    found = {}
    for row in table.split("<tr>")[2:]:
        username = row.split("<td>")[2].split("</td>")[0]
        found[username] = row.split("<code data-password>")[1].split("</code>")[0]
    return found


GOOD = [
    ["lixh", "李晓红", "330106", "单位联络员", "13812345678"],
    ["zhangw", "张伟", 330100, "领导小组办公室工作人员", 13912345678],  # numbers as Excel keeps them
    ["chenj", "陈静", "330106001", "联络员", "+86 137-1234-5678"],
]


def test_a_checked_file_is_previewed_then_written_with_one_time_passwords(client, world):
    client.force_login(world.office_hangzhou)
    response = upload(client, xlsx(GOOD))
    html = response.content.decode()
    assert "文件检查通过：将新建 3 个账号" in html and "单位联络员 · 西湖区" in html and "领导小组办公室工作人员 · 杭州市" in html
    assert not User.objects.filter(username__in=["lixh", "zhangw", "chenj"]).exists()  # nothing yet

    response = client.post(reverse("personnel:import_confirm"), {"token": token(response)})
    assert response.status_code == 200 and "已导入 3 个账号" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    shown = passwords(response)
    assert set(shown) == {"lixh", "zhangw", "chenj"} and len(set(shown.values())) == 3

    people = {u.username: u for u in User.objects.filter(username__in=shown)}
    assert people["zhangw"].mobile == "13912345678" and people["chenj"].mobile == "13712345678"
    assert UnitMembership.objects.filter(user=people["zhangw"], unit=world.hangzhou, role="office").exists()
    assert UnitMembership.objects.filter(user=people["chenj"], unit=world.street, role="liaison").exists()
    for username, password in shown.items():
        user = people[username]
        assert user.must_change_password and user.check_password(password)
        entry = AuditEntry.objects.for_object(user).get(action="import")
        assert entry.actor == world.office_hangzhou and entry.reason == "账号导入：西湖区账号.xlsx"
        assert password not in json.dumps(entry.changes)
    newcomer = Client()
    assert newcomer.post(reverse("login"), {"username": "lixh", "password": shown["lixh"]}).status_code == 302
    assert newcomer.get(reverse("home"))["Location"] == reverse("password_change")
    # The same file cannot be confirmed twice.
    assert client.post(reverse("personnel:import_confirm"), {"token": "x"}).status_code == 400


def test_group_members_and_leaders_by_the_groups_name(client, world):
    client.force_login(world.office_province)
    response = upload(client, xlsx([
        ["zhaol", "赵磊", "330000", "督导组成员：省委第一督导组", ""],
        ["sunq", "孙琦", "", "督导组组长（省委第二督导组）", ""],
    ]))
    client.post(reverse("personnel:import_confirm"), {"token": token(response)})
    assert GroupMember.objects.filter(group=world.group, user__username="zhaol", is_leader=False).exists()
    assert GroupMember.objects.get(group=world.other_group, is_leader=True).user.username == "sunq"


def test_one_bad_row_and_nothing_is_written_every_problem_named_in_chinese(client, world):
    client.force_login(world.office_hangzhou)
    rows = GOOD + [
        ["wangf", "王芳", "330200", "单位联络员", ""],  # 5: Ningbo, beside the city
        ["liuy", "刘洋", "330000", "领导小组办公室工作人员", ""],  # 6: the province, above it
        ["zhour", "周瑞", "", "督导组成员：省委第一督导组", ""],  # 7: the province's group
        ["lixh", "李晓红", "330106", "单位联络员", ""],  # 8: the same login twice
        ["liaison_xh", "某某", "330106", "单位联络员", ""],  # 9: a login already in use
        ["wuq", "", "330106", "组长", "12345"],  # 10: no name, unknown role
        ["sunq", "孙琦", "330106", "单位联络员", "1381234567"],  # 11: not a mobile number
        ["bad name!", "钱多", "330106", "单位联络员", ""],  # 12: not a login name
    ]
    before = (User.objects.count(), UnitMembership.objects.count(), AuditEntry.objects.count())
    found = errors(upload(client, xlsx(rows)))
    assert sorted(found) == [5, 6, 7, 8, 9, 10, 11, 12]
    assert "未找到本单位管辖范围内代码为“330200”的单位" in found[5]
    assert "未找到本单位管辖范围内代码为“330000”的单位" in found[6]
    assert "未找到本单位管辖范围内名为“省委第一督导组”的督导组" in found[7]
    assert "与第 2 行重复" in found[8]
    assert "“liaison_xh”已被使用" in found[9]
    assert "姓名：不能为空" in found[10] and "无法识别“组长”" in found[10]
    assert "手机号码：手机号码应为11位中国大陆手机号" in found[11]
    assert "登录名：" in found[12]
    assert (User.objects.count(), UnitMembership.objects.count(), AuditEntry.objects.count()) == before


def test_a_file_that_became_wrong_before_the_confirmation_writes_nothing(client, world):
    client.force_login(world.office_hangzhou)
    checked = token(upload(client, xlsx(GOOD)))
    User.objects.create_user("chenj")  # someone took a login name in between
    found = errors(client.post(reverse("personnel:import_confirm"), {"token": checked}))
    assert list(found) == [4] and "已被使用" in found[4]
    assert not User.objects.filter(username__in=["lixh", "zhangw"]).exists()


@pytest.mark.parametrize("file, message", [
    (xlsx(GOOD, headers=["登录名", "姓名", "角色"]), "缺少列：单位代码"),
    (xlsx([]), "文件中没有账号"),
    (SimpleUploadedFile("accounts.xlsx", b"not a workbook"), "无法读取文件"),
])
def test_files_that_cannot_be_read_say_why(client, world, file, message):
    client.force_login(world.office_hangzhou)
    response = upload(client, file)
    assert response.status_code == 200 and message in errors(response)[0]


def test_only_xlsx_files_are_taken(client, world):
    client.force_login(world.office_hangzhou)
    response = upload(client, SimpleUploadedFile("accounts.csv", b"a,b"))
    assert "只支持 .xlsx 文件" in response.content.decode()


def test_a_confirmation_needs_the_checked_files_token(client, world):
    client.force_login(world.office_hangzhou)
    upload(client, xlsx(GOOD))
    response = client.post(reverse("personnel:import_confirm"), {"token": "another.xlsx"})
    assert response.status_code == 400 and "导入文件已失效" in response.content.decode()
    assert not User.objects.filter(username="lixh").exists()


def test_the_template_has_the_columns_and_the_offices_own_groups(client, world):
    client.force_login(world.office_province)
    response = client.get(reverse("personnel:import_template"))
    assert response["Content-Disposition"] == 'attachment; filename="accounts-template.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    assert [cell.value for cell in book["账号"][1]] == HEADERS
    notes = " ".join(str(cell.value) for row in book["说明"].iter_rows() for cell in row if cell.value)
    assert "督导组成员：省委第一督导组" in notes and "督导组成员：省委第二督导组" in notes
    client.force_login(world.office_hangzhou)
    book = load_workbook(io.BytesIO(client.get(reverse("personnel:import_template")).content))
    text = " ".join(str(cell.value) for sheet in book for row in sheet.iter_rows() for cell in row if cell.value)
    assert "省委第一督导组" not in text  # a city office is offered no group of the province
