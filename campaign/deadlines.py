"""Deadline arithmetic: from what a directive says to a due moment in Asia/Shanghai.

Directives state deadlines as dates ("2014年1月10日前", 000) or as periods
("12月底", "2014年1月中旬", 000; "2月底前", 004). DESIGN rule 3: deadlines are
Asia/Shanghai dates and "X日前" is due by the end of day X, as offices usually
read it; a requirement can make it exclusive (due by the end of the day before).
Periods resolve to their last day: 上旬 → 10th, 中旬 → 20th, 下旬/月底/月末 →
last day of the month, 年底 → 31 December, a month with no day → its last day.
Without a year, a month earlier than the directive's month is in the next year.
"""

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.dates import EARLIEST, YEARS_AHEAD
from core.templatetags.core_tags import format_day

SHANGHAI = ZoneInfo("Asia/Shanghai")
END_OF_DAY = dt.time(23, 59, 59)


class Precision(models.TextChoices):
    DAY = "day", gettext_lazy("日")
    TEN_DAYS = "ten_days", gettext_lazy("旬")
    MONTH = "month", gettext_lazy("月")


class DeadlineError(ValueError):
    """A deadline phrase that cannot be resolved; the message says why."""


@dataclass(frozen=True)
class Deadline:
    text: str
    due_on: dt.date
    precision: str
    inclusive: bool = True

    @property
    def due_at(self):
        """The last moment (Asia/Shanghai) at which a submission is on time."""
        day = self.due_on if self.inclusive else self.due_on - dt.timedelta(days=1)
        return dt.datetime.combine(day, END_OF_DAY, tzinfo=SHANGHAI)


_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _chinese_number(text):
    """Read 一 … 三十一 (and 元 as 1, as in 元月)."""
    if text.isdecimal():
        return int(text)
    if text == "元":
        return 1
    if "十" in text:
        tens, _sep, units = text.partition("十")
        return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(units, 0) if units else 0)
    if all(ch in _CN_DIGITS for ch in text):
        return int("".join(str(_CN_DIGITS[ch]) for ch in text))
    raise DeadlineError(_("无法识别数字“%(text)s”。") % {"text": text})


_NUM = r"[0-9〇零一二两三四五六七八九十]+"
_PHRASE = re.compile(
    rf"^(?:(?P<year>{_NUM})年)?"
    rf"(?:(?P<yearend>底|末|年底|年末)|(?:(?P<month>{_NUM}|元)月份?)?"
    rf"(?:(?P<day>{_NUM})[日号]|(?P<period>上旬|中旬|下旬|月底|月末|底|末|份))?)?"
    r"(?P<before>前|以前|之前)?$"
)
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")


def _last_day(year, month):
    return calendar.monthrange(year, month)[1]


def resolve_deadline(value, reference_date, inclusive=True):
    """Turn a date or a Chinese deadline phrase into a Deadline.

    `reference_date` is the directive's signed date: it supplies the year when
    the phrase has none. A deadline makes sense only from 1949 to YEARS_AHEAD years after the
    directive (core.dates); whether it may fall before the directive is the requirement's
    rule (deadline_precedes_directive).
    """
    try:
        deadline = _resolve(value, reference_date, inclusive)
    except (ValueError, OverflowError) as exc:
        if isinstance(exc, DeadlineError):
            raise
        raise DeadlineError(_("日期“%(text)s”不存在。") % {"text": value}) from exc
    latest = dt.date(reference_date.year + YEARS_AHEAD, 12, 31)
    if not EARLIEST <= deadline.due_on <= latest:
        raise DeadlineError(
            _("期限“%(text)s”落在%(due)s，不在%(earliest)s至%(latest)s之间。请检查年份。")
            % {"text": deadline.text, "due": format_day(deadline.due_on), "earliest": format_day(EARLIEST),
               "latest": format_day(latest)}
        )
    return deadline


def deadline_precedes_directive(due_at, signed_on):
    """A deadline that has passed before the directive setting it was signed is a typo (rule 3),
    except when an urging notice (催报) restates a deadline already past: then the requirement
    says so explicitly (Requirement.deadline_before_signing)."""
    return due_at.astimezone(SHANGHAI).date() < signed_on


def _resolve(value, reference_date, inclusive=True):
    if isinstance(value, dt.datetime):
        value = value.astimezone(SHANGHAI).date()
    if isinstance(value, dt.date):
        return Deadline(value.isoformat(), value, Precision.DAY, inclusive)
    original = (value or "").strip()
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", original))
    text = text.removeprefix("于").removeprefix("在")
    if not text:
        raise DeadlineError(_("请填写截止日期或期限，例如“2014年1月10日前”。"))
    iso = _ISO.match(text)
    if iso:
        try:
            due = dt.date(*(int(part) for part in iso.groups()))
        except ValueError as exc:
            raise DeadlineError(_("日期“%(text)s”不存在。") % {"text": original}) from exc
        return Deadline(original, due, Precision.DAY, inclusive)
    match = _PHRASE.match(text)
    if not match or not (match.group("month") or match.group("yearend") or match.group("day") or match.group("period")):
        raise DeadlineError(
            _("无法识别期限“%(text)s”。可填写日期（2014-01-10）或如“2014年1月10日前”“12月底”“1月中旬”的表述。")
            % {"text": original}
        )
    year = None
    if match.group("year"):
        if len(match.group("year")) != 4:
            raise DeadlineError(_("年份请写完整的四位数，例如“2014年”，而不是“%(year)s年”。") % {"year": match.group("year")})
        year = _chinese_number(match.group("year"))
    if match.group("yearend"):
        year = year or reference_date.year
        return Deadline(original, dt.date(year, 12, 31), Precision.MONTH, inclusive)
    day_text, period = match.group("day"), match.group("period")
    if not match.group("month"):
        # "上旬", "10日前" alone: this month of the directive, or the next one if already past.
        deadline = _resolve(f"{reference_date.year}年{reference_date.month}月{text}", reference_date, inclusive)
        if deadline.due_on < reference_date:
            month_after = (reference_date.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
            deadline = _resolve(f"{month_after.year}年{month_after.month}月{text}", month_after, inclusive)
        return Deadline(original, deadline.due_on, deadline.precision, inclusive)
    month = _chinese_number(match.group("month"))
    if not 1 <= month <= 12:
        raise DeadlineError(_("月份 %(month)s 不存在。") % {"month": month})
    if year is None:
        year = reference_date.year + (1 if month < reference_date.month else 0)
    if day_text:
        day = _chinese_number(day_text)
        if not 1 <= day <= _last_day(year, month):
            raise DeadlineError(_("%(year)s年%(month)s月没有%(day)s日。") % {"year": year, "month": month, "day": day})
        return Deadline(original, dt.date(year, month, day), Precision.DAY, inclusive)
    if period == "上旬":
        return Deadline(original, dt.date(year, month, 10), Precision.TEN_DAYS, inclusive)
    if period == "中旬":
        return Deadline(original, dt.date(year, month, 20), Precision.TEN_DAYS, inclusive)
    if period == "下旬":
        return Deadline(original, dt.date(year, month, _last_day(year, month)), Precision.TEN_DAYS, inclusive)
    return Deadline(original, dt.date(year, month, _last_day(year, month)), Precision.MONTH, inclusive)
