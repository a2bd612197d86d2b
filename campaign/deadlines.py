"""Deadline arithmetic: from what a directive says to a due moment in Asia/Shanghai.

Directives state deadlines as dates ("2014年1月10日前", 000) or as periods
("12月底", "2014年1月中旬", 000; "2月底前", 004). DESIGN rule 3: deadlines are
Asia/Shanghai dates and "X日前" is due by the end of day X, as offices usually
read it; a requirement can make it exclusive (due by the end of the day before).
Periods resolve to their last day: 上旬 → 10th, 中旬 → 20th, 下旬/月底/月末 →
last day of the month, 年底 → 31 December, a month with no day → its last day.
Without a year, a month earlier than the directive's month is in the next year.

Some deadlines count from an event instead of a date (DESIGN rule 13; 000: 总结会议应安排在中央和
省委会议之后，然后报正式书面总结): "会后一周内", "总结会议召开后15日内", "会议召开后5个工作日内".
They read as an EventDeadline: the meeting (DueEvent, or none when the text only says 会后),
the number of days and whether they are working days (core.workdays). Each unit's due moment
is then the end of the N-th day after the day its meeting was held, Asia/Shanghai, like any
day-precision deadline; until then it is 待定 ("to be set"), shown with the rule.
`read_deadline` reads either kind; `resolve_deadline` reads dates and periods only.
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


class DueEvent(models.TextChoices):
    """The events a deadline may count from: a unit's meetings (campaign.models.Meeting.Kind values)."""

    SUMMARY_MEETING = "summary", gettext_lazy("总结会议召开")
    DEMOCRATIC_LIFE_MEETING = "democratic_life", gettext_lazy("专题民主生活会召开")


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


# A deadline of at most a year after its event: a longer one is a typo.
MAX_DAYS_AFTER_EVENT = 366


@dataclass(frozen=True)
class EventDeadline:
    """Due within `days` (working days when `workdays`) after `event` (a DueEvent value, "" when the
    text names no meeting and the requirement says which); unknown until the event is recorded."""

    text: str
    event: str
    days: int
    workdays: bool = False
    precision = Precision.DAY
    due_at = None

    def rule(self, event=None):
        """The rule in words: 总结会议召开后15日内, 会后5个工作日内."""
        return event_rule_label(event or self.event, self.days, self.workdays)

    def due_on(self, held_on):
        """The last day: `days` calendar days after `held_on`, or the `days`-th working day after it."""
        if not self.workdays:
            return held_on + dt.timedelta(days=self.days)
        from core.workdays import add_workdays  # imported here: core.workdays reads the calendar tables

        return add_workdays(held_on, self.days)

    def due_at_after(self, held_on):
        """The due moment once the event was held on `held_on`: the end of the last day (rule 3)."""
        return Deadline(self.text, self.due_on(held_on), Precision.DAY).due_at


def event_rule_label(event, days, workdays=False):
    """"总结会议召开后15日内" (the one wording of an event-relative deadline)."""
    unit = _("%(days)s个工作日内") if workdays else _("%(days)s日内")
    count = unit % {"days": days}
    if not event:
        return _("会后%(count)s") % {"count": count}
    return _("%(event)s后%(count)s") % {"event": DueEvent(event).label, "count": count}


def pending_due_label(event, days, workdays=False):
    """What pages show for a due moment still to come: 待定（总结会议召开后15日内）."""
    return _("待定（%(rule)s）") % {"rule": event_rule_label(event, days, workdays)}


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
_EVENT_PHRASE = re.compile(
    r"^(?P<meeting>(?:专题)?民主生活会议?|总结会议?|会议?)(?:召开|结束)?之?后"
    rf"(?P<count>{_NUM})(?P<unit>个工作日|工作日|日|天|周|个星期|星期|个礼拜|礼拜)(?:内|以内|之内)$"
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


def _normalized(value):
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", (value or "").strip()))
    return text.removeprefix("于").removeprefix("在")


def read_event_deadline(value):
    """An EventDeadline when `value` counts from a meeting ("会后一周内", "总结会议召开后15日内",
    "会议召开后5个工作日内"), None when it does not; DeadlineError when its count makes no sense."""
    if not isinstance(value, str):
        return None
    match = _EVENT_PHRASE.match(_normalized(value))
    if match is None:
        return None
    meeting, unit = match.group("meeting"), match.group("unit")
    event = (DueEvent.DEMOCRATIC_LIFE_MEETING if "民主生活会" in meeting
             else DueEvent.SUMMARY_MEETING if meeting.startswith("总结") else "")
    count = _chinese_number(match.group("count"))
    days = count * 7 if unit in ("周", "个星期", "星期", "个礼拜", "礼拜") else count
    if not 1 <= days <= MAX_DAYS_AFTER_EVENT:
        raise DeadlineError(
            _("会后期限须在1至%(max)s日之间，“%(text)s”不在此范围。") % {"max": MAX_DAYS_AFTER_EVENT, "text": value.strip()}
        )
    return EventDeadline(value.strip(), str(event), days, workdays="工作日" in unit)


def read_deadline(value, reference_date, inclusive=True):
    """A deadline of either kind: an EventDeadline ("会后一周内") or a Deadline (resolve_deadline)."""
    return read_event_deadline(value) or resolve_deadline(value, reference_date, inclusive)


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
    text = _normalized(original)
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
