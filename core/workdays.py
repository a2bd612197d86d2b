"""Working days in mainland China, as the State Council's holiday notices set them.

The calendar is data (core.models.CalendarDay, CalendarYear): seeded from the
`chinesecalendar` package for every year it covers, then entered by a superuser in the admin
or imported from the notice (access.work_calendar). Reminders are office work: one that would
land on a holiday or weekend goes out on the previous working day by default
(REMINDER_NON_WORKDAY_RULE or a requirement's policy can choose "next" or "none"). A due
date that falls on a holiday is flagged to the office when the requirement is saved (DESIGN
rule 5, seed 000: "2014年1月10日前").

A year nobody has entered is not guessed at in silence: `is_workday` still answers Monday to
Friday there (a reminder must go out on some day), but `covered()` / `uncovered_years()` say
so, `holiday_warning()` says so to the office, core.checks warns the operator and the page
banner warns superusers and offices from 1 November of the year before.

Each process reads the table once per year (one query for the declared years, one per year
asked about) and forgets it when a row is saved or deleted (signals in core.apps) or after a
test changed it (tests/conftest.py).
"""

import datetime as dt

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class NonWorkdayRule(models.TextChoices):
    PREVIOUS = "previous", gettext_lazy("提前到前一个工作日")
    NEXT = "next", gettext_lazy("顺延到下一个工作日")
    NONE = "none", gettext_lazy("不调整")


_years = None  # the set of declared years, once loaded
_days = {}  # year -> {date: (kind, name)}
changed = False  # set when the table changed since the cache was last cleared (tests read it)


def forget():
    """Drop what this process remembers of the calendar (after a change to the table)."""
    global _years
    _years = None
    _days.clear()


def table_changed(**_kwargs):
    """A calendar row was saved or deleted (signal receiver; bulk writers call it themselves)."""
    global changed
    forget()
    changed = True


def covered_years():
    """The years whose calendar is declared complete."""
    global _years
    if _years is None:
        from core.models import CalendarYear  # imported here: models are not ready at import time

        _years = frozenset(CalendarYear.objects.values_list("year", flat=True))
    return _years


def covered(day):
    """Is `day`'s year in the work calendar?"""
    return day.year in covered_years()


def uncovered_years(days):
    """The sorted years of `days` (dates or aware datetimes, None skipped) the calendar does not cover."""
    years = {(_local_day(day)).year for day in days if day is not None}
    return sorted(years - covered_years())


def _exceptions(year):
    if year not in _days:
        from core.models import CalendarDay  # imported here: models are not ready at import time

        _days[year] = {date: (kind, name) for date, kind, name in CalendarDay.objects.filter(
            date__year=year).values_list("date", "kind", "name")}
    return _days[year]


def _local_day(value):
    return timezone.localdate(value) if isinstance(value, dt.datetime) else value


def is_workday(day):
    """An official working day. In a year the calendar does not cover, Monday to Friday (callers
    that must say so ask `covered()`)."""
    if not covered(day):
        return day.weekday() < 5
    entry = _exceptions(day.year).get(day)
    if entry is not None:
        return entry[0] == "workday"
    return day.weekday() < 5


def holiday_name(day):
    """The official holiday's Chinese name (春节, 元旦 …), "周末" for a plain weekend, or None on a working day.

    A weekend inside a run of days off that contains a named holiday is named after it
    (2027-02-06, a Saturday of the Spring Festival break, is 春节), as the notice says
    "2月6日至12日放假调休，共7天"."""
    if is_workday(day):
        return None
    if covered(day):
        for step in (0, -1, 1):
            probe = day
            for _i in range(10):
                entry = _exceptions(probe.year).get(probe) if covered(probe) else None
                if entry is not None and entry[0] == "holiday" and entry[1]:
                    return entry[1]
                if not step:
                    break
                probe += dt.timedelta(days=step)
                if is_workday(probe):
                    break
    return _("周末")


