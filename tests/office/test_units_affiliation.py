"""A unit's Party-organisation affiliation (004: 按党组织隶属关系): which units may be a body, whom a
body may take, and the column 党组织隶属 of the units import and export (audited like every column)."""

import io

import pytest
import tablib
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from audit.models import AuditEntry
from tests.conftest import make_unit
from tests.exports import export
from units.actions import set_party_affiliation
from units.models import Level, Unit, UnitType, party_affiliation_error
from units.resources import COLUMNS, PARTY_AFFILIATION_HEADER


@pytest.fixture
def jg(world):
    return make_unit(code="330000-JG", name="中共浙江省直属机关工作委员会", short_name="省直机关工委",
                     parent=world.province, level=Level.PROVINCE, unit_type=UnitType.WORK_COMMITTEE)


def test_only_a_body_of_the_units_level_and_territory_may_take_it(world, jg):
    assert party_affiliation_error(world.organ, jg) is None
    assert party_affiliation_error(world.organ, None) is None
    assert "不是归口管理党（工）委" in party_affiliation_error(world.organ, world.organ2)
    assert "不能隶属于它自己" in party_affiliation_error(jg, jg)
    # A city's body serves the city's units, not the province's, nor another city's.
    hz_body = make_unit(code="330100-JG", name="中共杭州市直属机关工作委员会", parent=world.hangzhou, level=Level.CITY,
                        unit_type=UnitType.WORK_COMMITTEE)
    nb_organ = make_unit(code="330200-01", name="宁波市发改委", parent=world.ningbo, level=Level.CITY, unit_type=UnitType.ORGAN)
    hz_organ = make_unit(code="330100-01", name="杭州市发改委", parent=world.hangzhou, level=Level.CITY, unit_type=UnitType.ORGAN)
    assert party_affiliation_error(hz_organ, hz_body) is None
    assert "同级、同一地区" in party_affiliation_error(nb_organ, hz_body)
    assert "同级、同一地区" in party_affiliation_error(world.organ, hz_body)
    assert "同级、同一地区" in party_affiliation_error(hz_organ, jg)
    jg.is_active = False
    assert "已撤销" in party_affiliation_error(world.organ, jg)


def test_the_model_holds_the_rule_and_the_database_refuses_a_unit_of_its_own(world, jg):
    world.organ.party_affiliation = world.organ2
    with pytest.raises(ValidationError) as refused:
        world.organ.full_clean()
    assert "不是归口管理党（工）委" in refused.value.message_dict["party_affiliation"][0]
    with transaction.atomic(), pytest.raises(IntegrityError):
        Unit.objects.filter(pk=jg.pk).update(party_affiliation=jg)
    # A body with units affiliated to it cannot stop being one.
    world.organ.party_affiliation = jg
    world.organ.save()
    body = Unit.objects.get(pk=jg.pk)
    body.unit_type = UnitType.ORGAN
    with pytest.raises(ValidationError) as refused:
        body.full_clean()
    assert "仍有 1 个单位的党组织隶属于本单位" in refused.value.message_dict["unit_type"][0]


def test_the_office_sets_the_affiliation_on_the_edit_page_audited(office, world, jg):
    edit = reverse("units:edit", kwargs={"unit_id": world.organ.pk})
    data = {"code": world.organ.code, "name": world.organ.name, "short_name": "", "level": "province",
            "unit_type": "organ", "party_affiliation": jg.pk}
    assert "中共浙江省直属机关工作委员会" in office.get(edit).content.decode()
    assert office.post(edit, data).status_code == 302
    world.organ.refresh_from_db()
    assert world.organ.party_affiliation == jg
    entry = AuditEntry.objects.filter(object_id=world.organ.pk, action="edit").latest("at")
    assert entry.actor == world.office_province
    assert entry.changes["party_affiliation"] == {"before": None, "after": {"pk": jg.pk, "label": jg.name}}
    assert "中共浙江省直属机关工作委员会" in office.get(reverse("units:detail", kwargs={"unit_id": world.organ.pk})).content.decode()
    # A unit that is no body is not offered, and posted anyway is refused in words.
    response = office.post(edit, {**data, "party_affiliation": world.organ2.pk})
    assert response.status_code == 200 and "选择" in response.content.decode()
    # A city office cannot pick the province's body for its own units.
    hz_organ = make_unit(code="330100-01", name="杭州市发改委", parent=world.hangzhou, level=Level.CITY, unit_type=UnitType.ORGAN)
    office.force_login(world.office_hangzhou)
    edit = reverse("units:edit", kwargs={"unit_id": hz_organ.pk})
    assert "中共浙江省直属机关工作委员会" not in office.get(edit).content.decode()


def test_the_bulk_action_checks_every_unit_and_records_the_reason(world, jg):
    with pytest.raises(ValidationError, match="杭州市"):
        set_party_affiliation([world.organ, world.hangzhou], jg, actor=world.office_province)
    assert not Unit.objects.filter(party_affiliation=jg).exists()
    assert set_party_affiliation([world.organ, world.organ2], jg, actor=world.office_province, reason="按隶属关系调整") == 2
    assert set(Unit.objects.filter(party_affiliation=jg)) == {world.organ, world.organ2}
    entries = AuditEntry.objects.filter(action="edit", reason="按隶属关系调整")
    assert entries.count() == 2 and all(e.changes["party_affiliation"]["after"]["pk"] == jg.pk for e in entries)
    assert set_party_affiliation([world.organ], jg, actor=world.office_province) == 0  # nothing to change


