"""The deadline resolver, given anything at all, returns a sensible deadline or says why not."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from campaign.deadlines import DeadlineError, resolve_deadline
from core.dates import EARLIEST, YEARS_AHEAD

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
