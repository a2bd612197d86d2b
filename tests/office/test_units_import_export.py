"""Units import (all-or-nothing, every bad row reported) and export → import round trip."""

import io

import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaign.models import Obligation
from tests.conftest import make_unit
from tests.exports import export
from units.models import Unit
from units.resources import HEADERS, PARTY_AFFILIATION_HEADER

COLUMNS = list(HEADERS.values())


def upload(client, rows, fmt="csv"):
    dataset = tablib.Dataset(headers=COLUMNS)
    for row in rows:
        dataset.append(row)
    content = dataset.export(fmt)
    data = content.encode("utf-8-sig") if fmt == "csv" else content
    return client.post(reverse("units:import"), {"file": SimpleUploadedFile(f"units.{fmt}", data)}, follow=True)


def confirm(client, preview):
    """Confirm the import whose checked page `preview` is."""
    return client.post(reverse("units:import_confirm", kwargs={"import_id": preview.context["job"].pk}))


def row(code, name, parent, level="乡镇、街道", unit_type="街道"):
    return [code, name, "", parent, level, unit_type, "否", "否", "是"]


def test_every_bad_row_is_reported_and_nothing_written(office, world):
    before = Unit.objects.count()
    response = upload(office, [
        row("330106002", "灵隐街道", "330106"),
        row("330106003", "某街道", "999999"),               # unknown parent
        row("330106002", "重复街道", "330106"),             # duplicate code
        row("330106004", "某单位", "330106", unit_type="外星机构"),  # unknown type
        row("330106005", "某单位", "330106", level="星系"),          # unknown level
        row("330106006", "下级", "330106002", level="村、社区", unit_type="社区"),  # parent earlier in the file: fine
    ])
    html = response.content.decode()
    assert response.status_code == 200
    for number, text in [(3, "未知的上级单位代码"), (4, "在文件中重复"), (5, "未知的单位类型"), (6, "未知的层级")]:
        assert f'data-row="{number}"' in html and text in html
    assert 'data-row="2"' not in html and 'data-row="7"' not in html
    assert Unit.objects.count() == before


def test_valid_file_previews_then_imports_and_fans_out(office, world):
    response = upload(office, [row("330000-05", "省审计厅", "330000", level="省", unit_type="机关部门"),
                               row("330106002", "灵隐街道", "330106")], fmt="xlsx")
    assert "确认导入" in response.content.decode()
    assert not Unit.objects.filter(code="330000-05").exists()
    response = confirm(office, response)
    assert response.status_code == 302
    audit_office = Unit.objects.get(code="330000-05")
    assert audit_office.parent == world.province and audit_office.path.startswith(world.province.path)
    assert Unit.objects.get(code="330106002").parent == world.xihu
    # Put into the first batch, the organ joins the existing requirement (rule 2).
    assert not Obligation.objects.filter(requirement=world.requirement, unit=audit_office).exists()
    office.post(reverse("campaign:participants"), {"campaign": world.campaign.pk, "batch": world.batch1.pk, "codes": "330000-05"})
    assert Obligation.objects.filter(requirement=world.requirement, unit=audit_office).exists()


def test_units_outside_the_office_cannot_be_parents(client, world):
    client.force_login(world.office_ningbo)
    response = upload(client, [row("330106002", "灵隐街道", "330106")])
    assert "未知的上级单位代码" in response.content.decode()


def test_export_then_import_gives_the_same_units(office, world):
    from units.models import Level, UnitType

    top = make_unit(code="330108", name="滨江区", parent=world.hangzhou, level=Level.COUNTY,
                              unit_type=UnitType.PARTY_COMMITTEE, batch=world.batch2, is_contact_point=True)
    for i in range(3):
        street = make_unit(code=f"33010800{i}", name=f"街道{i}", parent=top, level=Level.TOWNSHIP,
                                     unit_type=UnitType.STREET, batch=world.batch2)
        Unit.objects.create(code=f"33010800{i}01", name=f"社区{i}", parent=street, level=Level.VILLAGE,
                            unit_type=UnitType.COMMUNITY, is_window_unit=True)

    def snapshot():
        return sorted(
            Unit.objects.subtree(top).values_list("code", "name", "parent__code", "level", "unit_type",
                                                  "is_window_unit", "is_contact_point", "is_active")
        )

    before = snapshot()
    response = export(office, reverse("units:export"), {"under": top.pk, "format": "xlsx"})
    assert response.status_code == 200
    for unit in sorted(Unit.objects.subtree(top), key=lambda u: -u.depth):
        unit.delete()
    file = SimpleUploadedFile("units.xlsx", response.content)
    preview = office.post(reverse("units:import"), {"file": file}, follow=True)
    assert preview.context["job"].status == "checked", preview.context.get("errors")
    confirm(office, preview)
    top = Unit.objects.get(code="330108")
    assert snapshot() == before


def test_template_download(office):
    response = office.get(reverse("units:import_template"), {"format": "csv"})
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    # The template ends with the optional column 党组织隶属 (004), which files may leave out.
    assert next(iter(io.StringIO(text))).strip().split(",") == [*COLUMNS, PARTY_AFFILIATION_HEADER]
    assert office.get(reverse("units:import_template"), {"format": "pdf"}).status_code == 400
