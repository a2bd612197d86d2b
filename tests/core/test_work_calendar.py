"""The work calendar as data (core.models, core.workdays): seeded from chinesecalendar, entered
by import or in the admin, and never a silent Monday–Friday guess for a year nobody entered."""

import datetime as dt

import chinese_calendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

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
