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
`read_deadline` reads either kind; `resolve_deadline` reads dates, periods and holidays only
(a holiday phrase reads the work calendar's tables; every other phrase is pure arithmetic).

The notice itself is such an event too (issue 13: "收到通知后10个工作日内", "接到通知后5日内"):
DueEvent.RECEIVED counts from the day the notice reached the unit, which is the day its
obligation was issued (campaign.actions.fan_out sets each obligation's moment then).

Phrases office clerks copy from directives (issue 13), all Asia/Shanghai, on the work calendar
(core.workdays, the State Council's holiday notices as data):
- "本月底" / "本月末": the last day of the directive's month ("本月" is the directive's month).
- "春节前", "元旦前", "国庆节前" …: the end of the last working day before the holiday's first day
  off, for the first such holiday on or after the directive's date. The calendar must hold it:
  a year nobody entered is not guessed (DeadlineError asks the office to import the calendar).
- "国庆节后一周内", "春节后3个工作日内": counted from the holiday's last day off: the day work
  resumes is working day 1; a week is 7 calendar days after the last day off.
- "1月10日（星期五）前": the weekday is checked against the date; a wrong one is not silently
  accepted but carried as a warning (Deadline.warnings) the office sees on the form and after saving.
- "24日下午4:00前", "1月24日16时前", "1月10日17:30前": due at that moment (a time given is the
  due moment, whatever "含当日" says); "24时" is the end of the day.
- A day without a month ("24日前") is in the directive's month when that day is not earlier
  than the directive's day, else in the next month.
Full-width digits, brackets and colons, spaces anywhere ("2014 年2 月12 日前") and a trailing
"报送"/"上报" are read as the plain phrase. Recurring phrases (每月N日前 …) are not read here.
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

from core import workdays
from core.dates import EARLIEST, YEARS_AHEAD
from core.templatetags.core_tags import format_day

SHANGHAI = ZoneInfo("Asia/Shanghai")
END_OF_DAY = dt.time(23, 59, 59)


class Precision(models.TextChoices):
    DAY = "day", gettext_lazy("日")
    TEN_DAYS = "ten_days", gettext_lazy("旬")
    MONTH = "month", gettext_lazy("月")


class DueEvent(models.TextChoices):
    """The events a deadline may count from: a unit's meetings (campaign.models.Meeting.Kind values),
    or the notice reaching the unit (RECEIVED: the day its obligation is issued)."""

    SUMMARY_MEETING = "summary", gettext_lazy("总结会议召开")
    DEMOCRATIC_LIFE_MEETING = "democratic_life", gettext_lazy("专题民主生活会召开")
    RECEIVED = "received", gettext_lazy("收到通知")


class DeadlineError(ValueError):
    """A deadline phrase that cannot be resolved; the message says why."""


@dataclass(frozen=True)
class Deadline:
    text: str
    due_on: dt.date
    precision: str
    inclusive: bool = True
    # The time of day the text gives ("下午4:00前"), else None: the end of the day.
    time: dt.time | None = None
    # Sentences for the office about what the text says but the date contradicts (a wrong weekday).
    warnings: tuple = ()

    @property
    def due_at(self):
        """The last moment (Asia/Shanghai) at which a submission is on time: the time the text gives,
        else the end of the day (of the day before when the requirement reads "X日前" exclusively)."""
        if self.time is not None:
            return dt.datetime.combine(self.due_on, self.time, tzinfo=SHANGHAI)
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
    """What pages show for a due moment still to come: 待定（总结会议召开后15日内）. A requirement
    counting from the notice has no moment of its own but nothing is awaited (each unit's is set
    when its obligation is issued): it reads as the rule, 收到通知后10个工作日内."""
    if event == DueEvent.RECEIVED:
        return event_rule_label(event, days, workdays)
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
_COUNT = rf"(?P<count>{_NUM})(?P<unit>个工作日|工作日|日|天|周|个星期|星期|个礼拜|礼拜)(?:内|以内|之内)"
_WEEK_UNITS = ("周", "个星期", "星期", "个礼拜", "礼拜")
_EVENT_PHRASE = re.compile(
    r"^(?:(?P<meeting>(?:专题)?民主生活会议?|总结会议?|会议?)(?:召开|结束)?|(?P<notice>(?:收到|接到)本?(?:通知|文件)))之?后"
    rf"{_COUNT}$"
)
# The holidays a deadline may name, by what the calendar calls them (core.calendar_seed names
# them as chinesecalendar does: 清明, 端午, 中秋; an imported notice may say 清明节).
_HOLIDAYS = (
    (("春节",), gettext_lazy("春节")),
    (("元旦",), gettext_lazy("元旦")),
    (("国庆",), gettext_lazy("国庆节")),
    (("清明",), gettext_lazy("清明节")),
    (("劳动", "五一"), gettext_lazy("劳动节")),
    (("端午",), gettext_lazy("端午节")),
    (("中秋",), gettext_lazy("中秋节")),
)
_HOLIDAY = r"(?:(?P<year>[0-9]{4})年)?(?P<holiday>春节|元旦|国庆节?|清明节?|五一劳动节|五一|劳动节|端午节?|中秋节?)(?:假期|长假|放假)?"
_HOLIDAY_BEFORE = re.compile(rf"^{_HOLIDAY}(?:前|以前|之前)$")
_HOLIDAY_AFTER = re.compile(rf"^{_HOLIDAY}(?:结束)?(?:后|之后|以后|过后){_COUNT}$")
# "1月10日（星期五）下午4:00前": the date, then a weekday and a time of day, each optional.
_WEEKDAY = r"(?:星期|周|礼拜)[一二三四五六日天七1-7]"
_ANNOTATED = re.compile(
    rf"^(?P<date>.*?[日号])(?:\((?P<weekday_bracketed>{_WEEKDAY})\)|(?P<weekday>{_WEEKDAY}))?"
    rf"(?P<time>(?P<daypart>上午|下午|中午|晚上|晚间|晚|早上|早晨|凌晨|傍晚)?(?P<hour>{_NUM})"
    rf"(?::(?P<minute>[0-9]{{1,2}})|[时点](?:(?P<minute_cn>{_NUM})分?|(?P<half>半))?))?"
    r"(?P<before>前|以前|之前)?$"
)
_WEEKDAY_NUMBERS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "七": 6,
                    "1": 0, "2": 1, "3": 2, "4": 3, "5": 4, "6": 5, "7": 6}
WEEKDAY_NAMES = (gettext_lazy("星期一"), gettext_lazy("星期二"), gettext_lazy("星期三"), gettext_lazy("星期四"),
                 gettext_lazy("星期五"), gettext_lazy("星期六"), gettext_lazy("星期日"))
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
    """The phrase without spaces (any: "2014 年2 月12 日前"), in half-width characters, without the
    "于"/"在" before it nor the "报送"/"上报" after it ("会后一周内报送")."""
    text = re.sub(r"[\s\u200b-\u200d\ufeff]+", "", unicodedata.normalize("NFKC", (value or "").strip()))
    text = re.sub(r"(?:报送|上报|报出|报)$", "", text)
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
    if match.group("notice"):
        event = DueEvent.RECEIVED
    else:
        event = (DueEvent.DEMOCRATIC_LIFE_MEETING if "民主生活会" in meeting
                 else DueEvent.SUMMARY_MEETING if meeting.startswith("总结") else "")
    days = _count_days(match)
    if not 1 <= days <= MAX_DAYS_AFTER_EVENT:
        if event == DueEvent.RECEIVED:
            raise DeadlineError(_("收到通知后的期限须在1至%(max)s日之间，“%(text)s”不在此范围。") % {
                "max": MAX_DAYS_AFTER_EVENT, "text": value.strip()})
        raise DeadlineError(
            _("会后期限须在1至%(max)s日之间，“%(text)s”不在此范围。") % {"max": MAX_DAYS_AFTER_EVENT, "text": value.strip()}
        )
    return EventDeadline(value.strip(), str(event), days, workdays="工作日" in unit)


def _count_days(match):
    """The days of "…后N个工作日内" / "…后一周内" (a week is 7 days)."""
    count = _chinese_number(match.group("count"))
    return count * 7 if match.group("unit") in _WEEK_UNITS else count


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
    if text.startswith("本月"):
        # "本月底", "本月20日前": the directive's month.
        text = f"{reference_date.year}年{reference_date.month}月{text.removeprefix('本月')}"
    for pattern, after in ((_HOLIDAY_BEFORE, False), (_HOLIDAY_AFTER, True)):
        holiday = pattern.match(text)
        if holiday:
            return _holiday_deadline(holiday, original, reference_date, after)
    annotated = _ANNOTATED.match(text)
    if annotated and (annotated.group("time") or annotated.group("weekday") or annotated.group("weekday_bracketed")):
        return _annotated_deadline(annotated, original, reference_date, inclusive)
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


def _holiday_deadline(match, original, reference_date, after):
    """"春节前": the end of the last working day before the first day off of the first Spring
    Festival break starting after the directive's date; "国庆节后一周内": 7 days after the last day
    off of the first National Day break not over by then; "春节后3个工作日内": the third working day
    after it (the day work resumes is the first). A year given ("2015年春节前") picks that year's."""
    name = match.group("holiday")
    stems, label = next(holiday for holiday in _HOLIDAYS if any(stem in name for stem in holiday[0]))
    year = match.group("year")
    # A break named in the next year may start before the directive (元旦 2024 from 30 December 2023):
    # then the one after it, two years on.
    years = [int(year)] if year else [reference_date.year + offset for offset in range(3)]
    chosen = None
    for candidate in years:
        breaks = workdays.holiday_breaks(candidate, stems)
        if not breaks:
            break
        chosen = next((pair for pair in breaks
                       if year or (pair[1] >= reference_date if after else pair[0] > reference_date)), None)
        if chosen:
            break
    if chosen is None:
        raise DeadlineError(_(
            "%(year)s年工作日历中没有%(holiday)s的放假安排，无法确定“%(text)s”的日期。"
            "请先导入%(year)s年工作日历（国务院办公厅关于部分节假日安排的通知）。"
        ) % {"year": candidate, "holiday": label, "text": original})
    first_off, last_off = chosen
    if not after:
        return Deadline(original, workdays.last_workday_before(first_off), Precision.DAY)
    days = _count_days(match)
    if not 1 <= days <= MAX_DAYS_AFTER_EVENT:
        raise DeadlineError(_("节后期限须在1至%(max)s日之间，“%(text)s”不在此范围。") % {
            "max": MAX_DAYS_AFTER_EVENT, "text": original})
    if "工作日" in match.group("unit"):
        return Deadline(original, workdays.add_workdays(last_off, days), Precision.DAY)
    return Deadline(original, last_off + dt.timedelta(days=days), Precision.DAY)


def _time_of_day(match):
    """"下午4:00" → 16:00, "16时" → 16:00, "上午10点半" → 10:30; "24时" is the end of the day."""
    hour = _chinese_number(match.group("hour"))
    minute_text = match.group("minute") or match.group("minute_cn")
    minute = _chinese_number(minute_text) if minute_text else 30 if match.group("half") else 0
    daypart = match.group("daypart") or ""
    if daypart in ("下午", "晚上", "晚间", "晚", "傍晚") and 1 <= hour < 12:
        hour += 12
    elif daypart == "中午" and 1 <= hour <= 3:
        hour += 12
    morning = daypart in ("上午", "早上", "早晨", "凌晨")
    if minute > 59 or hour > 24 or (hour == 24 and minute) or (morning and hour > 12):
        raise DeadlineError(_("时间“%(text)s”不存在。") % {"text": match.group("time")})
    if hour == 24:
        return END_OF_DAY
    return dt.time(hour, minute)


def _annotated_deadline(match, original, reference_date, inclusive):
    """A date with a weekday ("1月10日（星期五）前") and/or a time of day ("24日下午4:00前")."""
    day = _resolve(match.group("date") + (match.group("before") or ""), reference_date, inclusive)
    if day.precision != Precision.DAY:
        raise DeadlineError(_("无法识别期限“%(text)s”：星期和时间只能写在具体日期之后。") % {"text": original})
    warnings = []
    written = match.group("weekday") or match.group("weekday_bracketed")
    if written and _WEEKDAY_NUMBERS[written[-1]] != day.due_on.weekday():
        warnings.append(_("原文写“%(written)s”，但%(day)s是%(weekday)s，请核对。") % {
            "written": written, "day": format_day(day.due_on), "weekday": WEEKDAY_NAMES[day.due_on.weekday()]})
    time = _time_of_day(match) if match.group("time") else None
    return Deadline(original, day.due_on, Precision.DAY, inclusive, time=time, warnings=tuple(warnings))
