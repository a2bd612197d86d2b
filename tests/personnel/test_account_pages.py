"""Offices create and deactivate the accounts of their own subtree, give and take roles, and
never reach above or beside it; every change is in the trail with its actor and reason."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from access.policy import restrict
from audit.models import AuditEntry
from supervision.models import GroupMember
from units.models import UnitMembership

User = get_user_model()


def new_account(**fields):
    data = {"username": "lixh", "full_name": "李晓红", "title": "办公室主任", "mobile": "138 1234 5678", "email": "",
            "role": "liaison", "unit_code": "330106", "group": "", "reason": "新任联络员"}
    data.update(fields)
    return data


def created_password(response):
    html = response.content.decode()
    assert response.status_code == 200 and 'data-testid="initial-passwords"' in html, html[:3000]
    return html.split("<code data-password>")[1].split("</code>")[0]


def trail(user, action):
    return AuditEntry.objects.for_object(user).filter(action=action)


def test_an_office_creates_a_liaison_who_must_change_the_password_at_first_login(client, world):
    client.force_login(world.office_hangzhou)
    page = client.get(reverse("personnel:create") + f"?unit={world.xihu.pk}").content.decode()
    assert 'value="330106"' in page  # the unit's page links here with the unit filled in
    response = client.post(reverse("personnel:create"), new_account())
    password = created_password(response)
    assert "只显示这一次" in response.content.decode()
    assert "no-store" in response["Cache-Control"]

    user = User.objects.get(username="lixh")
    assert (user.full_name, user.title, user.mobile, user.must_change_password) == ("李晓红", "办公室主任", "13812345678", True)
    assert UnitMembership.objects.filter(user=user, unit=world.xihu, role="liaison").exists()
    entry = trail(user, "create").get()
    assert entry.actor == world.office_hangzhou and entry.reason == "新任联络员"
    assert entry.changes["role"] == {"before": None, "after": "单位联络员 · 西湖区"}
    assert entry.changes["full_name"]["after"] == "李晓红"
    assert password not in json.dumps(entry.changes, ensure_ascii=False)

    newcomer = Client()
    assert newcomer.post(reverse("login"), {"username": "lixh", "password": password}).status_code == 302
    assert newcomer.get(reverse("campaign:workspace"))["Location"] == reverse("password_change")


def test_an_office_creates_a_member_of_its_own_supervision_group(client, world):
    client.force_login(world.office_province)
    page = client.get(reverse("supervision:group", args=[world.group.pk])).content.decode()
    link = reverse("personnel:create") + f"?group={world.group.pk}"
    assert link in page
    response = client.post(reverse("personnel:create"), new_account(username="zhaolei", full_name="赵磊", role="group_member",
                                                                      unit_code="", group=str(world.group.pk)))
    created_password(response)
    user = User.objects.get(username="zhaolei")
    assert GroupMember.objects.filter(group=world.group, user=user, is_leader=False).exists()
    assert trail(user, "create").get().changes["role"]["after"] == "督导组成员 · 省委第一督导组"
    assert AuditEntry.objects.for_object(world.group).filter(action="member_added", actor=world.office_province).exists()


@pytest.mark.parametrize("fields, field, message", [
    ({"unit_code": "330200"}, "unit_code", "未找到本单位管辖范围内代码为“330200”的单位"),  # beside: another city
    ({"unit_code": "330000", "role": "office"}, "unit_code", "未找到本单位管辖范围内代码为“330000”的单位"),  # above
    ({"unit_code": "330000-01"}, "unit_code", "未找到本单位管辖范围内"),  # a provincial organ
    ({"role": "group_member", "unit_code": "", "group": "GROUP"}, "group", ""),  # the province's group
    ({"role": "group_leader", "unit_code": "", "group": ""}, "group", "请选择督导组"),
    ({"unit_code": ""}, "unit_code", "请填写单位代码"),
    ({"role": "superuser"}, "role", ""),
    ({"mobile": "1381234567"}, "mobile", "手机号码应为11位中国大陆手机号"),
    ({"username": "LIAISON_XH"}, "username", "已被使用"),
    ({"full_name": ""}, "full_name", ""),
])
def test_a_city_office_cannot_create_an_account_outside_its_subtree(client, world, fields, field, message):
    client.force_login(world.office_hangzhou)
    if fields.get("group") == "GROUP":
        fields = {**fields, "group": str(world.group.pk)}
    before = User.objects.count()
    response = client.post(reverse("personnel:create"), new_account(**fields))
    html = response.content.decode()
    assert response.status_code == 200 and f'data-field-error="{field}"' in html and message in html
    assert User.objects.count() == before
    assert not AuditEntry.objects.filter(action="create", content_type__model="user").exists()


def test_people_without_an_office_cannot_create_list_or_import(client, world):
    for persona in (world.liaison_xihu, world.group_leader):
        client.force_login(persona)
        for name in ("personnel:accounts", "personnel:create", "personnel:import", "personnel:import_template"):
            assert client.get(reverse(name)).status_code == 403, name
        assert client.post(reverse("personnel:create"), new_account()).status_code == 403
    assert not User.objects.filter(username="lixh").exists()


def test_the_list_shows_the_accounts_of_the_subtree_only(client, world):
    client.force_login(world.office_hangzhou)
    html = client.get(reverse("personnel:accounts"), {"status": "all"}).content.decode()
    assert reverse("personnel:account", args=[world.liaison_xihu.pk]) in html
    for outside in (world.liaison_organ, world.office_ningbo, world.office_province, world.group_member):
        assert reverse("personnel:account", args=[outside.pk]) not in html
    client.force_login(world.office_province)
    html = client.get(reverse("personnel:accounts")).content.decode()
    for inside in (world.liaison_xihu, world.liaison_organ, world.office_ningbo, world.group_member):
        assert reverse("personnel:account", args=[inside.pk]) in html
    assert reverse("personnel:account", args=[world.superuser.pk]) not in html


def test_an_office_deactivates_and_reactivates_an_account_with_a_reason(client, world):
    liaison = Client()
    liaison.force_login(world.liaison_xihu)
    assert liaison.get(reverse("home")).status_code == 200

    client.force_login(world.office_hangzhou)
    url = reverse("personnel:deactivate", args=[world.liaison_xihu.pk])
    response = client.post(url, {"reason": ""})
    world.liaison_xihu.refresh_from_db()
    assert world.liaison_xihu.is_active and not trail(world.liaison_xihu, "deactivate").exists()  # a reason is required
    response = client.post(url, {"reason": "调离西湖区"})
    assert response.status_code == 302
    world.liaison_xihu.refresh_from_db()
    assert not world.liaison_xihu.is_active
    entry = trail(world.liaison_xihu, "deactivate").get()
    assert (entry.actor, entry.reason) == (world.office_hangzhou, "调离西湖区")
    assert entry.changes == {"is_active": {"before": True, "after": False}}
    # The session in use ends, and the password no longer opens anything.
    assert liaison.get(reverse("home")).status_code == 302
    assert not Client().login(username="liaison_xh", password=world.password)
    page = client.get(reverse("personnel:account", args=[world.liaison_xihu.pk])).content.decode()
    assert "已停用" in page and "调离西湖区" in page

    client.post(reverse("personnel:reactivate", args=[world.liaison_xihu.pk]), {"reason": "返回原岗位"})
    world.liaison_xihu.refresh_from_db()
    assert world.liaison_xihu.is_active and trail(world.liaison_xihu, "reactivate").get().reason == "返回原岗位"


OUTSIDE = [
    ("liaison_organ", 404),  # a provincial organ's liaison: beside the city
    ("office_province", 404),  # the office above
    ("office_ningbo", 404),  # another city's office
    ("group_member", 404),  # a member of the province's group
    ("office_hangzhou", 403),  # one's own account
]


@pytest.mark.parametrize("persona, status", OUTSIDE)
@pytest.mark.parametrize("name, data", [
    ("personnel:deactivate", {"reason": "x"}),
    ("personnel:password_reset", {"reason": "x"}),
    ("personnel:role_add", {"role": "liaison", "unit_code": "330106", "reason": "x"}),
    ("personnel:role_remove", {"role": "unit-1", "reason": "x"}),
    ("personnel:edit", {"full_name": "改名", "reason": "x"}),
])
def test_a_city_office_cannot_touch_an_account_above_or_beside_it(client, world, persona, status, name, data):
    target = getattr(world, persona)
    client.force_login(world.office_hangzhou)
    before = User.objects.filter(pk=target.pk).values().get()
    rows = AuditEntry.objects.count()
    memberships = UnitMembership.objects.count() + GroupMember.objects.count()
    response = client.post(reverse(name, args=[target.pk]), data)
    assert response.status_code == status
    assert User.objects.filter(pk=target.pk).values().get() == before
    assert AuditEntry.objects.count() == rows
    assert UnitMembership.objects.count() + GroupMember.objects.count() == memberships


def test_an_account_that_also_works_above_the_office_is_seen_but_not_managed(client, world):
    UnitMembership.objects.create(user=world.liaison_xihu, unit=world.province, role="office")
    client.force_login(world.office_hangzhou)
    page = client.get(reverse("personnel:account", args=[world.liaison_xihu.pk])).content.decode()
    assert "领导小组办公室工作人员 · 浙江省" in page and reverse("personnel:deactivate", args=[world.liaison_xihu.pk]) not in page
    response = client.post(reverse("personnel:deactivate", args=[world.liaison_xihu.pk]), {"reason": "x"})
    assert response.status_code == 403
    world.liaison_xihu.refresh_from_db()
    assert world.liaison_xihu.is_active
    # The province's office manages it: both roles lie in its subtree.
    client.force_login(world.office_province)
    assert client.post(reverse("personnel:deactivate", args=[world.liaison_xihu.pk]), {"reason": "x"}).status_code == 302


def test_administrators_are_never_managed_by_an_office(client, world):
    world.liaison_xihu.is_staff = True
    world.liaison_xihu.save()
    client.force_login(world.office_hangzhou)
    assert client.post(reverse("personnel:deactivate", args=[world.liaison_xihu.pk]), {"reason": "x"}).status_code == 403


def test_the_manage_rule_is_the_subtree_and_nothing_else(world):
    UnitMembership.objects.create(user=world.group_member, unit=world.xihu, role="liaison")
    managed = set(restrict(User.objects.all(), world.office_hangzhou, "manage"))
    assert managed == {world.liaison_xihu}  # group_member also belongs to the province's group
    assert set(restrict(User.objects.all(), world.office_hangzhou)) == {world.liaison_xihu, world.group_member, world.office_hangzhou}
    assert world.office_hangzhou in set(restrict(User.objects.all(), world.office_province, "manage"))
    assert set(restrict(User.objects.all(), world.liaison_organ, "view")) == set()
    assert world.superuser not in set(restrict(User.objects.all(), world.superuser, "manage"))


def test_an_office_gives_and_takes_roles_with_reasons(client, world):
    client.force_login(world.office_hangzhou)
    account = reverse("personnel:account", args=[world.liaison_xihu.pk])
    client.post(reverse("personnel:role_add", args=[world.liaison_xihu.pk]),
                {"role": "liaison", "unit_code": "330106001", "reason": "兼任北山街道联络员"})
    assert UnitMembership.objects.filter(user=world.liaison_xihu, unit=world.street, role="liaison").exists()
    entry = trail(world.liaison_xihu, "role_added").get()
    assert (entry.actor, entry.reason) == (world.office_hangzhou, "兼任北山街道联络员")
    assert entry.changes["role"]["after"] == "单位联络员 · 北山街道"

    # Not at a unit beside the city: refused in words, nothing given.
    response = client.post(reverse("personnel:role_add", args=[world.liaison_xihu.pk]),
                           {"role": "liaison", "unit_code": "330206", "reason": "x"}, follow=True)
    assert "未找到本单位管辖范围内代码为“330206”的单位" in response.content.decode()
    assert not UnitMembership.objects.filter(user=world.liaison_xihu, unit=world.beilun).exists()

    street = UnitMembership.objects.get(user=world.liaison_xihu, unit=world.street)
    response = client.post(reverse("personnel:role_remove", args=[world.liaison_xihu.pk]),
                           {"role": f"unit-{street.pk}", "reason": "不再兼任"})
    assert response["Location"] == account
    assert not UnitMembership.objects.filter(pk=street.pk).exists()
    assert trail(world.liaison_xihu, "role_removed").get().changes["role"] == {"before": "单位联络员 · 北山街道", "after": None}

    # The last role stays: an account no longer used is deactivated instead.
    only = UnitMembership.objects.get(user=world.liaison_xihu)
    response = client.post(reverse("personnel:role_remove", args=[world.liaison_xihu.pk]),
                           {"role": f"unit-{only.pk}", "reason": "x"}, follow=True)
    assert "唯一的角色" in response.content.decode() and UnitMembership.objects.filter(pk=only.pk).exists()


def test_an_office_issues_a_new_initial_password(client, world):
    client.force_login(world.office_hangzhou)
    response = client.post(reverse("personnel:password_reset", args=[world.liaison_xihu.pk]), {"reason": "本人遗忘密码"})
    password = created_password(response)
    world.liaison_xihu.refresh_from_db()
    assert world.liaison_xihu.must_change_password and world.liaison_xihu.check_password(password)
    entry = trail(world.liaison_xihu, "password_reset").get()
    assert entry.reason == "本人遗忘密码" and password not in json.dumps(entry.changes)


def test_an_office_edits_a_person_and_the_trail_keeps_before_and_after(client, world):
    world.liaison_xihu.full_name = "王晓明"
    world.liaison_xihu.save()
    client.force_login(world.office_hangzhou)
    response = client.post(reverse("personnel:edit", args=[world.liaison_xihu.pk]),
                           {"full_name": "王小明", "title": "联络员", "mobile": "+86 139 1234 5678", "email": "", "reason": "更正姓名"})
    assert response.status_code == 302
    entry = trail(world.liaison_xihu, "edit").get()
    assert entry.changes["full_name"] == {"before": "王晓明", "after": "王小明"}
    assert entry.changes["mobile"] == {"before": "", "after": "13912345678"}
    page = client.get(reverse("personnel:account", args=[world.liaison_xihu.pk])).content.decode()
    assert "王晓明" in page and "王小明" in page and "更正姓名" in page


def test_a_units_page_lists_its_people_for_its_office_only(client, world):
    world.liaison_xihu.full_name = "王晓明"
    world.liaison_xihu.save()
    client.force_login(world.office_hangzhou)
    page = client.get(reverse("units:detail", args=[world.xihu.pk])).content.decode()
    assert 'id="unit-people"' in page and "王晓明" in page and f"?unit={world.xihu.pk}" in page
    client.force_login(world.liaison_xihu)
    assert 'id="unit-people"' not in client.get(reverse("units:detail", args=[world.xihu.pk])).content.decode()


def test_offices_find_the_accounts_page_in_the_navigation(client, world):
    client.force_login(world.office_ningbo)
    assert reverse("personnel:accounts") in client.get(reverse("home")).content.decode()
    client.force_login(world.liaison_organ)
    assert reverse("personnel:accounts") not in client.get(reverse("home")).content.decode()


UNITS = ["province", "hangzhou", "ningbo", "organ", "xihu", "beilun", "street"]
GROUPS = ["group", "other_group"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    unit_roles=st.lists(st.tuples(st.sampled_from(UNITS), st.sampled_from(["office", "liaison"])), max_size=3, unique=True),
    group_roles=st.lists(st.sampled_from(GROUPS), max_size=2, unique=True),
    office=st.sampled_from(["office_province", "office_hangzhou", "office_ningbo"]),
)
def test_an_office_manages_exactly_the_accounts_whose_every_role_is_inside_its_subtree(world, unit_roles, group_roles, office):
    """Whatever roles a person holds: an office sees them when one role lies in its subtree and
    manages them when all do (a group counts where its dispatching office is)."""
    person = User.objects.create_user("someone", full_name="某人")
    try:
        for unit, role in unit_roles:
            UnitMembership.objects.create(user=person, unit=getattr(world, unit), role=role)
        for group in group_roles:
            GroupMember.objects.create(group=getattr(world, group), user=person)
        actor = getattr(world, office)
        top = UnitMembership.objects.get(user=actor).unit
        places = [getattr(world, unit) for unit, _role in unit_roles] + [getattr(world, group).office for group in group_roles]
        inside = [place.is_within(top) for place in places]
        assert (person in restrict(User.objects.all(), actor)) == any(inside)
        assert (person in restrict(User.objects.all(), actor, "manage")) == (bool(inside) and all(inside))
    finally:
        person.delete()
