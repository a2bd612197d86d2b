"""The work calendar as data (core.models, core.workdays): seeded from chinesecalendar, entered
by import or in the admin, and never a silent Monday–Friday guess for a year nobody entered."""

import datetime as dt

import chinese_calendar
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import workdays
from core.models import CalendarDay, CalendarYear
from core.workdays import covered, holiday_name, holiday_warning, is_workday, uncovered_years, working_days_between

pytestmark = pytest.mark.django_db


def test_seeded_years_match_chinesecalendar():
    assert is_workday(dt.date(2014, 1, 31)) is False
    assert holiday_name(dt.date(2014, 1, 31)) == "春节"
    assert is_workday(dt.date(2014, 1, 26)) is True  # a worked Sunday
    assert CalendarDay.objects.get(date=dt.date(2014, 1, 26)).kind == "workday"
    assert holiday_name(dt.date(2026, 10, 1)) == "国庆节"
    assert holiday_name(dt.date(2026, 10, 3)) == "国庆节"  # a Saturday inside the break
    day = dt.date(2004, 1, 1)
    while day <= dt.date(2026, 12, 31):
        assert is_workday(day) == chinese_calendar.is_workday(day), day
        day += dt.timedelta(days=7 if day.year < 2013 else 1)
    assert set(CalendarYear.objects.values_list("year", flat=True)) == set(range(2004, 2027))
    assert CalendarYear.objects.get(year=2014).source.startswith("chinesecalendar")


def test_an_uncovered_year_is_said_not_guessed_silently():
    assert not covered(dt.date(2027, 3, 1)) and covered(dt.date(2026, 3, 1))
    assert uncovered_years([dt.date(2026, 1, 5), dt.date(2027, 2, 8), None]) == [2027]
    assert is_workday(dt.date(2027, 2, 8)) is True  # Monday–Friday, but said so:
    assert "2027年工作日历尚未录入" in holiday_warning(dt.date(2027, 2, 8))
    assert holiday_warning(dt.date(2026, 1, 5)) is None


def test_working_days_between_excludes_the_start_and_includes_the_end():
    # 2014-01-24 (Fri) .. 2014-02-08: 26 Sunday worked, 31 Jan – 6 Feb off, 8 Feb Saturday worked.
    assert working_days_between(dt.date(2014, 1, 24), dt.date(2014, 1, 27)) == 2  # 26 (Sun, worked), 27
    assert working_days_between(dt.date(2014, 1, 30), dt.date(2014, 2, 8)) == 2  # 7 Feb, 8 Feb
    assert working_days_between(dt.date(2014, 1, 30), dt.date(2014, 1, 30)) == 0
    assert working_days_between(dt.date(2014, 2, 8), dt.date(2014, 1, 30)) == 0


def test_is_workday_over_a_year_reads_the_table_once():
    workdays.forget()
    with CaptureQueriesContext(connection) as queries:
        for offset in range(365):
            is_workday(dt.date(2015, 1, 1) + dt.timedelta(days=offset))
            holiday_name(dt.date(2015, 1, 1) + dt.timedelta(days=offset))
    assert len(queries) <= 3  # the declared years, 2015's days, 2016's days (names peek past 31 Dec)


def test_a_saved_row_is_read_at_once():
    assert is_workday(dt.date(2026, 3, 2))
    CalendarDay.objects.create(date=dt.date(2026, 3, 2), kind="holiday", name="测试")
    assert not is_workday(dt.date(2026, 3, 2))
    assert holiday_name(dt.date(2026, 3, 2)) == "测试"


# A 2027 notice, invented for the mechanism: 元旦 1 Jan (Fri), 春节 6–12 Feb with the weekdays
# 8–12 Feb off and Saturday 20 Feb worked.
NOTICE_2027 = (
    "日期,类型,名称\r\n2027-01-01,休息日,元旦\r\n2027-02-08,休息日,春节\r\n2027-02-09,休息日,春节\r\n"
    "2027-02-10,休息日,春节\r\n2027/2/11,休息日,春节\r\n2027年2月12日,休息日,春节\r\n2027-02-20,上班,春节\r\n"
).encode()


