"""Working days in mainland China, as the State Council's holiday notices set them.

The `chinesecalendar` package knows every official holiday and every weekend
made into a working day (调休). Reminders are office work: one that would land on
a holiday or weekend goes out on the previous working day by default
(REMINDER_NON_WORKDAY_RULE or a requirement's policy can choose "next" or "none").
A due date that falls on a holiday is flagged to the office when the requirement
is saved (DESIGN rule 5, seed 000: "2014年1月10日前").
"""

import datetime as dt

import chinese_calendar
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class NonWorkdayRule(models.TextChoices):
    PREVIOUS = "previous", gettext_lazy("提前到前一个工作日")
    NEXT = "next", gettext_lazy("顺延到下一个工作日")
    NONE = "none", gettext_lazy("不调整")


# Chinese names of the holidays chinesecalendar reports in English.
HOLIDAY_NAMES = {holiday.value: holiday.chinese for holiday in chinese_calendar.Holiday}


def is_workday(day):
    """An official working day; outside the package's years, Monday to Friday."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def holiday_name(day):
    """The official holiday's Chinese name (春节, 元旦 …), "周末" for a plain weekend, or None on a working day."""
    if is_workday(day):
        return None
    try:
        _is_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        name = None
    return HOLIDAY_NAMES.get(name, name) if name else _("周末")


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


def holiday_warning(due_at):
    """A Chinese warning for the office when a due moment falls on a holiday or weekend, else None.

    Shown to the office when a requirement is saved; the notifications app records the same
    flag for the reminder log.
    """
    if due_at is None:
        return None
    day = timezone.localdate(due_at) if isinstance(due_at, dt.datetime) else due_at
    name = holiday_name(day)
    if name is None:
        return None
    previous = shift_to_workday(day, NonWorkdayRule.PREVIOUS)
    return _(
        "截止日期 %(day)s 是%(name)s，不是工作日。请确认是否改为此前的最后一个工作日 %(previous)s；"
        "提前提醒会提前到工作日发出。"
    ) % {"day": f"{day.year}年{day.month}月{day.day}日", "name": name,
         "previous": f"{previous.year}年{previous.month}月{previous.day}日"}


def working_days_between(start_day, end_day):
    """How many working days d there are with start_day < d <= end_day (0 when end_day <= start_day)."""
    count, day = 0, start_day + dt.timedelta(days=1)
    while day <= end_day:
        count += is_workday(day)
        day += dt.timedelta(days=1)
    return count
