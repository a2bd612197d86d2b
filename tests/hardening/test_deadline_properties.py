"""The deadline resolver, given anything at all, returns a sensible deadline or says why not."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from campaign.deadlines import (
    MAX_DAYS_AFTER_EVENT,
    DeadlineError,
    DueEvent,
    EventDeadline,
    read_deadline,
    read_event_deadline,
    resolve_deadline,
)
from core.dates import EARLIEST, YEARS_AHEAD

# Holiday phrases ("春节前") read the work calendar: every test may touch it.
pytestmark = pytest.mark.django_db

DIGITS = "0123456789〇零一二两三四五六七八九十元"
PIECES = ["年", "月", "日", "号", "份", "上旬", "中旬", "下旬", "月底", "月末", "底", "末", "年底", "前", "以前", "之前",
          "于", "-", "/", "."]
phrases = st.lists(st.one_of(st.text(alphabet=DIGITS, min_size=1, max_size=6), st.sampled_from(PIECES)), max_size=8).map("".join)
references = st.dates(min_value=dt.date(1949, 1, 1), max_value=dt.date(2100, 12, 31))


def assert_sensible(text, reference, inclusive):
    try:
        deadline = resolve_deadline(text, reference, inclusive=inclusive)
    except DeadlineError as exc:
        assert str(exc).strip()
        return
    assert EARLIEST <= deadline.due_on <= dt.date(reference.year + YEARS_AHEAD, 12, 31)
    assert deadline.due_at.tzinfo is not None


@settings(max_examples=400, deadline=None)
@given(text=phrases, reference=references, inclusive=st.booleans())
def test_deadline_phrases(text, reference, inclusive):
    assert_sensible(text, reference, inclusive)


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=40), reference=references, inclusive=st.booleans())
def test_any_text(text, reference, inclusive):
    assert_sensible(text, reference, inclusive)


@settings(max_examples=200, deadline=None)
@given(day=st.dates(), reference=references, inclusive=st.booleans())
def test_any_date(day, reference, inclusive):
    assert_sensible(day, reference, inclusive)
    assert_sensible(day.isoformat(), reference, inclusive)


def test_the_reported_cases():
    reference = dt.date(2013, 12, 24)
    for text in ("0001-01-01", "10000年1月1日前", "99999年1月1日", "0年1月1日", "9999-12-31", "14年1月10日前"):
        try:
            resolve_deadline(text, reference)
        except DeadlineError as exc:
            assert "年" in str(exc)
        else:
            raise AssertionError(text)
    assert resolve_deadline("2014年1月10日前", reference).due_on == dt.date(2014, 1, 10)
    assert resolve_deadline("二〇一四年一月十日前", reference).due_on == dt.date(2014, 1, 10)


# Deadlines counting from a meeting (DESIGN rule 13): "会后一周内", "总结会议召开后15日内".
EVENT_PIECES = ["会", "会议", "总结会", "总结会议", "专题民主生活会", "民主生活会", "召开", "结束", "之", "后", "个工作日",
                "工作日", "日", "天", "周", "个星期", "内", "以内", "之内", "前"]
event_phrases = st.lists(
    st.one_of(st.text(alphabet=DIGITS, min_size=1, max_size=4), st.sampled_from(EVENT_PIECES)), max_size=8
).map("".join)


def assert_sensible_either(text, reference):
    try:
        deadline = read_deadline(text, reference)
    except DeadlineError as exc:
        assert str(exc).strip()
        return
    if isinstance(deadline, EventDeadline):
        assert 1 <= deadline.days <= MAX_DAYS_AFTER_EVENT and deadline.due_at is None
        assert deadline.event in ("", *DueEvent.values) and deadline.rule("summary").startswith("总结会议召开后")
        held = dt.date(2014, 1, 27)
        assert deadline.due_on(held) > held and deadline.due_at_after(held).tzinfo is not None
    else:
        assert EARLIEST <= deadline.due_on <= dt.date(reference.year + YEARS_AHEAD, 12, 31)
        assert deadline.due_at.tzinfo is not None and deadline.due_at.date() in (deadline.due_on, deadline.due_on - dt.timedelta(days=1))
        assert all(isinstance(warning, str) and warning.strip() for warning in deadline.warnings)


@settings(max_examples=400, deadline=None)
@given(text=event_phrases, reference=references)
def test_event_phrases(text, reference):
    assert_sensible_either(text, reference)


@settings(max_examples=200, deadline=None)
@given(text=st.one_of(phrases, st.text(max_size=40)), reference=references)
def test_read_deadline_reads_anything(text, reference):
    assert_sensible_either(text, reference)


def test_the_event_phrases_offices_write():
    reference = dt.date(2013, 12, 24)
    cases = {
        "会后15日内": ("", 15, False),
        "会后一周内": ("", 7, False),
        "会后两周内": ("", 14, False),
        "会议召开后5个工作日内": ("", 5, True),
        "会议结束后十日内": ("", 10, False),
        "总结会议召开后15日内": ("summary", 15, False),
        "总结会后 十五 天内": ("summary", 15, False),
        "专题民主生活会召开后7日内": ("democratic_life", 7, False),
        "民主生活会后3个工作日以内": ("democratic_life", 3, True),
    }
    for text, (event, days, workdays) in cases.items():
        deadline = read_deadline(text, reference)
        assert (deadline.event, deadline.days, deadline.workdays) == (event, days, workdays), text
    assert read_event_deadline("2014年1月10日前") is None and read_event_deadline("15日内") is None
    assert read_deadline("2014年1月10日前", reference).due_on == dt.date(2014, 1, 10)
    for text in ("会后0日内", "会后400日内", "会后六十周内"):
        try:
            read_deadline(text, reference)
        except DeadlineError as exc:
            assert "1至366日" in str(exc)
        else:
            raise AssertionError(text)
    assert read_deadline("会后15日内", reference).due_at_after(dt.date(2014, 1, 27)).isoformat() == "2014-02-11T23:59:59+08:00"
    assert read_deadline("总结会议召开后15日内", reference).rule() == "总结会议召开后15日内"


# The phrases of issue 13: 本月底, 春节前, 国庆节后一周内, a weekday beside the date, a time of day,
# 收到通知后10个工作日内, in any combination, full width or not, with spaces.
PHRASE_PIECES = ["本月", "底", "末", "春节", "元旦", "国庆", "国庆节", "清明节", "劳动节", "五一", "端午节", "中秋节", "前", "后",
                 "之后", "个工作日", "工作日", "周", "日", "号", "天", "内", "以内", "月", "年", "（", "）", "(", ")", "星期",
                 "礼拜", "上午", "下午", "中午", "晚上", "凌晨", "时", "点", "分", "半", ":", "：", "收到", "接到", "本",
                 "通知", "文件", "报送", " ", "\u3000", "１", "０"]
new_phrases = st.lists(
    st.one_of(st.text(alphabet=DIGITS, min_size=1, max_size=4), st.sampled_from(PHRASE_PIECES)), max_size=9
).map("".join)
# Mostly years the calendar covers (2004-2026), some it does not.
calendar_references = st.one_of(st.dates(min_value=dt.date(2004, 1, 1), max_value=dt.date(2026, 12, 31)), references)


@settings(max_examples=500, deadline=None)
@given(text=new_phrases, reference=calendar_references)
def test_the_phrases_of_issue_13(text, reference):
    assert_sensible_either(text, reference)


def test_the_phrases_of_issue_13_read():
    reference = dt.date(2013, 12, 24)
    assert read_deadline("春节前", reference).due_on == dt.date(2014, 1, 30)
    assert read_deadline("国庆节后一周内", reference).due_on == dt.date(2014, 10, 14)
    assert read_deadline("本月底", reference).due_on == dt.date(2013, 12, 31)
    assert read_deadline("1月10日（星期四）前", reference).warnings
    assert read_deadline("1月24日下午4:00前", reference).due_at.isoformat() == "2014-01-24T16:00:00+08:00"
    assert read_deadline("收到通知后10个工作日内", reference).event == DueEvent.RECEIVED
