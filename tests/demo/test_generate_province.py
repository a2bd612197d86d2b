"""generate_province (demo): a province for benchmarks, with the supervision shapes that cost the most
(a group assigned unit by unit to a whole city, a group assigned to a city with its subtree) and
role users that log in with the demo password."""

import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from demo.accounts import DEMO_PASSWORD


def generate(units, requirements=2, seed="1"):
    out = io.StringIO()
    call_command("generate_province", "--units", str(units), "--requirements", str(requirements), "--seed", seed,
                 "--today", "2014-01-05", stdout=out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def cheap_hashes(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_the_groups_and_role_users(db):
    from supervision.models import GroupAssignment, SupervisionGroup
    from units.models import Level, Unit, UnitMembership, UnitType

    printed = generate(1000)
    province = Unit.objects.get(code="GEN")
    cities = list(Unit.objects.filter(parent=province, level=Level.CITY, unit_type=UnitType.PARTY_COMMITTEE).order_by("path"))
    assert len(cities) >= 2
    by_unit = SupervisionGroup.objects.get(name="测试省逐个单位督导组")
    first_city_units = set(Unit.objects.subtree(cities[0]).values_list("pk", flat=True))
    assigned = list(GroupAssignment.objects.filter(group=by_unit).values_list("unit_id", "include_subtree"))
    assert len(assigned) == len(first_city_units) > 100
    assert {unit for unit, _subtree in assigned} == first_city_units and not any(subtree for _unit, subtree in assigned)
    subtree = SupervisionGroup.objects.get(name="测试省含下级督导组")
    assert list(subtree.assignments.values_list("unit", "include_subtree")) == [(cities[1].pk, True)]
    for group in (by_unit, subtree):
        assert sorted(group.members.values_list("is_leader", flat=True)) == [False, True]
    assert UnitMembership.objects.get(user__username="gen_province_office").unit == province
    assert UnitMembership.objects.get(user__username="gen_city_office").unit == cities[0]
    assert UnitMembership.objects.get(user__username="gen_village_liaison").unit.level == Level.VILLAGE
    usernames = ["gen_province_office", "gen_city_office", "gen_village_liaison", "gen_units_leader", "gen_units_member",
                 "gen_subtree_leader", "gen_subtree_member"]
    for username in usernames:
        assert f": {username}\n" in printed
        assert authenticate(username=username, password=DEMO_PASSWORD) is not None
    assert DEMO_PASSWORD in printed