def shift_to_workday(day, rule=NonWorkdayRule.PREVIOUS):
    """Move a reminder day off holidays and weekends: to the previous working day (default), the next, or not at all."""
    if rule == NonWorkdayRule.NONE:
        return day
    step = dt.timedelta(days=-1 if rule == NonWorkdayRule.PREVIOUS else 1)
    for _i in range(40):  # the longest run of days off (Spring Festival) is far shorter
        if is_workday(day):
            return day
        day += step
    return day


def working_days_between(start_day, end_day):
    """How many working days d there are with start_day < d <= end_day (0 when end_day <= start_day).

    For reminder texts such as "距截止还有 8 天（其中工作日 3 天）": counted from today (not
    included) to the due day (included). Days of uncovered years count Monday to Friday; ask
    `uncovered_years()` to say so."""
    count = 0
    day = start_day + dt.timedelta(days=1)
    while day <= end_day:
        count += is_workday(day)
        day += dt.timedelta(days=1)
    return count


def add_workdays(day, count):
    """The `count`-th working day after `day` ("会议召开后5个工作日内", DESIGN rule 13). Days of
    uncovered years count Monday to Friday; ask `uncovered_years()` to say so."""
    for _i in range(count):
        day += dt.timedelta(days=1)
        while not is_workday(day):
            day += dt.timedelta(days=1)
    return day


def holiday_breaks(year, stems):
    """The runs of days off (first day off, last day off), in date order, that contain a holiday of
    `year` whose name contains one of `stems` ("春节"; ("劳动", "五一") …), as the calendar names them.

    For deadlines such as "春节前" and "国庆节后一周内" (campaign.deadlines): the notice gives a break
    as "1月31日至2月6日放假调休，共7天"; only the weekdays off carry the holiday's name in the
    table (core.calendar_seed), so the weekends at either end and inside are joined here. A break
    may start in the year before (元旦 2024 began on Saturday 30 December 2023). Empty when `year`
    is not covered: nobody has entered its holidays."""
    if year not in covered_years():
        return []
    named = sorted(day for day, (kind, name) in _exceptions(year).items()
                   if kind == "holiday" and any(stem in (name or "") for stem in stems))
    breaks = []
    for day in named:
        if breaks and day <= breaks[-1][1]:
            continue
        first = last = day
        for _i in range(40):  # the longest break (Spring Festival) is far shorter
            if is_workday(first - dt.timedelta(days=1)):
                break
            first -= dt.timedelta(days=1)
        for _i in range(40):
            if is_workday(last + dt.timedelta(days=1)):
                break
            last += dt.timedelta(days=1)
        breaks.append((first, last))
    return breaks


def last_workday_before(day):
    """The last working day before `day` ("春节前": the end of the last working day before the break)."""
    for _i in range(40):
        day -= dt.timedelta(days=1)
        if is_workday(day):
            return day
    return day


def _format(day):
    return f"{day.year}年{day.month}月{day.day}日"


def not_entered_message(year):
    """The sentence every page shows for a year nobody has entered."""
    return _("%(year)s年工作日历尚未录入，无法判断节假日和调休，暂按周一至周五计算工作日。") % {"year": year}


def holiday_warning(due_at):
    """A Chinese warning for the office when a due moment falls on a holiday or weekend, or in a
    year the work calendar does not cover, else None.

    Shown to the office when a requirement is saved and beside the resolved date on the
    requirement form; the notifications app records the same flag for the reminder log.
    """
    if due_at is None:
        return None
    day = _local_day(due_at)
    if not covered(day):
        return _("截止日期 %(day)s：%(not_entered)s") % {"day": _format(day), "not_entered": not_entered_message(day.year)}
    name = holiday_name(day)
    if name is None:
        return None
    previous = shift_to_workday(day, NonWorkdayRule.PREVIOUS)
    return _(
        "截止日期 %(day)s 是%(name)s，不是工作日。请确认是否改为此前的最后一个工作日 %(previous)s；"
        "提前提醒会提前到工作日发出。"
    ) % {"day": _format(day), "name": name, "previous": _format(previous)}
