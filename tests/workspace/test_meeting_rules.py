"""A unit's meetings: one of each kind per phase unless an office allows another (002: 回炉), a
planned date given at registration and kept by every save, and the supervision group's
attendance and comments (点评, 003) only once the meeting was held — on the pages, in the
actions, in the admin and in the database."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from audit.models import AuditEntry
from campaign.models import Meeting, Phase
from supervision.models import MeetingAttendance


def create(client, unit, **data):
    return client.post(reverse("campaign:meeting_create", kwargs={"unit_id": unit.pk}), data, follow=True)


def test_one_meeting_of_each_kind_per_unit_and_phase_unless_the_office_allows_another(world, client):
    examination, study = Phase.objects.get(code="examination"), Phase.objects.get(code="study")
    client.force_login(world.liaison_organ)
    dl = {"kind": "democratic_life", "phase": examination.pk, "planned_on": "2014-06-20"}
    create(client, world.organ, **dl)
    response = create(client, world.organ, **{**dl, "planned_on": "2014-06-27"})
    assert "本单位在“查摆问题、开展批评”环节已登记专题民主生活会（计划2014年6月20日）" in response.content.decode()
    assert Meeting.objects.filter(unit=world.organ, kind="democratic_life").count() == 1
    create(client, world.organ, **{**dl, "phase": study.pk})  # another phase
    create(client, world.organ, **{**dl, "kind": "organisational_life"})  # another kind
    assert Meeting.objects.filter(unit=world.organ).count() == 3
    first = Meeting.objects.get(unit=world.organ, kind="democratic_life", phase=examination)

    # The office over the unit allows another, with its reason; the unit cannot allow itself one.
    another = reverse("campaign:meeting_another", kwargs={"meeting_id": first.pk})
    assert "another-meeting-form" not in client.get(first.get_absolute_url()).content.decode()
    assert client.post(another, {"planned_on": "2014-07-10", "reason": "x"}).status_code == 403
    client.force_login(world.office_province)
    assert "another-meeting-form" in client.get(first.get_absolute_url()).content.decode()
    assert client.post(another, {"planned_on": "2014-07-10", "reason": " "}).status_code == 400
    assert client.post(another, {"planned_on": "2014-07-10", "reason": "会前准备不充分，督导组要求重新召开"}).status_code == 302
    repeat = Meeting.objects.get(unit=world.organ, kind="democratic_life", phase=examination, allowed_by__isnull=False)
    assert (repeat.allowed_by, repeat.planned_on, repeat.status) == (world.office_province, dt.date(2014, 7, 10), "planned")
    assert AuditEntry.objects.for_object(repeat).get(action="create").reason == "会前准备不充分，督导组要求重新召开"
    assert "会前准备不充分" in client.get(repeat.get_absolute_url()).content.decode()

    # The database refuses a second one without the allowance, whoever writes it.
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(unit=world.organ, kind="democratic_life", phase=examination, planned_on=dt.date(2014, 8, 1))
    # The admin asks the same rule and says why.
    client.force_login(world.superuser)
    response = client.post("/admin/campaign/meeting/add/", {
        "unit": world.organ.pk, "kind": "democratic_life", "phase": examination.pk, "planned_on": "2014-08-01", "notes": "",
    })
    assert response.status_code == 200 and "同一环节每类会议只开一次" in response.content.decode()
    assert Meeting.objects.filter(unit=world.organ, kind="democratic_life", phase=examination).count() == 2


def test_a_meeting_has_a_planned_date_and_its_preparation_keeps_it(world, client):
    examination = Phase.objects.get(code="examination")
    client.force_login(world.liaison_organ)
    response = create(client, world.organ, kind="democratic_life", phase=examination.pk)
    assert "请填写计划日期" in response.content.decode() and not Meeting.objects.exists()
    create(client, world.organ, kind="democratic_life", phase=examination.pk, planned_on="2014-12-10")
    meeting = Meeting.objects.get()
    prepare = reverse("campaign:meeting_prepare", kwargs={"meeting_id": meeting.pk})

    # The page shows the date as a date input reads it, and saving the preparation keeps it.
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert 'type="date" name="planned_on" value="2014-12-10"' in page
    assert client.post(prepare, {"planned_on": "2014-12-10", "talks_logged": "on", "notes": "谈心谈话已完成"}).status_code == 302
    meeting.refresh_from_db()
    assert (meeting.planned_on, meeting.talks_logged) == (dt.date(2014, 12, 10), True)
    # Emptying it is refused, and the date stays.
    response = client.post(prepare, {"planned_on": "", "notes": "x"})
    assert response.status_code == 400 and "请填写计划日期" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.planned_on == dt.date(2014, 12, 10)
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(planned_on=None)


def test_attendance_only_at_a_held_meeting_in_the_admin_too(world, client):
    meeting = Meeting.objects.create(unit=world.organ, kind="democratic_life", planned_on=dt.date(2014, 7, 1))
    client.force_login(world.group_member)
    assert "supervision/meetings" not in client.get(meeting.get_absolute_url()).content.decode()  # no form yet
    client.force_login(world.superuser)
    add = {"meeting": meeting.pk, "group": world.group.pk, "attendee": world.group_member.pk, "comment": "提前点评"}
    response = client.post("/admin/supervision/meetingattendance/add/", add)
    assert response.status_code == 200 and "会议尚未召开" in response.content.decode()
    assert not MeetingAttendance.objects.exists()
    Meeting.objects.filter(pk=meeting.pk).update(status="held", held_on=dt.date(2014, 7, 1))
    assert client.post("/admin/supervision/meetingattendance/add/", add).status_code == 302
    client.force_login(world.group_member)
    assert reverse("supervision:attend", kwargs={"meeting_id": meeting.pk}) in client.get(meeting.get_absolute_url()).content.decode()
