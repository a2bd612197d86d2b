import datetime as dt

import pytest

from campaign.deadlines import DeadlineError, Precision, resolve_deadline

ZJ_48_SIGNED = dt.date(2013, 12, 24)  # 浙群组发〔2013〕48号
CENTRAL_29_SIGNED = dt.date(2013, 12, 19)  # 群组发〔2013〕29号
ZJ_2015_2_SIGNED = dt.date(2015, 1, 15)  # 浙整改办发〔2015〕2号


@pytest.mark.parametrize(
    "phrase,reference,due_on,precision",
    [
        # 000: 初步的书面总结在2014年1月10日前报省委教育实践活动领导小组办公室
        ("2014年1月10日前", ZJ_48_SIGNED, dt.date(2014, 1, 10), Precision.DAY),
        # 000 (29号): 请于12月底 … 报第一批教育实践活动的初步总结
        ("12月底", CENTRAL_29_SIGNED, dt.date(2013, 12, 31), Precision.MONTH),
        # 000 (29号): 请于2014年1月中旬 … 报总结报告
        ("2014年1月中旬", CENTRAL_29_SIGNED, dt.date(2014, 1, 20), Precision.TEN_DAYS),
        ("1月中旬", CENTRAL_29_SIGNED, dt.date(2014, 1, 20), Precision.TEN_DAYS),
        # 004: 于2月底前报省委整改办
        ("2月底前", ZJ_2015_2_SIGNED, dt.date(2015, 2, 28), Precision.MONTH),
        # 000: 将于2013年底基本结束; 中央将在2014年1月份召开会议; 17号: 2014年元月份
        ("2013年底", ZJ_48_SIGNED, dt.date(2013, 12, 31), Precision.MONTH),
        ("2014年1月份", ZJ_48_SIGNED, dt.date(2014, 1, 31), Precision.MONTH),
        ("2014年元月份", ZJ_48_SIGNED, dt.date(2014, 1, 31), Precision.MONTH),
        # 003: 2014年9月基本完成
        ("2014年9月", dt.date(2014, 1, 23), dt.date(2014, 9, 30), Precision.MONTH),
        ("1月上旬", ZJ_48_SIGNED, dt.date(2014, 1, 10), Precision.TEN_DAYS),
        ("2月下旬", ZJ_48_SIGNED, dt.date(2014, 2, 28), Precision.TEN_DAYS),
        ("2月末", ZJ_2015_2_SIGNED, dt.date(2015, 2, 28), Precision.MONTH),
        ("2016年2月底", ZJ_2015_2_SIGNED, dt.date(2016, 2, 29), Precision.MONTH),
        ("年底", ZJ_2015_2_SIGNED, dt.date(2015, 12, 31), Precision.MONTH),
        ("十二月底", CENTRAL_29_SIGNED, dt.date(2013, 12, 31), Precision.MONTH),
        ("上旬", ZJ_48_SIGNED, dt.date(2014, 1, 10), Precision.TEN_DAYS),
        ("下旬", ZJ_48_SIGNED, dt.date(2013, 12, 31), Precision.TEN_DAYS),
        ("月底", ZJ_48_SIGNED, dt.date(2013, 12, 31), Precision.MONTH),
        ("2014-01-10", ZJ_48_SIGNED, dt.date(2014, 1, 10), Precision.DAY),
        (dt.date(2014, 1, 10), ZJ_48_SIGNED, dt.date(2014, 1, 10), Precision.DAY),
    ],
)
def test_deadline_phrases_resolve_to_the_last_day_of_their_period(phrase, reference, due_on, precision):
    deadline = resolve_deadline(phrase, reference)
    assert deadline.due_on == due_on
    assert deadline.precision == precision


def test_day_deadline_is_due_at_the_end_of_that_day_in_shanghai():
    deadline = resolve_deadline("2014年1月10日前", ZJ_48_SIGNED)
    assert deadline.text == "2014年1月10日前"
    assert deadline.due_at.isoformat() == "2014-01-10T23:59:59+08:00"
    assert deadline.due_at.astimezone(dt.UTC).isoformat() == "2014-01-10T15:59:59+00:00"


def test_exclusive_setting_moves_the_due_moment_to_the_day_before():
    deadline = resolve_deadline("2014年1月10日前", ZJ_48_SIGNED, inclusive=False)
    assert deadline.due_at.isoformat() == "2014-01-09T23:59:59+08:00"


def test_month_earlier_than_the_directive_month_is_next_year():
    assert resolve_deadline("1月10日前", ZJ_48_SIGNED).due_on == dt.date(2014, 1, 10)
    assert resolve_deadline("12月20日前", ZJ_48_SIGNED).due_on == dt.date(2013, 12, 20)


@pytest.mark.parametrize(
    "bad,fragment",
    [("", "请填写"), ("尽快", "无法识别"), ("2014年2月30日前", "没有30日"), ("13月底", "不存在"), ("2014-02-30", "不存在")],
)
def test_unreadable_deadlines_are_rejected_with_a_reason(bad, fragment):
    with pytest.raises(DeadlineError) as excinfo:
        resolve_deadline(bad, ZJ_48_SIGNED)
    assert fragment in str(excinfo.value)
