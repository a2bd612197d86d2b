"""The obligations export: a valid .xlsx whose every cell matches the database."""

import datetime as dt
import io
import zipfile
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from campaign.export import write_obligations
from campaign.models import Obligation, ObligationStatus
from tests.conftest import make_unit
from tests.exports import export
from units.models import Level, UnitType

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
LABELS = dict(ObligationStatus.choices)


def local(value):
    return value.astimezone(SHANGHAI).replace(tzinfo=None) if value else None


def close(cell, value):
    """openpyxl reads an Excel serial back to the millisecond."""
    if value is None:
        return cell is None
    return isinstance(cell, dt.datetime) and abs(cell - local(value)) <= dt.timedelta(milliseconds=1)


def exported_rows(obligations, read_only):
    out = io.BytesIO()
    count = write_obligations(obligations, out)
    out.seek(0)
    book = load_workbook(out, read_only=read_only)
    rows = list(book.active.iter_rows(values_only=True))
    return count, book, rows


@pytest.mark.parametrize("read_only", [True, False])
def test_every_cell_matches_the_database(world, read_only):
    tricky = make_unit(code="330000-09", name="省A&B<委>\x01\"办\"", parent=world.province, level=Level.PROVINCE,
                                 unit_type=UnitType.ORGAN, batch=world.batch1)
    now = timezone.now()
    obligation = Obligation.objects.get(unit=tricky, requirement=world.requirement)
    obligation.status, obligation.first_submitted_at, obligation.submitted_at = "submitted", now, now
    obligation.save()
    Obligation.objects.filter(pk=world.obligation_organ.pk).update(
        status="accepted", first_submitted_at=now - dt.timedelta(days=3), submitted_at=now - dt.timedelta(days=2),
        accepted_at=now - dt.timedelta(hours=5),
    )
    queryset = Obligation.objects.filter(unit__path__startswith=world.province.path)
    count, book, rows = exported_rows(queryset, read_only)
    assert book.sheetnames == ["报送任务"]
    assert rows[0] == ("单位代码", "单位名称", "层级", "发文字号", "报送事项", "截止时间", "状态", "首次报送时间",
                       "最近报送时间", "通过时间", "是否逾期", "逾期报送", "报送周期")
    expected = list(queryset.with_status().order_by("unit__path", "requirement_id").select_related("unit", "requirement__directive"))
    assert count == len(expected) == len(rows) - 1 == 4
    for row, obligation in zip(rows[1:], expected, strict=True):
        row = list(row) + [None] * (13 - len(row))  # read-only mode drops trailing empty cells
        unit = obligation.unit
        assert row[0] == unit.code
        # The control character XML forbids is dropped; the markup characters survive.
        assert row[1] == unit.name.replace("\x01", "")
        assert row[2] == unit.get_level_display()  # the label, never the internal code
        assert (row[3], row[4]) == (obligation.requirement.directive.number, obligation.requirement.title)
        assert row[5] == local(obligation.due_at) and row[6] == LABELS[obligation.status]
        for cell, value in zip(row[7:10], [obligation.first_submitted_at, obligation.submitted_at, obligation.accepted_at],
                               strict=True):
            assert close(cell, value), (cell, value)
        assert row[10] == ("是" if obligation.is_overdue else None)
        assert row[11] == ("是" if obligation.was_late else None)
        assert row[12] is None  # a one-off requirement has no period
    assert [row[1] for row in rows[1:]].count("省A&B<委>\"办\"") == 1
    assert {row[6] for row in rows[1:]} == {"待报送", "已报送待审核", "已通过"}


def test_due_moment_is_written_as_a_local_date(world):
    _count, _book, rows = exported_rows(Obligation.objects.filter(pk=world.obligation_organ.pk), read_only=True)
    # "2014年1月10日前" is due by the end of 10 January, Asia/Shanghai.
    assert rows[1][5].date() == dt.date(2014, 1, 10) and rows[1][5].hour == 23


def test_empty_export_is_a_valid_workbook(world):
    count, _book, rows = exported_rows(Obligation.objects.none(), read_only=False)
    assert count == 0 and len(rows) == 1


def test_workbook_parts_are_well_formed(world):
    out = io.BytesIO()
    write_obligations(Obligation.objects.all(), out)
    with zipfile.ZipFile(out) as archive:
        assert archive.testzip() is None
        names = set(archive.namelist())
        assert {"[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml", "xl/styles.xml",
                "xl/sharedStrings.xml"} <= names
        from xml.dom.minidom import parseString

        for name in names:
            parseString(archive.read(name))


def test_dashboard_export_is_scoped_to_the_view(office, world):
    response = export(office, reverse("campaign:dashboard_export"), {"unit": world.hangzhou.pk})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert list(book.active.iter_rows(values_only=True))[1:] == []
    response = export(office, reverse("campaign:dashboard_export"))
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    assert sorted(row[0] for row in rows[1:]) == ["330000", "330000-01", "330000-02"]
