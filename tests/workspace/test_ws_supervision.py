"""Supervision workspace: visits, evaluations, meeting comments, and feedback that reaches the unit
only after the group leader signs it off (DESIGN rule 9, 001)."""

import datetime as dt

from django.urls import reverse

from audit.models import AuditEntry
from campaign import workflow
from campaign.models import Meeting
from supervision.models import Evaluation, Feedback, MeetingAttendance, Visit
from tests.workspace.workspace_helpers import logged_in


def draft_feedback(client, world, subject="关于专题民主生活会准备情况的反馈"):
    response = client.post(
        reverse("supervision:feedback_create", kwargs={"unit_id": world.organ.pk}),
        {"subject": subject, "text": "对照检查材料查摆问题不够具体。"},
    )
    assert response.status_code == 302
    return Feedback.objects.get(subject=subject)


def test_feedback_is_invisible_to_the_unit_until_the_leader_signs_it_off(world, client):
    client_for = logged_in(client)
    feedback = draft_feedback(client_for(world.group_member), world)
    url = reverse("supervision:feedback", kwargs={"feedback_id": feedback.pk})
    workspace = reverse("campaign:workspace")

    def unit_sees():
        client = client_for(world.liaison_organ)
        return client.get(url).status_code == 200, feedback.subject in client.get(workspace).content.decode()

    assert unit_sees() == (False, False)

    # A member cannot sign off, and the leader cannot sign off a draft nobody submitted.
    member = client_for(world.group_member)
    assert member.post(reverse("supervision:feedback_request", kwargs={"feedback_id": feedback.pk})).status_code == 302
    feedback.refresh_from_db()
    assert feedback.status == Feedback.Status.PENDING
    response = member.post(reverse("supervision:feedback_sign_off", kwargs={"feedback_id": feedback.pk}), {"decision": "sign"})
    assert response.status_code == 403
    assert unit_sees() == (False, False)

    # The leader refuses with a reason: back to draft, reason kept, still invisible.
    leader = client_for(world.group_leader)
    response = leader.post(reverse("supervision:feedback_sign_off", kwargs={"feedback_id": feedback.pk}), {"decision": "refuse"})
    assert response.status_code == 400 and "不予签发时必须说明理由" in response.content.decode()
    leader.post(
        reverse("supervision:feedback_sign_off", kwargs={"feedback_id": feedback.pk}),
        {"decision": "refuse", "reason": "请组内集体研究后再报"},
    )
    feedback.refresh_from_db()
    assert feedback.status == Feedback.Status.DRAFT and feedback.refusal_reason == "请组内集体研究后再报"
    assert "请组内集体研究后再报" in client_for(world.group_member).get(url).content.decode()
    assert unit_sees() == (False, False)

    client_for(world.group_member).post(reverse("supervision:feedback_request", kwargs={"feedback_id": feedback.pk}))
    client_for(world.group_leader).post(
        reverse("supervision:feedback_sign_off", kwargs={"feedback_id": feedback.pk}), {"decision": "sign"}
    )
    feedback.refresh_from_db()
    assert feedback.status == Feedback.Status.SIGNED_OFF and feedback.signed_off_by == world.group_leader
    assert unit_sees() == (True, True)
    # The other unit and the other group never see it.
    assert client_for(world.liaison_organ2).get(url).status_code == 404
    assert client_for(world.other_member).get(url).status_code == 404
    actions = list(AuditEntry.objects.for_object(feedback).order_by("at", "id").values_list("action", flat=True))
    # The unit's liaison opening it once signed off is the unit's receipt (签收), recorded once.
    assert actions == ["create", "request_sign_off", "refuse_sign_off", "request_sign_off", "sign_off", "sign_for"]


def test_visits_and_evaluations_are_recorded_for_assigned_units_only(world, client):
    client_for = logged_in(client)
    client = client_for(world.group_member)
    for kind in ("stay", "random", "unannounced", "interview", "forum"):
        response = client.post(
            reverse("supervision:visit_create", kwargs={"unit_id": world.organ.pk}),
            {"kind": kind, "visited_on": "2014-06-10", "findings": "窗口服务态度仍需改进"},
        )
        assert response.status_code == 302
    assert Visit.objects.filter(unit=world.organ, group=world.group).count() == 5
    response = client.post(
        reverse("supervision:evaluation_create", kwargs={"unit_id": world.organ.pk}),
        {"subject": "rectification", "rating": "fair", "text": "整改措施基本落实"},
    )
    assert response.status_code == 302
    assert Evaluation.objects.get().evaluated_by == world.group_member
    response = client.post(
        reverse("supervision:evaluation_create", kwargs={"unit_id": world.organ.pk}), {"subject": "institutions", "rating": "bogus"}
    )
    assert response.status_code == 400
    page = client.get(reverse("supervision:unit", kwargs={"unit_id": world.organ.pk})).content.decode()
    assert "明察暗访" in page and "整改措施基本落实" in page
    # 省教育厅 is the other group's unit: out of scope.
    response = client.post(
        reverse("supervision:visit_create", kwargs={"unit_id": world.organ2.pk}),
        {"kind": "stay", "visited_on": "2014-06-10", "findings": "x"},
    )
    assert response.status_code == 404
    # A liaison sees the unit but does not supervise it.
    assert client_for(world.liaison_organ).get(reverse("supervision:unit", kwargs={"unit_id": world.organ.pk})).status_code == 403


def test_group_attends_and_comments_on_the_democratic_life_meeting(world, client):
    client_for = logged_in(client)
    meeting = Meeting.objects.create(unit=world.organ, kind=Meeting.Kind.DEMOCRATIC_LIFE, planned_on=dt.date(2014, 7, 1))
    url = reverse("supervision:attend", kwargs={"meeting_id": meeting.pk})
    # 003: the group comments on a meeting it attended, so not on one still planned.
    response = client_for(world.group_leader).post(url, {"comment": "提前点评"})
    assert response.status_code == 400 and "会议尚未召开" in response.content.decode()
    assert not MeetingAttendance.objects.exists()
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.HELD, held_on=dt.date(2014, 7, 1))
    assert client_for(world.group_leader).post(url, {"comment": "批评和自我批评有辣味"}).status_code == 302
    attendance = MeetingAttendance.objects.get()
    assert attendance.group == world.group and attendance.comment == "批评和自我批评有辣味"
    page = client_for(world.liaison_organ).get(reverse("campaign:meeting", kwargs={"meeting_id": meeting.pk})).content.decode()
    assert "批评和自我批评有辣味" in page
    assert client_for(world.liaison_organ).post(url, {"comment": "x"}).status_code == 403
    summary = Meeting.objects.create(planned_on=dt.date(2014, 1, 5), unit=world.organ, kind=Meeting.Kind.SUMMARY)
    response = client_for(world.group_leader).post(reverse("supervision:attend", kwargs={"meeting_id": summary.pk}), {"comment": "x"})
    assert response.status_code == 400


def test_supervision_workspace_lists_units_and_review_queue(world, client, django_assert_max_num_queries):
    client_for = logged_in(client)
    workflow.transition(world.obligation_organ, "submit", world.liaison_organ, text="初步书面总结")
    client = client_for(world.group_member)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("supervision:workspace")).content.decode()
    assert "省发展改革委" in page and "初步书面总结" in page and "省教育厅" not in page
    page = client_for(world.other_member).get(reverse("supervision:workspace")).content.decode()
    assert "初步书面总结" not in page and "省教育厅" in page
