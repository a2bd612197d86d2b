"""Phrases office clerks copy from directives (issue 13): 本月底, 春节前, 国庆节后一周内, a weekday
beside the date, a time of day, 收到通知后10个工作日内. Each resolves to the exact moment, Asia/Shanghai,
on the work calendar (core.workdays): 2014 as the State Council's notice set it (seeded from
chinesecalendar), 2027 as an office imported it (names as the notice writes them: 清明节, 端午节)."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from audit.models import AuditEntry
from campaign import actions
from campaign.deadlines import SHANGHAI, DeadlineError, DueEvent, EventDeadline, read_deadline, resolve_deadline
from campaign.models import Obligation, Requirement
from core import clock
from core.models import CalendarDay, CalendarYear
from core.workdays import is_workday
from tests.conftest import make_unit
from units.models import Level, UnitType

pytestmark = pytest.mark.django_db

ZJ_48_SIGNED = dt.date(2013, 12, 24)  # 浙群组发〔2013〕48号


def shanghai(*args):
    return dt.datetime(*args, tzinfo=SHANGHAI)


def end_of(year, month, day):
    return shanghai(year, month, day, 23, 59, 59)


@pytest.fixture
def calendar_2014():
    """The 2014 holidays (国办发明电〔2013〕28号) as the calendar holds them; a test that relies on
    them fails here, not in arithmetic, if the seed ever changed."""
    assert CalendarYear.objects.filter(year=2014).exists()
    assert not is_workday(dt.date(2014, 1, 31)) and is_workday(dt.date(2014, 1, 26))  # 春节, a worked Sunday
    assert not is_workday(dt.date(2014, 10, 7)) and is_workday(dt.date(2014, 10, 11))  # 国庆节, a worked Saturday


@pytest.fixture
def calendar_2027():
    """A 2027 notice as an office imports it (core.calendar_import): names as the notice writes them."""
    CalendarYear.objects.create(year=2027, source="导入：2027年节假日安排.csv")
    days = {
        dt.date(2027, 1, 1): ("holiday", "元旦"),
        **{dt.date(2027, 2, d): ("holiday", "春节") for d in (8, 9, 10, 11, 12)},
        dt.date(2027, 2, 20): ("workday", "春节"),
        dt.date(2027, 4, 5): ("holiday", "清明节"),
        dt.date(2027, 5, 3): ("holiday", "劳动节"),
        dt.date(2027, 5, 4): ("holiday", "劳动节"),
        dt.date(2027, 5, 5): ("holiday", "劳动节"),
        dt.date(2027, 6, 9): ("holiday", "端午节"),
    }
    CalendarDay.objects.bulk_create(CalendarDay(date=day, kind=kind, name=name) for day, (kind, name) in days.items())
    from core import workdays  # imported here: bulk_create sends no signal, so the test says the table changed

    workdays.table_changed()


@pytest.mark.parametrize("phrase,reference,due_at", [
    # 1. 本月底 / 本月末: the directive's month.
    ("本月底", ZJ_48_SIGNED, end_of(2013, 12, 31)),
    ("本月末", dt.date(2014, 2, 10), end_of(2014, 2, 28)),
    ("本月20日前", dt.date(2014, 2, 10), end_of(2014, 2, 20)),
    # 2. Before a holiday: the end of the last working day before its first day off.
    ("春节前", ZJ_48_SIGNED, end_of(2014, 1, 30)),  # off from Friday 31 January
    ("元旦前", ZJ_48_SIGNED, end_of(2013, 12, 31)),
    ("国庆节前", ZJ_48_SIGNED, end_of(2014, 9, 30)),
    ("国庆前", ZJ_48_SIGNED, end_of(2014, 9, 30)),
    ("清明节前", ZJ_48_SIGNED, end_of(2014, 4, 4)),  # off Saturday 5 to Monday 7 April
    ("劳动节前", ZJ_48_SIGNED, end_of(2014, 4, 30)),
    ("五一前", ZJ_48_SIGNED, end_of(2014, 4, 30)),
    ("端午节前", ZJ_48_SIGNED, end_of(2014, 5, 30)),  # off Saturday 31 May to Monday 2 June
    ("中秋节前", ZJ_48_SIGNED, end_of(2014, 9, 5)),  # off Saturday 6 to Monday 8 September
    ("春节前", dt.date(2014, 3, 1), end_of(2015, 2, 17)),  # this year's is over: next year's (off from 18 February 2015)
    ("2015年国庆节前", ZJ_48_SIGNED, end_of(2015, 9, 30)),
    # 元旦 2024 was off from Saturday 30 December 2023: named in 2024, starting in 2023.
    ("元旦前", dt.date(2023, 12, 29), end_of(2023, 12, 29)),
    ("元旦前", dt.date(2023, 12, 30), end_of(2024, 12, 31)),
    # 3. After a holiday: from its last day off; the day work resumes is working day 1.
    ("国庆节后一周内", ZJ_48_SIGNED, end_of(2014, 10, 14)),  # last day off Tuesday 7 October
    ("春节后一周内", ZJ_48_SIGNED, end_of(2014, 2, 13)),
    ("春节后3个工作日内", ZJ_48_SIGNED, end_of(2014, 2, 10)),  # 7 Feb, Saturday 8 Feb (worked), 10 Feb
    ("春节后1个工作日内", ZJ_48_SIGNED, end_of(2014, 2, 7)),
    ("春节后十日内", ZJ_48_SIGNED, end_of(2014, 2, 16)),
    ("国庆节后一周内", dt.date(2014, 10, 3), end_of(2014, 10, 14)),  # signed during the break: this break
    # 4. A weekday beside the date (right here: no warning).
    ("1月10日（星期五）前", ZJ_48_SIGNED, end_of(2014, 1, 10)),
    ("1月10日(周五)前", ZJ_48_SIGNED, end_of(2014, 1, 10)),
    ("1月10日星期五前", ZJ_48_SIGNED, end_of(2014, 1, 10)),
    ("2014年1月10日（礼拜五）", ZJ_48_SIGNED, end_of(2014, 1, 10)),
    # 5. A time of day: due at that moment.
    ("24日下午4:00前", dt.date(2014, 1, 15), shanghai(2014, 1, 24, 16, 0)),
    ("24日下午4：00前", dt.date(2014, 1, 15), shanghai(2014, 1, 24, 16, 0)),  # a full-width colon
    ("２４日下午４：００前", dt.date(2014, 1, 15), shanghai(2014, 1, 24, 16, 0)),  # full-width digits
    ("1月24日16时前", ZJ_48_SIGNED, shanghai(2014, 1, 24, 16, 0)),
    ("1月24日上午10点前", ZJ_48_SIGNED, shanghai(2014, 1, 24, 10, 0)),
    ("1月10日17:30前", ZJ_48_SIGNED, shanghai(2014, 1, 10, 17, 30)),
    ("1月10日下午五点半前", ZJ_48_SIGNED, shanghai(2014, 1, 10, 17, 30)),
    ("1月10日十六时三十分前", ZJ_48_SIGNED, shanghai(2014, 1, 10, 16, 30)),
    ("1月10日（星期五）下午5点前", ZJ_48_SIGNED, shanghai(2014, 1, 10, 17, 0)),
    ("1月10日24时前", ZJ_48_SIGNED, end_of(2014, 1, 10)),
    # A day without a month: the directive's month unless that day is already past, then the next.
    ("24日前", dt.date(2014, 1, 24), end_of(2014, 1, 24)),
    ("24日前", dt.date(2014, 1, 25), end_of(2014, 2, 24)),
    ("24日下午4:00前", dt.date(2014, 1, 25), shanghai(2014, 2, 24, 16, 0)),
    # Odd spaces, full width, a trailing 报送.
    ("2014 年2 月12 日前", ZJ_48_SIGNED, end_of(2014, 2, 12)),
    ("2014\u3000年\u00a02月12日\u200b前", ZJ_48_SIGNED, end_of(2014, 2, 12)),
    ("２０１４年１月１０日前报送", ZJ_48_SIGNED, end_of(2014, 1, 10)),
    # 2027 as an office imported it: 清明节 (not 清明), 劳动节 off Monday 3 to Wednesday 5 May.
    ("清明节前", dt.date(2027, 3, 1), end_of(2027, 4, 2)),  # off Saturday 3 to Monday 5 April
    ("五一前", dt.date(2027, 3, 1), end_of(2027, 4, 30)),
    ("端午节前", dt.date(2027, 3, 1), end_of(2027, 6, 8)),
    ("春节后2个工作日内", dt.date(2027, 1, 20), end_of(2027, 2, 16)),  # off until Sunday 14 Feb: 15, 16
])
def test_each_phrase_resolves_to_its_exact_moment(phrase, reference, due_at, calendar_2014, calendar_2027):
    deadline = read_deadline(phrase, reference)
    assert deadline.due_at == due_at, phrase
    assert deadline.warnings == ()


def test_a_time_of_day_is_the_due_moment_whatever_inclusive_says():
    assert resolve_deadline("1月24日16时前", ZJ_48_SIGNED, inclusive=False).due_at == shanghai(2014, 1, 24, 16, 0)
    assert resolve_deadline("1月24日前", ZJ_48_SIGNED, inclusive=False).due_at == end_of(2014, 1, 23)


def test_a_holiday_phrase_is_the_last_working_day_whatever_inclusive_says(calendar_2014):
    assert resolve_deadline("春节前", ZJ_48_SIGNED, inclusive=False).due_at == end_of(2014, 1, 30)


def test_a_wrong_weekday_is_a_warning_not_a_silent_accept():
    deadline = resolve_deadline("1月10日（星期四）前", ZJ_48_SIGNED)
    assert deadline.due_at == end_of(2014, 1, 10)  # the date stands: the office checks it
    assert deadline.warnings == ("原文写“星期四”，但2014年1月10日是星期五，请核对。",)
    assert resolve_deadline("1月10日周一下午4点前", ZJ_48_SIGNED).warnings == ("原文写“周一”，但2014年1月10日是星期五，请核对。",)


def test_a_holiday_the_calendar_lacks_asks_for_the_calendar(calendar_2014):
    with pytest.raises(DeadlineError) as missing:
        resolve_deadline("元旦前", dt.date(2026, 12, 10))  # 2027 has not been entered
    assert "2027年工作日历中没有元旦的放假安排" in str(missing.value) and "请先导入2027年工作日历" in str(missing.value)
    with pytest.raises(DeadlineError) as missing:
        resolve_deadline("国庆节后一周内", dt.date(2030, 1, 1))
    assert "2030年工作日历中没有国庆节的放假安排" in str(missing.value)


def test_a_holiday_named_otherwise_in_an_imported_year_is_still_found(calendar_2027):
    with pytest.raises(DeadlineError) as missing:
        resolve_deadline("国庆节前", dt.date(2027, 3, 1))  # the 2027 notice above has no 国庆节
    assert "2027年工作日历中没有国庆节的放假安排" in str(missing.value)


@pytest.mark.parametrize("bad", ["1月10日下午25点前", "1月10日上午16点前", "1月10日17:75前", "1月中旬下午4点前",
                                 "春节后0日内", "2014年2月30日（星期五）前"])
def test_impossible_times_and_counts_are_refused_with_a_reason(bad, calendar_2014):
    with pytest.raises(DeadlineError) as refused:
        resolve_deadline(bad, ZJ_48_SIGNED)
    assert str(refused.value).strip()


@pytest.mark.parametrize("phrase,days,workdays", [
    ("收到通知后10个工作日内", 10, True), ("接到通知后5日内", 5, False), ("收到本通知后一周内", 7, False),
    ("收到通知后 十 个工作日内", 10, True),
])
def test_received_phrases_count_from_the_notice(phrase, days, workdays):
    deadline = read_deadline(phrase, ZJ_48_SIGNED)
    assert isinstance(deadline, EventDeadline)
    assert (deadline.event, deadline.days, deadline.workdays) == (DueEvent.RECEIVED, days, workdays)
    assert deadline.due_at is None


def test_after_the_meeting_within_a_week_reads_as_a_meeting_deadline(world, client):
    """Issue 13 reported 会后一周内 as 无法识别期限: it reads, in the resolver, the form and the preview."""
    deadline = read_deadline("会后一周内", ZJ_48_SIGNED)
    assert (deadline.event, deadline.days) == ("", 7)
    assert read_deadline("会后一周内报送", ZJ_48_SIGNED).days == 7
    client.force_login(world.office_province)
    preview = client.get(reverse("campaign:deadline_preview", args=[world.zj_48.pk]),
                         {"deadline": "会后一周内", "due_event": "summary"}).content.decode()
    assert "待定（总结会议召开后7日内）" in preview and "无法识别" not in preview
    response = client.post(reverse("campaign:requirement_create", args=[world.zj_48.pk]), {
        "title": "正式书面总结", "phase": world.phase_summary.pk, "target_batch": world.batch1.pk, "deadline": "会后一周内",
        "due_event": "summary", "deadline_inclusive": "on", "route": "office", "review_required": "on"})
    assert response.status_code == 302
    requirement = Requirement.objects.get(title="正式书面总结")
    assert (requirement.due_event, requirement.due_days, requirement.due_at) == ("summary", 7, None)


def formal_report(world, deadline_text, **fields):
    requirement = Requirement(
        directive=world.zj_48, title="整改报告", phase=world.phase_summary, scope_unit=world.province,
        submit_to=world.province, target_batch=world.batch1, deadline_text=deadline_text, route="office", **fields,
    )
    requirement, _added, _removed = actions.save_requirement(requirement, actor=world.office_province)
    return requirement


def test_fan_out_counts_ten_working_days_from_the_day_each_unit_receives_the_notice(world, calendar_2014):
    # Issued on Friday 24 January 2014: Sunday 26 (worked) is day 1, 27–30 days 2–5, 31 Jan – 6 Feb off,
    # 7 Feb day 6, Saturday 8 Feb (worked) day 7, 10–12 Feb days 8–10.
    with clock.frozen_at(shanghai(2014, 1, 24, 10)):
        requirement = formal_report(world, "收到通知后10个工作日内")
    assert (requirement.due_at, requirement.due_event, requirement.due_days, requirement.due_workdays) == (
        None, DueEvent.RECEIVED, 10, True)
    dues = dict(requirement.obligations.values_list("unit__code", "due_at"))
    assert dues == {code: end_of(2014, 2, 12) for code in ("330000", "330000-01", "330000-02")}

    # A unit that joins the batch later receives the notice then: Friday 7 February, so Saturday 8 (worked),
    # 10–14, 17–20 February: the tenth working day is Thursday 20 February.
    with clock.frozen_at(shanghai(2014, 2, 7, 9)):
        later = make_unit(code="330000-03", name="省财政厅", parent=world.province, level=Level.PROVINCE,
                          unit_type=UnitType.ORGAN, batch=world.batch1)
    assert requirement.obligations.get(unit=later).due_at == end_of(2014, 2, 20)

    # The office changes the rule: each unit's moment moves, still counted from the day it received the notice.
    with clock.frozen_at(shanghai(2014, 2, 10, 9)):
        requirement.deadline_text = "收到通知后一周内"
        actions.save_requirement(requirement, actor=world.office_province)
    assert requirement.obligations.get(unit=world.organ).due_at == end_of(2014, 1, 31)
    assert requirement.obligations.get(unit=later).due_at == end_of(2014, 2, 14)
    moved = AuditEntry.objects.for_object(requirement.obligations.get(unit=world.organ)).get(action="due_moved")
    assert moved.changes["due_at"]["after"].startswith("2014-01-31")


def test_calendar_days_from_the_notice(world):
    with clock.frozen_at(shanghai(2014, 1, 24, 10)):
        requirement = formal_report(world, "接到通知后5日内")
    assert set(requirement.obligations.values_list("due_at", flat=True)) == {end_of(2014, 1, 29)}


def test_received_deadline_pages_read_the_rule(world, client):
    with clock.frozen_at(shanghai(2014, 1, 24, 10)):
        requirement = formal_report(world, "收到通知后10个工作日内")
    client.force_login(world.office_province)
    page = client.get(requirement.get_absolute_url()).content.decode()
    assert "收到通知后10个工作日内" in page and "待定（收到通知" not in page
    obligation = requirement.obligations.get(unit=world.organ)
    client.force_login(world.liaison_organ)
    assert "2014年2月12日" in client.get(obligation.get_absolute_url()).content.decode()


def test_the_form_saves_a_received_deadline_and_the_preview_says_how_it_counts(world, client, calendar_2014):
    client.force_login(world.office_province)
    url = reverse("campaign:requirement_create", args=[world.zj_48.pk])
    data = {"title": "整改报告", "phase": world.phase_summary.pk, "target_batch": world.batch1.pk,
            "deadline_inclusive": "on", "route": "office", "review_required": "on"}
    preview = reverse("campaign:deadline_preview", args=[world.zj_48.pk])
    with clock.frozen_at(shanghai(2014, 1, 24, 10)):
        shown = client.get(preview, {"deadline": "收到通知后10个工作日内"}).content.decode()
        assert "收到通知后10个工作日内" in shown and "2014年2月12日" in shown and "请选择" not in shown
        page = client.post(url, {**data, "deadline": "会后15日内", "due_event": "received"}).content.decode()
        assert "是从会议召开起算的" in page
        page = client.post(url, {**data, "deadline": "收到通知后10个工作日内", "due_event": "summary"}).content.decode()
        assert "与所选会议不一致" in page
        assert client.post(url, {**data, "deadline": "收到通知后10个工作日内"}).status_code == 302
    requirement = Requirement.objects.get(title="整改报告")
    assert (requirement.due_event, requirement.due_days, requirement.due_workdays, requirement.due_at) == (
        "received", 10, True, None)
    assert set(requirement.obligations.values_list("due_at", flat=True)) == {end_of(2014, 2, 12)}


def test_the_office_sees_a_wrong_weekday_on_the_preview_and_after_saving(world, client):
    client.force_login(world.office_province)
    warning = "原文写“星期四”，但2014年1月10日是星期五，请核对。"
    shown = client.get(reverse("campaign:deadline_preview", args=[world.zj_48.pk]),
                       {"deadline": "1月10日（星期四）前", "deadline_inclusive": "on"}).content.decode()
    assert warning in shown and "2014年1月10日" in shown
    response = client.post(reverse("campaign:requirement_create", args=[world.zj_48.pk]), {
        "title": "初步总结（补）", "phase": world.phase_summary.pk, "target_batch": world.batch1.pk,
        "deadline": "1月10日（星期四）前", "deadline_inclusive": "on", "route": "office", "review_required": "on"})
    assert response.status_code == 302
    assert warning in [str(message) for message in get_messages(response.wsgi_request)]
    requirement = Requirement.objects.get(title="初步总结（补）")
    assert requirement.due_at == end_of(2014, 1, 10)
    assert warning in client.get(requirement.get_absolute_url()).content.decode()  # still said on its page
    client.force_login(world.liaison_organ)
    page = client.get(requirement.get_absolute_url())
    assert page.status_code == 200 and warning not in page.content.decode()  # the office's to correct


def test_a_time_of_day_reaches_every_obligation(world):
    requirement = formal_report(world, "1月24日下午4:00前")
    assert requirement.due_at == shanghai(2014, 1, 24, 16, 0)
    assert set(Obligation.objects.filter(requirement=requirement).values_list("due_at", flat=True)) == {
        shanghai(2014, 1, 24, 16, 0)}
