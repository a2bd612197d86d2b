"""Recurring reporting duties: 每月5日前报送工作信息, 每季度末报送进展, 每周五前报送信息, 每半年, 每年.

A recurring deadline text reads as a Rule (how often, and on which day of each period); every
period of the rule has a start date, a label people read (2014年1月, 2014年第一季度, 2014年第3周
（1月13日—1月19日）, 2014年上半年, 2014年) and a due moment. The due day always lies inside its
period: the January report of 每月5日前 is due on 5 January, the first quarter's of 每季度末 on
31 March, week 3's of 每周五前 on Friday 17 January 2014. As for one-off deadlines (DESIGN rule 3),
the due moment is the end of the due day, Asia/Shanghai; a due day that is not a working day is
kept (the reminders already handle days off, core.workdays).

`read_recurrence(text)` returns the Rule, or None for anything that does not say 每…, which
stays with campaign.deadlines (one-off dates, periods and deadlines counted from a meeting).
Requirement.resolve_deadline tries this module first; issuing the periods' obligations is
campaign.actions.issue_recurring_periods.
"""

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaign.deadlines import END_OF_DAY, SHANGHAI, DeadlineError, _chinese_number
from core.templatetags.core_tags import format_day


class Frequency(models.TextChoices):
    WEEKLY = "weekly", gettext_lazy("按周")
    MONTHLY = "monthly", gettext_lazy("按月")
    QUARTERLY = "quarterly", gettext_lazy("按季度")
    HALF_YEARLY = "half_yearly", gettext_lazy("按半年")
    YEARLY = "yearly", gettext_lazy("按年")


WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "七": 6}
_WEEKDAY_NAMES = "一二三四五六日"
_QUARTER_NAMES = "一二三四"

_NUM = r"[0-9〇零一二两三四五六七八九十]+"
_BEFORE = r"(?:前|以前|之前)?"
_DAY = rf"(?P<day>{_NUM})[日号]"
_PATTERNS = [
    (Frequency.MONTHLY, re.compile(rf"^每(?:个)?月(?:份)?(?:{_DAY}|(?P<end>底|末|最后一[日天]))(?:内)?{_BEFORE}$")),
    (Frequency.QUARTERLY, re.compile(
        rf"^每(?:个)?季度?(?:(?P<end>末|底|结束)|最后一个?月(?:{_DAY}|(?P<monthend>底|末)))(?:内)?{_BEFORE}$")),
    (Frequency.WEEKLY, re.compile(r"^每(?:周|星期|礼拜)(?:星期|周|礼拜)?(?P<weekday>[一二三四五六日天七])(?:下班)?" + _BEFORE + "$")),
    (Frequency.HALF_YEARLY, re.compile(rf"^每半年(?:度)?(?:末|底|一次|结束)?(?:内)?{_BEFORE}$")),
    (Frequency.YEARLY, re.compile(
        rf"^每年(?:度)?(?:(?P<end>底|末|年底|年末)|(?P<month>{_NUM}|元)月(?:份)?(?:{_DAY}|(?P<monthend>底|末))?){_BEFORE}$")),
]


def _last_day(year, month):
    return calendar.monthrange(year, month)[1]


def _first_of_next_month(day):
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


@dataclass(frozen=True)
class Period:
    """One period of a rule: its first day, the label people read and the due moment."""

    start: dt.date
    label: str
    due_on: dt.date

    @property
    def due_at(self):
        return dt.datetime.combine(self.due_on, END_OF_DAY, tzinfo=SHANGHAI)


