"""Deadlines counting from a unit's meeting (DESIGN rule 13; 000: 总结会议应安排在中央和省委会议之后，
然后报正式书面总结): the formal written summary is due 15 days after the unit's summary meeting.
Until the meeting is recorded as held the due moment is 待定, never overdue, never reminded."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from openpyxl import load_workbook

from access.transitions import TransitionRefused
from audit.models import AuditEntry
from campaign import actions
from campaign.deadlines import SHANGHAI, DueEvent
from campaign.export import write_obligations
from campaign.models import Meeting, Obligation, Requirement
from core import clock
from notifications.models import Reminder
from notifications.sweep import run_sweep

PENDING = "待定（总结会议召开后15日内）"


def shanghai(*args):
    return dt.datetime(*args, tzinfo=SHANGHAI)


def formal_summary(world, deadline_text="总结会议召开后15日内", **fields):
    requirement = Requirement(
        directive=world.zj_48, title="正式书面总结", phase=world.phase_summary, scope_unit=world.province,
        submit_to=world.province, target_batch=world.batch1, deadline_text=deadline_text, route="office", **fields,
    )
    requirement, _added, _removed = actions.save_requirement(requirement, actor=world.office_province)
    return requirement


def upper_meetings_held(world):
    """Rule 6: the central and provincial summary meetings come first."""
    for unit, day in ((world.central, dt.date(2014, 1, 20)), (world.province, dt.date(2014, 1, 24))):
        Meeting.objects.create(planned_on=day, unit=unit, kind=Meeting.Kind.SUMMARY, status=Meeting.Status.HELD, held_on=day)


def hold_summary_meeting(world, unit, day, actor):
    meeting = Meeting.objects.create(planned_on=dt.date(2014, 1, 5), unit=unit, kind=Meeting.Kind.SUMMARY)
    with clock.frozen_at(day):
        return actions.record_held(meeting, day, actor=actor)


def status_of(obligation, now):
    return Obligation.objects.with_status(now).get(pk=obligation.pk)


def test_the_obligations_wait_for_the_meeting_and_are_never_overdue_nor_reminded(world, people):
    requirement = formal_summary(world)
    assert (requirement.due_at, requirement.due_event, requirement.due_days) == (None, DueEvent.SUMMARY_MEETING, 15)
    obligation = requirement.obligations.get(unit=world.organ)
    assert obligation.due_at is None
    years_later = shanghai(2016, 1, 1, 9)
    status = status_of(obligation, years_later)
    assert (status.is_overdue, status.is_due_soon, status.light, status.days_late) == (False, False, "on_track", None)
    for day in (shanghai(2014, 2, 4, 9), shanghai(2014, 2, 12, 9), shanghai(2014, 6, 1, 9)):
        run_sweep(day, dispatch=False)
    assert not Reminder.objects.filter(obligation__requirement=requirement).exists()


def test_recording_the_meeting_sets_the_due_moment_audited_and_reminders_follow(world, people):
    requirement = formal_summary(world)
    upper_meetings_held(world)
    hold_summary_meeting(world, world.organ, dt.date(2014, 1, 27), world.liaison_organ)

    mine = requirement.obligations.get(unit=world.organ)
    assert mine.due_at == shanghai(2014, 2, 11, 23, 59, 59)  # 27 January + 15 days, end of day
    entry = AuditEntry.objects.for_object(mine).get(action="due_settled")
    assert entry.actor == world.liaison_organ and entry.changes["due_at"]["before"] is None
    assert requirement.obligations.get(unit=world.organ2).due_at is None  # its meeting is still to come

    assert status_of(mine, shanghai(2014, 2, 12, 9)).is_overdue
    assert status_of(mine, shanghai(2014, 2, 10, 9)).is_due_soon
    run_sweep(shanghai(2014, 2, 4, 9), dispatch=False)  # seven days before 11 February
    assert set(Reminder.objects.filter(obligation__requirement=requirement).values_list("recipient__username", "offset_days")) == {
        ("liaison_fgw", 7)}


def test_a_corrected_meeting_date_moves_the_due_moment(world):
    requirement = formal_summary(world)
    upper_meetings_held(world)
    meeting = hold_summary_meeting(world, world.organ, dt.date(2014, 1, 27), world.liaison_organ)
    with clock.frozen_at(dt.date(2014, 2, 1)):
        with pytest.raises(TransitionRefused):
            actions.correct_held_date(meeting, dt.date(2014, 1, 28), actor=world.liaison_organ, reason=" ")
        with pytest.raises(TransitionRefused):  # rule 6 still holds on the new day
            actions.correct_held_date(meeting, dt.date(2014, 1, 22), actor=world.liaison_organ, reason="笔误")
        actions.correct_held_date(meeting, dt.date(2014, 1, 28), actor=world.office_province, reason="会议记录笔误")
    meeting.refresh_from_db()
    assert meeting.held_on == dt.date(2014, 1, 28)
    assert AuditEntry.objects.for_object(meeting).filter(action="correct_held_on", reason="会议记录笔误").exists()
    mine = requirement.obligations.get(unit=world.organ)
    assert mine.due_at == shanghai(2014, 2, 12, 23, 59, 59)
    assert AuditEntry.objects.for_object(mine).filter(action="due_settled").count() == 2


def test_a_return_that_gave_the_unit_its_own_due_moment_is_kept(world):
    requirement = formal_summary(world)
    upper_meetings_held(world)
    meeting = hold_summary_meeting(world, world.organ, dt.date(2014, 1, 27), world.liaison_organ)
    own = shanghai(2014, 3, 1, 23, 59, 59)
    Obligation.objects.filter(requirement=requirement, unit=world.organ).update(due_at=own)
    with clock.frozen_at(dt.date(2014, 2, 1)):
        actions.correct_held_date(meeting, dt.date(2014, 1, 28), actor=world.office_province, reason="笔误")
    assert requirement.obligations.get(unit=world.organ).due_at == own


def test_a_requirement_set_after_the_meeting_is_due_at_once(world):
    upper_meetings_held(world)
    hold_summary_meeting(world, world.organ, dt.date(2014, 1, 27), world.liaison_organ)
    requirement = formal_summary(world, deadline_text="会后一周内", due_event=DueEvent.SUMMARY_MEETING)
    assert requirement.obligations.get(unit=world.organ).due_at == shanghai(2014, 2, 3, 23, 59, 59)
    assert requirement.obligations.get(unit=world.organ2).due_at is None


def test_working_days_skip_the_weekend(world):
    upper_meetings_held(world)
    requirement = formal_summary(world, deadline_text="会议召开后5个工作日内", due_event=DueEvent.SUMMARY_MEETING)
    assert requirement.due_workdays and requirement.due_days == 5
    hold_summary_meeting(world, world.organ, dt.date(2014, 1, 28), world.liaison_organ)  # a Tuesday
    # Wed 29, Thu 30 Jan are working days; 31 Jan - 6 Feb 2014 was the Spring Festival break where the
    # calendar covers 2014, Monday-Friday otherwise; either way the fifth working day is after 4 February.
    due = requirement.obligations.get(unit=world.organ).due_at.astimezone(SHANGHAI).date()
    assert due > dt.date(2014, 2, 3)


def test_changing_the_requirement_to_a_date_and_back(world):
    requirement = formal_summary(world)
    upper_meetings_held(world)
    hold_summary_meeting(world, world.organ, dt.date(2014, 1, 27), world.liaison_organ)
    requirement.deadline_text = "2014年3月31日前"
    actions.save_requirement(requirement, actor=world.office_province)
    assert set(requirement.obligations.values_list("due_at", flat=True)) == {shanghai(2014, 3, 31, 23, 59, 59)}
    requirement.deadline_text = "总结会议召开后10日内"
    actions.save_requirement(requirement, actor=world.office_province)
    assert requirement.obligations.get(unit=world.organ).due_at == shanghai(2014, 2, 6, 23, 59, 59)
    assert requirement.obligations.get(unit=world.organ2).due_at is None


def test_a_requirement_needs_a_date_or_a_meeting_rule(world):
    requirement = Requirement(
        directive=world.zj_48, title="x", scope_unit=world.province, submit_to=world.province, deadline_text="x",
    )
    with pytest.raises(ValidationError) as refused:
        requirement.validate_constraints()
    assert "报送要求须有截止时间，或写明在哪次会议召开后多少日内报送" in str(refused.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        requirement.save()


def test_pages_and_export_show_the_rule_instead_of_a_date(world, client):
    requirement = formal_summary(world)
    client.force_login(world.office_province)
    for url in (requirement.get_absolute_url(), reverse("campaign:directive", args=[world.zj_48.pk]),
                reverse("campaign:dashboard"), "/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert PENDING in response.content.decode(), url
    client.force_login(world.liaison_organ)
    obligation = requirement.obligations.get(unit=world.organ)
    page = client.get(obligation.get_absolute_url()).content.decode()
    assert PENDING in page and "已逾期" not in page and "还剩" not in page
    assert PENDING in client.get(reverse("campaign:workspace")).content.decode()

    out = io.BytesIO()
    write_obligations(Obligation.objects.filter(requirement=requirement), out)
    out.seek(0)
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert {row[5] for row in rows[1:]} == {PENDING}


def test_the_office_chooses_the_meeting_on_the_form(world, client):
    client.force_login(world.office_province)
    url = reverse("campaign:requirement_create", args=[world.zj_48.pk])
    data = {"title": "正式书面总结", "phase": world.phase_summary.pk, "target_batch": world.batch1.pk,
            "deadline_inclusive": "on", "route": "office", "review_required": "on"}
    page = client.post(url, {**data, "deadline": "会后15日内"}).content.decode()
    assert "未写明是哪次会议，请选择期限所依据的会议" in page
    page = client.post(url, {**data, "deadline": "2014年3月31日前", "due_event": "summary"}).content.decode()
    assert "期限请写成会后的天数" in page
    page = client.post(url, {**data, "deadline": "专题民主生活会后15日内", "due_event": "summary"}).content.decode()
    assert "与所选会议不一致" in page
    assert not Requirement.objects.filter(title="正式书面总结").exists()

    response = client.post(url, {**data, "deadline": "会后15日内", "due_event": "summary"})
    assert response.status_code == 302
    requirement = Requirement.objects.get(title="正式书面总结")
    assert (requirement.due_event, requirement.due_days, requirement.due_at) == ("summary", 15, None)
    assert PENDING in client.get(requirement.get_absolute_url()).content.decode()

    preview = reverse("campaign:deadline_preview", args=[world.zj_48.pk])
    shown = client.get(preview, {"deadline": "会后15日内", "due_event": "summary"}).content.decode()
    assert PENDING in shown and "deadline-pending" in shown
    shown = client.get(preview, {"deadline": "会后15日内"}).content.decode()
    assert "请选择期限所依据的会议" in shown


def test_the_meeting_page_corrects_the_held_date(world, client):
    requirement = formal_summary(world)
    upper_meetings_held(world)
    meeting = hold_summary_meeting(world, world.organ, dt.date(2014, 1, 27), world.liaison_organ)
    url = reverse("campaign:meeting_correct_held", args=[meeting.pk])
    client.force_login(world.liaison_organ)
    assert url in client.get(meeting.get_absolute_url()).content.decode()
    response = client.post(url, {"held_on": "2014-01-29"})
    assert response.status_code == 400 and "请说明更正理由" in response.content.decode()
    response = client.post(url, {"held_on": "2014-01-29", "reason": "会议记录笔误"})
    assert response.status_code == 302
    assert requirement.obligations.get(unit=world.organ).due_at == shanghai(2014, 2, 13, 23, 59, 59)
    client.force_login(world.group_member)
    assert client.post(url, {"held_on": "2014-01-30", "reason": "x"}).status_code == 403
