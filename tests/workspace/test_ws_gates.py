"""Phase gates: the meeting page names exactly which condition is missing (DESIGN rules 6 and 7)."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from campaign import workflow
from campaign.actions import fan_out
from campaign.models import Meeting, Phase, Requirement
from tests.workspace.workspace_helpers import logged_in


def examination_obligation(world):
    requirement = Requirement(
        directive=world.zj_48, title="对照检查材料", phase=Phase.objects.get(code="examination"),
        scope_unit=world.province, submit_to=world.province, target_batch=world.batch1,
        deadline_text="2014年1月10日前", route="supervision",
    )
    requirement.resolve_deadline()
    requirement.due_at = timezone.now() + dt.timedelta(days=365)  # not due yet, whenever the suite runs
    requirement.save()
    fan_out(requirement, actor=None)
    return requirement.obligations.get(unit=world.organ)


def record_held(client, meeting, date):
    return client.post(reverse("campaign:meeting_held", kwargs={"meeting_id": meeting.pk}), {"held_on": date})


def test_democratic_life_meeting_needs_talks_and_approved_materials(world, client):
    client_for = logged_in(client)
    meeting = Meeting.objects.create(unit=world.organ, kind=Meeting.Kind.DEMOCRATIC_LIFE, planned_on=dt.date(2014, 1, 5))
    client = client_for(world.liaison_organ)

    response = record_held(client, meeting, "2014-01-05")
    page = response.content.decode()
    assert response.status_code == 400
    assert "谈心谈话尚未全覆盖" in page and "尚无对照检查材料报送任务" in page
    meeting.refresh_from_db()
    assert meeting.held_on is None

    obligation = examination_obligation(world)
    client.post(reverse("campaign:meeting_prepare", kwargs={"meeting_id": meeting.pk}),
                {"planned_on": "2014-01-05", "talks_logged": "on", "notes": ""})
    meeting.refresh_from_db()
    assert meeting.talks_logged
    workflow.transition(obligation, "submit", world.liaison_organ, text="对照检查材料")
    page = record_held(client, meeting, "2014-01-05").content.decode()
    assert "谈心谈话" not in page.split('id="gate-refusal"')[1].split("</div>")[0]
    assert "对照检查材料“对照检查材料”尚未经督导组审核通过（当前：已报送待审核）" in page

    workflow.transition(obligation, "approve", world.group_leader)
    response = record_held(client, meeting, "2014-01-05")
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.held_on == dt.date(2014, 1, 5)
    assert AuditEntry.objects.for_object(meeting).filter(action="record_held", to_state="held").exists()


def test_summary_meeting_only_after_central_and_provincial_meetings(world, client):
    client_for = logged_in(client)
    meeting = Meeting.objects.create(planned_on=dt.date(2014, 1, 5), unit=world.organ, kind=Meeting.Kind.SUMMARY)
    client = client_for(world.liaison_organ)
    page = client.get(reverse("campaign:meeting", kwargs={"meeting_id": meeting.pk})).content.decode()
    assert "上级“中央”的总结会议尚未召开" in page and "上级“浙江省”的总结会议尚未召开" in page

    Meeting.objects.create(planned_on=dt.date(2014, 1, 5), unit=world.central, kind=Meeting.Kind.SUMMARY, held_on=dt.date(2014, 1, 20))
    page = record_held(client, meeting, "2014-01-25").content.decode()
    assert "上级“中央”" not in page and "上级“浙江省”的总结会议尚未召开" in page

    Meeting.objects.create(planned_on=dt.date(2014, 1, 5), unit=world.province, kind=Meeting.Kind.SUMMARY, held_on=dt.date(2014, 1, 26))
    response = record_held(client, meeting, "2014-01-25")
    assert response.status_code == 400
    assert "上级“浙江省”的总结会议于 2014年1月26日 召开，本单位总结会议须安排在其之后" in response.content.decode()

    assert record_held(client, meeting, "2014-01-27").status_code == 302
    meeting.refresh_from_db()
    assert meeting.held_on == dt.date(2014, 1, 27)


def test_meeting_pages_are_scoped(world, client):
    client_for = logged_in(client)
    meeting = Meeting.objects.create(planned_on=dt.date(2014, 1, 5), unit=world.organ, kind=Meeting.Kind.SUMMARY)
    url = reverse("campaign:meeting", kwargs={"meeting_id": meeting.pk})
    assert client_for(world.liaison_organ2).get(url).status_code == 404
    assert client_for(world.group_member).get(url).status_code == 200
    # The supervision group sees the meeting but does not record it for the unit.
    assert record_held(client_for(world.group_member), meeting, "2014-01-27").status_code == 403


def test_the_unit_registers_its_meetings_from_the_workspace(world, client):
    client_for = logged_in(client)
    url = reverse("campaign:meeting_create", kwargs={"unit_id": world.organ.pk})
    response = client_for(world.liaison_organ).post(url, {"kind": "summary", "phase": world.phase_summary.pk, "planned_on": "2014-01-27"})
    meeting = Meeting.objects.get(unit=world.organ)
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    assert meeting.kind == Meeting.Kind.SUMMARY and meeting.held_on is None
    assert AuditEntry.objects.for_object(meeting).filter(action="create").exists()
    assert client_for(world.group_member).post(url, {"kind": "summary"}).status_code == 403
    assert client_for(world.liaison_organ2).post(url, {"kind": "summary"}).status_code == 404


def test_summary_meeting_only_after_the_batchs_minimum_months(world, client):
    """Rule 8 (003): a unit sums up after at least its batch's minimum months (three) in the campaign."""
    from campaign.actions import enrol
    from core import clock

    enrol([world.organ], campaign=world.campaign, batch=world.batch1, joined_on=dt.date(2014, 1, 10), actor=None)
    for unit, day in ((world.central, dt.date(2014, 1, 20)), (world.province, dt.date(2014, 1, 26))):
        Meeting.objects.create(planned_on=dt.date(2014, 1, 5), unit=unit, kind=Meeting.Kind.SUMMARY, held_on=day)
    meeting = Meeting.objects.create(planned_on=dt.date(2014, 1, 5), unit=world.organ, kind=Meeting.Kind.SUMMARY)
    client = logged_in(client)(world.liaison_organ)
    with clock.frozen_at(dt.date(2014, 5, 1)):
        response = record_held(client, meeting, "2014-03-01")
        assert response.status_code == 400
        assert "本单位2014年1月10日开展活动，按规定每个单位一般不少于3个月，最早可于2014年4月10日召开总结会议" in response.content.decode()
        assert record_held(client, meeting, "2014-04-10").status_code == 302
    meeting.refresh_from_db()
    assert (meeting.status, meeting.held_on) == (Meeting.Status.HELD, dt.date(2014, 4, 10))