def upload(client, headers, rows):
    dataset = tablib.Dataset(headers=headers)
    for row in rows:
        dataset.append(row)
    data = dataset.export("csv").encode("utf-8-sig")
    return client.post(reverse("units:import"), {"file": SimpleUploadedFile("units.csv", data)}, follow=True)


def confirm(client, preview):
    return client.post(reverse("units:import_confirm", kwargs={"import_id": preview.context["job"].pk}))


HEADERS = list(COLUMNS.values())


def row(code, name, affiliation, unit_type="机关部门"):
    return [code, name, "", "330000", "省", unit_type, "否", "否", "是", affiliation]


def test_the_import_column_sets_affiliations_by_code_or_name_audited(office, world, jg):
    response = upload(office, HEADERS, [
        row(world.organ.code, world.organ.name, "省直机关工委"),
        row(world.organ2.code, world.organ2.name, "330000-JG"),
        row("330000-77", "省审计厅", "中共浙江省直属机关工作委员会"),
    ])
    assert "确认导入" in response.content.decode()
    assert not Unit.objects.filter(party_affiliation=jg).exists()  # the check writes nothing
    assert confirm(office, response).status_code == 302
    assert set(Unit.objects.filter(party_affiliation=jg).values_list("code", flat=True)) == {
        world.organ.code, world.organ2.code, "330000-77"}
    changed = AuditEntry.objects.get(object_id=world.organ.pk, action="import")
    assert changed.actor == world.office_province and changed.reason.endswith("units.csv")
    assert changed.changes["party_affiliation"]["after"]["pk"] == jg.pk
    new = AuditEntry.objects.get(object_id=Unit.objects.get(code="330000-77").pk, action="import")
    assert new.changes["party_affiliation"]["after"]["label"] == jg.name


def test_the_import_refuses_what_is_no_fitting_body_row_by_row(office, world, jg):
    make_unit(code="330000-JG2", name="省直机关工委", parent=world.province, level=Level.PROVINCE,
              unit_type=UnitType.WORK_COMMITTEE)  # a second body answering to the same name
    response = upload(office, HEADERS, [
        row(world.organ.code, world.organ.name, "不存在的工委"),
        row(world.organ2.code, world.organ2.name, "330000-01"),  # a unit, but no body (the organ's code)
        row("330000-78", "省统计局", "省直机关工委"),  # ambiguous name
        ["330106009", "某街道", "", "330106", "乡镇、街道", "街道", "否", "否", "是", "330000-JG"],  # another level
        row("330000-79", "省档案局", "330000-JG"),  # fine
    ])
    html = response.content.decode()
    for number, text in [(2, "未找到代码或名称为“不存在的工委”"), (3, "未找到代码或名称为“330000-01”"), (4, "对应多个"),
                         (5, "同级、同一地区")]:
        assert f'data-row="{number}"' in html and text in html, (number, text)
    assert 'data-row="6"' not in html
    assert PARTY_AFFILIATION_HEADER in html
    template = office.get(reverse("units:import_template") + "?format=csv").content.decode("utf-8-sig")
    assert template.splitlines()[0].endswith(PARTY_AFFILIATION_HEADER)
    assert not Unit.objects.filter(party_affiliation__isnull=False).exists()


def test_a_file_without_the_column_keeps_affiliations_and_the_export_writes_it(office, world, jg):
    world.organ.party_affiliation = jg
    world.organ.save()
    old_headers = HEADERS[:-1]
    response = upload(office, old_headers, [row(world.organ.code, "省发展和改革委员会", "")[:-1]])
    assert confirm(office, response).status_code == 302
    world.organ.refresh_from_db()
    assert world.organ.name == "省发展和改革委员会" and world.organ.party_affiliation == jg
    exported = export(office, reverse("units:export"), {"format": "csv"})
    dataset = tablib.Dataset().load(io.StringIO(exported.content.decode("utf-8-sig")), format="csv")
    assert dataset.headers[-1] == PARTY_AFFILIATION_HEADER
    by_code = {line[0]: line for line in dataset}
    assert by_code[world.organ.code][-1] == jg.name and by_code[world.organ2.code][-1] == ""


def test_a_body_deactivated_since_does_not_block_other_edits_of_its_units(world, jg):
    world.organ.party_affiliation = jg
    world.organ.save()
    Unit.objects.filter(pk=jg.pk).update(is_active=False)
    organ = Unit.objects.get(pk=world.organ.pk)
    organ.name = "省发展和改革委员会"
    organ.full_clean()  # its affiliation unchanged: not held against it
    other = Unit.objects.get(pk=world.organ2.pk)
    other.party_affiliation = Unit.objects.get(pk=jg.pk)  # choosing the deactivated body: refused
    with pytest.raises(ValidationError, match="已撤销"):
        other.full_clean()
