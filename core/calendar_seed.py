"""Seeding the work calendar from the `chinesecalendar` package, for every year it covers.

Used by the data migration core 0002 and after a flush (a test database is flushed between
transactional tests; core.apps re-seeds an empty calendar on post_migrate, as Django recreates
content types then). Only the exceptions to Monday–Friday are stored (core.models).
"""

import datetime as dt

import chinese_calendar
from chinese_calendar import constants


def package_years():
    """(first, last) year chinesecalendar knows, and its version."""
    years = {day.year for day in constants.holidays} | {day.year for day in constants.workdays}
    return min(years), max(years), getattr(chinese_calendar, "__version__", "")


def seed(day_model, year_model, years=None):
    """Write every covered year of chinesecalendar not yet declared; returns the years written."""
    first, last, version = package_years()
    names = {holiday.value: holiday.chinese for holiday in chinese_calendar.Holiday}
    declared = set(year_model.objects.values_list("year", flat=True))
    wanted = [year for year in (years or range(first, last + 1)) if first <= year <= last and year not in declared]
    days = []
    for year in wanted:
        day = dt.date(year, 1, 1)
        while day.year == year:
            weekend = day.weekday() >= 5
            workday = chinese_calendar.is_workday(day)
            if weekend == workday:  # an exception to Monday–Friday
                # A worked weekend is named after the holiday it makes up for (2014-01-26: 春节).
                _holiday, name = chinese_calendar.get_holiday_detail(day)
                days.append(day_model(date=day, kind="workday" if workday else "holiday", name=names.get(name, name or "")))
            day += dt.timedelta(days=1)
    day_model.objects.filter(date__year__in=wanted).delete()
    day_model.objects.bulk_create(days)
    year_model.objects.bulk_create(
        [year_model(year=year, source=f"chinesecalendar {version}".strip(), entered_by="") for year in wanted]
    )
    return wanted