@dataclass(frozen=True)
class Rule:
    """How often a duty recurs and its due day in each period.

    - weekly: `weekday` (0 Monday … 6 Sunday) of the ISO week (Monday to Sunday);
    - monthly: `day` of the month, None for its last day (a day past the month's end is its last day);
    - quarterly: `day` of the quarter's last month, None for the quarter's last day;
    - half-yearly: 30 June and 31 December;
    - yearly: `month` and `day` (None: the month's last day).
    """

    frequency: str
    day: int | None = None
    weekday: int | None = None
    month: int | None = None

    # --- the periods ---------------------------------------------------------------------------

    def period_start(self, day):
        """The first day of the period containing `day`."""
        if self.frequency == Frequency.WEEKLY:
            return day - dt.timedelta(days=day.weekday())
        if self.frequency == Frequency.MONTHLY:
            return day.replace(day=1)
        if self.frequency == Frequency.QUARTERLY:
            return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
        if self.frequency == Frequency.HALF_YEARLY:
            return dt.date(day.year, 1 if day.month <= 6 else 7, 1)
        return dt.date(day.year, 1, 1)

    def next_start(self, start):
        """The first day of the period after the one starting on `start`."""
        if self.frequency == Frequency.WEEKLY:
            return start + dt.timedelta(days=7)
        months = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.HALF_YEARLY: 6}.get(self.frequency, 12)
        month = start.month - 1 + months
        return dt.date(start.year + month // 12, month % 12 + 1, 1)

    def due_on(self, start):
        """The due day of the period starting on `start` (inside the period)."""
        if self.frequency == Frequency.WEEKLY:
            return start + dt.timedelta(days=self.weekday or 0)
        if self.frequency == Frequency.YEARLY:
            month = self.month or 12
            return dt.date(start.year, month, min(self.day or 31, _last_day(start.year, month)))
        last_month_start = {
            Frequency.MONTHLY: start, Frequency.QUARTERLY: start.replace(month=start.month + 2),
        }.get(self.frequency, start.replace(month=start.month + 5))
        last = _last_day(last_month_start.year, last_month_start.month)
        day = last if self.frequency == Frequency.HALF_YEARLY or not self.day else min(self.day, last)
        return last_month_start.replace(day=day)

    def label(self, start):
        """The period as people read it: 2014年1月, 2014年第一季度, 2014年第3周（1月13日—1月19日）, 2014年上半年, 2014年."""
        if self.frequency == Frequency.WEEKLY:
            year, week, _weekday = start.isocalendar()
            end = start + dt.timedelta(days=6)
            return _("%(year)s年第%(week)s周（%(first)s—%(last)s）") % {
                "year": year, "week": week,
                "first": _("%(month)s月%(day)s日") % {"month": start.month, "day": start.day},
                "last": _("%(month)s月%(day)s日") % {"month": end.month, "day": end.day},
            }
        if self.frequency == Frequency.MONTHLY:
            return _("%(year)s年%(month)s月") % {"year": start.year, "month": start.month}
        if self.frequency == Frequency.QUARTERLY:
            return _("%(year)s年第%(quarter)s季度") % {
                "year": start.year, "quarter": _QUARTER_NAMES[(start.month - 1) // 3]}
        if self.frequency == Frequency.HALF_YEARLY:
            if start.month <= 6:
                return _("%(year)s年上半年") % {"year": start.year}
            return _("%(year)s年下半年") % {"year": start.year}
        return _("%(year)s年") % {"year": start.year}

    def period(self, start):
        return Period(start, self.label(start), self.due_on(start))

    def first_period(self, starts_on):
        """The first period a rule starting on `starts_on` asks for: the one containing that day,
        unless its due day is already past then (a directive of 10 January asks for the January
        report of 每月5日前 no more), then the next."""
        start = self.period_start(starts_on)
        if self.due_on(start) < starts_on:
            start = self.next_start(start)
        return self.period(start)

    def periods(self, starts_on, *, until, ends_on=None):
        """The periods from the first (first_period) whose due moment is at most `until` (an aware
        moment) and whose due day is not after `ends_on` (None: open-ended), in order."""
        period = self.first_period(starts_on)
        while period.due_at <= until and (ends_on is None or period.due_on <= ends_on):
            yield period
            period = self.period(self.next_start(period.start))

    # --- in words ------------------------------------------------------------------------------

    def describe(self):
        """The rule in words: 每月5日前, 每季度末, 每周五前, 每半年末, 每年12月20日前."""
        if self.frequency == Frequency.WEEKLY:
            return _("每周%(weekday)s前") % {"weekday": _WEEKDAY_NAMES[self.weekday or 0]}
        if self.frequency == Frequency.MONTHLY:
            return _("每月%(day)s日前") % {"day": self.day} if self.day else _("每月底前")
        if self.frequency == Frequency.QUARTERLY:
            return _("每季度最后一个月%(day)s日前") % {"day": self.day} if self.day else _("每季度末前")
        if self.frequency == Frequency.HALF_YEARLY:
            return _("每半年末前")
        if self.day:
            return _("每年%(month)s月%(day)s日前") % {"month": self.month, "day": self.day}
        return _("每年%(month)s月底前") % {"month": self.month or 12}

    def summary(self, starts_on, ends_on=None):
        """The rule for the deadline preview: 每月5日前（按月，自2014年1月起）, with the end when set."""
        first = self.first_period(starts_on)
        text = _("%(rule)s（%(frequency)s，自%(first)s起）") % {
            "rule": self.describe(), "frequency": Frequency(self.frequency).label, "first": first.label}
        if ends_on:
            text = _("%(rule)s（%(frequency)s，自%(first)s起，至%(end)s止）") % {
                "rule": self.describe(), "frequency": Frequency(self.frequency).label, "first": first.label,
                "end": format_day(ends_on)}
        return text


def _normalized(value):
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", (value or "").strip()))
    return text.removeprefix("于").removeprefix("在")


def read_recurrence(text):
    """The Rule a recurring deadline text states, or None when it is not recurring (it does not start
    with 每). DeadlineError when it starts with 每 but cannot be read, or names a day that never comes."""
    if not isinstance(text, str):
        return None
    normalized = _normalized(text)
    if not normalized.startswith("每"):
        return None
    for frequency, pattern in _PATTERNS:
        match = pattern.match(normalized)
        if match is None:
            continue
        groups = match.groupdict()
        day = _chinese_number(groups["day"]) if groups.get("day") else None
        if frequency == Frequency.WEEKLY:
            return Rule(frequency, weekday=WEEKDAYS[groups["weekday"]])
        if frequency == Frequency.HALF_YEARLY:
            return Rule(frequency)
        if frequency == Frequency.YEARLY:
            month = 12 if groups.get("end") else _chinese_number(groups["month"])
            if not 1 <= month <= 12:
                raise DeadlineError(_("月份 %(month)s 不存在。") % {"month": month})
            if groups.get("end"):
                day = 31
            if day is not None and not 1 <= day <= _last_day(2000, month):  # 2000: 29 February exists
                raise DeadlineError(_("%(month)s月没有%(day)s日。") % {"month": month, "day": day})
            return Rule(frequency, day=day, month=month)
        if day is not None and not 1 <= day <= 31:
            raise DeadlineError(_("每月没有%(day)s日，请填写1至31日。") % {"day": day})
        return Rule(frequency, day=day)
    raise DeadlineError(_(
        "无法识别周期性期限“%(text)s”。可填写如“每月5日前”“每月底”“每季度末”“每季度最后一个月20日前”“每周五前”"
        "“每半年”“每年12月20日前”“每年底”。"
    ) % {"text": text.strip()})