def test_a_2027_notice_imported_enters_the_year(world):
    from access.work_calendar import import_calendar
    from audit.models import AuditEntry

    assert not covered(dt.date(2027, 2, 8))
    import_calendar("2027通知.csv", NOTICE_2027, actor=world.superuser, reason="国办发明电〔2026〕x号")
    assert covered(dt.date(2027, 2, 8)) and holiday_warning(dt.date(2027, 3, 1)) is None
    assert is_workday(dt.date(2027, 2, 8)) is False and holiday_name(dt.date(2027, 2, 8)) == "春节"
    assert holiday_name(dt.date(2027, 2, 6)) == "春节"  # the Saturday before the break
    assert is_workday(dt.date(2027, 2, 20)) is True  # the worked Saturday
    assert "春节" in holiday_warning(dt.date(2027, 2, 10))
    year = CalendarYear.objects.get(year=2027)
    assert year.source == "导入：2027通知.csv" and year.entered_by
    entries = AuditEntry.objects.filter(action="calendar_import")
    assert entries.count() == 1 and entries.get().changes["file"]["after"] == "2027通知.csv"


def test_the_command_imports_and_refuses(tmp_path):
    from django.core.management import CommandError, call_command

    good = tmp_path / "notice.csv"
    good.write_bytes(NOTICE_2027)
    with pytest.raises(CommandError):
        call_command("import_calendar", str(good), "--reason", "x", "--year", "2028")
    assert not covered(dt.date(2027, 1, 4))
    call_command("import_calendar", str(good), "--reason", "国务院通知")
    assert covered(dt.date(2027, 1, 4)) and not is_workday(dt.date(2027, 1, 1))


@pytest.mark.parametrize(("rows", "expected"), [
    ("2027-02-30,休息日,春节", "第 2 行：日期“2027-02-30”无法识别"),
    ("2027-02-08,放假一天吧,春节", "第 2 行：类型“放假一天吧”无法识别"),
    ("2027-02-08,休息日,春节\r\n2027-02-08,休息日,春节", "第 3 行：日期 2027-02-08 与第 2 行重复"),
    ("2027-02-09,上班,春节", "本来就是工作日"),
    ("2027-02-06,休息日,春节", "本来就是周末"),
])
def test_the_import_refuses_a_wrong_row_and_writes_nothing(world, rows, expected):
    from access.work_calendar import import_calendar
    from core.calendar_import import CalendarImportRefused

    data = ("日期,类型,名称\r\n" + rows + "\r\n2027-01-01,休息日,元旦\r\n").encode()
    with pytest.raises(CalendarImportRefused) as refused:
        import_calendar("bad.csv", data, actor=world.superuser, reason="x")
    assert any(expected in problem for problem in refused.value.problems), refused.value.problems
    assert not CalendarDay.objects.filter(date__year=2027).exists() and not covered(dt.date(2027, 1, 1))


def test_an_xlsx_notice_is_read(world):
    import io

    import openpyxl

    from access.work_calendar import import_calendar

    book = openpyxl.Workbook()
    book.active.append(["日期", "类型", "名称"])
    book.active.append([dt.datetime(2027, 2, 8), "休息日", "春节"])
    book.active.append(["2027-02-20", "上班", "春节"])
    buffer = io.BytesIO()
    book.save(buffer)
    import_calendar("notice.xlsx", buffer.getvalue(), actor=world.superuser, reason="x")
    assert not is_workday(dt.date(2027, 2, 8)) and is_workday(dt.date(2027, 2, 20))


def test_the_admin_is_for_superusers_and_every_change_is_audited(world, client):
    from audit.models import AuditEntry

    client.force_login(world.office_hangzhou)
    assert client.get("/admin/core/calendarday/").status_code in (302, 403)
    client.force_login(world.superuser)
    assert client.get("/admin/core/calendaryear/").status_code == 200
    assert client.get("/admin/core/calendaryear/template/").content.startswith("\ufeff日期,类型,名称".encode())
    day = CalendarDay.objects.get(date=dt.date(2026, 10, 7))
    response = client.post(f"/admin/core/calendarday/{day.pk}/change/", {"date": "2026-10-07", "kind": "holiday", "name": "国庆"})
    assert response.status_code == 302
    assert not is_workday(dt.date(2026, 10, 7)) and holiday_name(dt.date(2026, 10, 7)) == "国庆"
    entry = AuditEntry.objects.get(action="admin_change", object_id=day.pk)
    assert entry.actor == world.superuser and entry.changes["name"] == {"before": "国庆节", "after": "国庆"}
    response = client.post("/admin/core/calendarday/add/", {"date": "2026-03-03", "kind": "workday", "name": ""})
    assert response.status_code == 200 and "本来就是工作日" in response.content.decode()
    upload = SimpleUploadedFile("n.csv", NOTICE_2027)
    response = client.post("/admin/core/calendaryear/import/", {"file": upload, "reason": "通知"})
    assert response.status_code == 302 and covered(dt.date(2027, 5, 1))
    bad = SimpleUploadedFile("n.csv", "日期,类型,名称\r\nx,y,z\r\n".encode())
    response = client.post("/admin/core/calendaryear/import/", {"file": bad, "reason": "通知"})
    assert "第 2 行" in response.content.decode()


CELLS = st.one_of(
    st.none(), st.text(max_size=30), st.integers(), st.floats(allow_nan=True), st.booleans(),
    st.dates(), st.datetimes(), st.sampled_from(["休息日", "上班", "2027-02-08", "2027/2/20", "2027年13月1日", "春节"]),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.tuples(st.integers(1, 500), st.lists(CELLS, max_size=5)), max_size=8),
       year=st.one_of(st.none(), st.integers(1900, 2100)))
def test_the_parser_raises_nothing_but_its_refusal(rows, year):
    """Whatever the cells hold, parse_rows returns entries or raises CalendarImportRefused."""
    from core.calendar_import import CalendarImportRefused, parse_rows

    try:
        entries = parse_rows(rows, year=year)
    except CalendarImportRefused as refused:
        assert refused.problems
    else:
        assert len({day for day, _kind, _name in entries}) == len(entries)


@settings(max_examples=100, deadline=None)
@given(data=st.binary(max_size=300), name=st.sampled_from(["a.csv", "a.xlsx", "a.CSV"]))
def test_the_reader_raises_nothing_but_its_refusal(data, name):
    from core.calendar_import import CalendarImportRefused, read_file

    try:
        read_file(name, data)
    except CalendarImportRefused as refused:
        assert refused.problems


def test_the_system_check_warns_of_this_year_and_of_next_from_november():
    from core import clock
    from core.checks import work_calendar_covered

    with clock.frozen_at(dt.date(2026, 10, 31)):
        assert work_calendar_covered() == []
    with clock.frozen_at(dt.date(2026, 11, 1)):
        warnings = work_calendar_covered()
    assert [warning.id for warning in warnings] == ["core.W001"] and "2027年" in warnings[0].msg
    with clock.frozen_at(dt.date(2027, 3, 1)):
        assert [warning.id for warning in work_calendar_covered()] == ["core.W001"]


def test_the_banner_shows_superusers_and_offices_from_november(world, client):
    from core import clock

    for user, link in ((world.superuser, True), (world.office_hangzhou, False)):
        client.force_login(user)
        with clock.frozen_at(dt.date(2026, 10, 31)):
            assert "calendar-notice" not in client.get("/").content.decode()
        with clock.frozen_at(dt.date(2026, 11, 1)):
            page = client.get("/").content.decode()
        assert "2027年工作日历尚未录入" in page
        assert ("/admin/core/calendaryear/import/" in page) is link
    client.force_login(world.liaison_xihu)
    with clock.frozen_at(dt.date(2026, 11, 1)):
        assert "2027年工作日历尚未录入" not in client.get("/").content.decode()


def test_the_requirement_form_says_so_beside_the_resolved_date(world, client):
    from django.urls import reverse

    client.force_login(world.office_zj if hasattr(world, "office_zj") else world.superuser)
    world.zj_48.signed_on = dt.date(2026, 6, 1)
    world.zj_48.save(update_fields=["signed_on"])
    url = reverse("campaign:deadline_preview", args=[world.zj_48.pk])
    page = client.get(url, {"deadline": "2027年3月1日前"}).content.decode()
    assert "deadline-resolved" in page and "2027年工作日历尚未录入" in page
    page = client.get(url, {"deadline": "2026年3月2日前"}).content.decode()
    assert "deadline-resolved" in page and "尚未录入" not in page
