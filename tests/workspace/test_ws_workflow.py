"""The obligation state machine: allowed moves, refused moves with their reasons, audit rows."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from campaign import workflow
from campaign.models import ObligationStatus, Review, Route
from notifications.models import Notification
from tests.conftest import deliver_events
from tests.workspace.workspace_helpers import PDF, logged_in, upload


def audit_trail(obligation):
    """The obligation's state moves since it was made (the fan-out's row comes first)."""
    rows = AuditEntry.objects.for_object(obligation).exclude(action="obligation_added")
    return list(rows.order_by("at", "id").values_list("action", "from_state", "to_state"))


def test_submit_return_resubmit_approve_keeps_every_version_and_audit(world):
    ob = world.obligation_organ
    workflow.transition(ob, "submit", world.liaison_organ, text="初稿", files=[upload("总结.pdf", PDF)])
    ob.refresh_from_db()
    assert ob.status == ObligationStatus.SUBMITTED
    assert ob.submitted_at and ob.first_submitted_at == ob.submitted_at
    first_submitted = ob.first_submitted_at

    new_due = timezone.now() + dt.timedelta(days=10)
    workflow.transition(ob, "return", world.group_member, reason="缺少整改成效数据", new_due_at=new_due)
    ob.refresh_from_db()
    assert ob.status == ObligationStatus.RETURNED
    assert ob.due_at == new_due
    review = Review.objects.get(obligation=ob)
    assert review.decision == "return" and review.reason == "缺少整改成效数据" and review.reviewed_for == world.group.name

    workflow.transition(ob, "submit", world.liaison_organ, text="修改稿", files=[upload("总结-修改.pdf", PDF)])
    workflow.transition(ob, "approve", world.group_leader)
    ob.refresh_from_db()
    assert ob.status == ObligationStatus.ACCEPTED and ob.accepted_at
    assert ob.first_submitted_at == first_submitted
    assert list(ob.submissions.order_by("version").values_list("version", "text")) == [(1, "初稿"), (2, "修改稿")]
    assert [s.files.get().original_name for s in ob.submissions.order_by("version")] == ["总结.pdf", "总结-修改.pdf"]
    assert audit_trail(ob) == [
        ("submit", "pending", "submitted"),
        ("return", "submitted", "returned"),
        ("submit", "returned", "submitted"),
        ("approve", "submitted", "accepted"),
    ]
    entry = AuditEntry.objects.for_object(ob).get(action="return")
    assert entry.actor == world.group_member and entry.reason == "缺少整改成效数据"
    # The liaison is told in the notification centre, with the reason (one digest: the outbox
    # gathers what happened since its last flush).
    Notification.objects.all().delete()
    deliver_events()
    [note] = Notification.objects.filter(user=world.liaison_organ)
    texts = [item["text"] for item in note.items]
    assert texts[0].startswith("新的报送任务：省发展改革委 · “初步书面总结”，截止时间 2014年1月10日")
    assert texts[1:] == ["“初步书面总结”被退回，请修改后重新报送。理由：缺少整改成效数据", "“初步书面总结”已审核通过"]
    assert all(item["url"] == ob.get_absolute_url() for item in note.items)
    # The other unit's liaison hears of its own new obligation only.
    [other] = Notification.objects.filter(user=world.liaison_organ2)
    assert [item["text"][:7] for item in other.items] == ["新的报送任务："] and "省教育厅" in other.title


@pytest.mark.parametrize(
    "setup, action, actor, message",
    [
        ([], "approve", "group_leader", "尚未报送材料，不能审核通过"),
        ([], "return", "group_leader", "尚未报送材料，无可退回"),
        (["submit"], "return", "group_leader", "退回或重新打开时必须说明理由"),
        (["submit"], "submit", "liaison_organ", "正在等待审核"),
        (["submit", "approve"], "submit", "liaison_organ", "已审核通过，不能再报送"),
        (["submit", "approve"], "approve", "group_leader", "无需再次通过"),
        ([], "reopen", "group_leader", "只有已通过的材料才能重新打开"),
    ],
)
def test_illegal_transitions_are_refused_with_a_plain_reason(world, setup, action, actor, message):
    ob = world.obligation_organ
    for step in setup:
        user = world.liaison_organ if step == "submit" else world.group_leader
        workflow.transition(ob, step, user, text="材料")
    before = ob.__class__.objects.get(pk=ob.pk).status
    audit_count = AuditEntry.objects.count()
    with pytest.raises(workflow.TransitionRefused) as refused:
        workflow.transition(ob, action, getattr(world, actor), text="材料")
    assert message in refused.value.message
    assert ob.__class__.objects.get(pk=ob.pk).status == before
    assert AuditEntry.objects.count() == audit_count


def test_wrong_people_are_refused_as_forbidden(world):
    ob = world.obligation_organ
    with pytest.raises(workflow.TransitionRefused) as refused:
        workflow.transition(ob, "submit", world.liaison_organ2, text="x")
    assert refused.value.forbidden
    workflow.transition(ob, "submit", world.liaison_organ, text="x")
    # The other group supervises 省教育厅, not 省发展改革委; the unit cannot approve itself.
    for outsider in (world.other_member, world.liaison_organ, world.office_province):
        with pytest.raises(workflow.TransitionRefused) as refused:
            workflow.transition(ob, "approve", outsider)
        assert refused.value.forbidden and "督导组或领导小组办公室" in refused.value.message


def test_reopen_lets_the_unit_submit_again(world):
    ob = world.obligation_organ
    workflow.transition(ob, "submit", world.liaison_organ, text="x")
    workflow.transition(ob, "approve", world.group_leader)
    workflow.transition(ob, "reopen", world.group_leader, reason="数据有误，请更正")
    ob.refresh_from_db()
    assert ob.status == ObligationStatus.RETURNED and ob.accepted_at is None
    workflow.transition(ob, "submit", world.liaison_organ, text="更正稿")
    assert ob.submissions.count() == 2


def test_office_route_is_reviewed_by_the_office_not_the_group(world):
    world.requirement.route = Route.OFFICE
    world.requirement.save()
    ob = world.obligation_organ
    workflow.transition(ob, "submit", world.liaison_organ, text="x")
    with pytest.raises(workflow.TransitionRefused):
        workflow.transition(ob, "approve", world.group_leader)
    assert list(workflow.office_review_queue(world.office_province)) == [ob]
    assert list(workflow.office_review_queue(world.office_hangzhou)) == []
    workflow.transition(ob, "approve", world.office_province)
    ob.refresh_from_db()
    assert ob.status == ObligationStatus.ACCEPTED


def test_no_review_needed_means_accepted_on_submit(world):
    world.requirement.review_required = False
    world.requirement.save()
    ob = workflow.transition(world.obligation_organ, "submit", world.liaison_organ, text="x")
    assert ob.status == ObligationStatus.ACCEPTED and ob.accepted_at


def test_review_views_refuse_with_reason_and_403(world, client):
    client_for = logged_in(client)
    ob = world.obligation_organ
    client = client_for(world.group_leader)
    response = client.post(reverse("campaign:obligation_review", kwargs={"obligation_id": ob.pk}), {"decision": "approve"})
    assert response.status_code == 400
    assert "尚未报送材料，不能审核通过" in response.content.decode()
    ob.refresh_from_db()
    assert ob.status == ObligationStatus.PENDING

    workflow.transition(ob, "submit", world.liaison_organ, text="x")
    response = client.post(reverse("campaign:obligation_review", kwargs={"obligation_id": ob.pk}), {"decision": "return"})
    assert response.status_code == 400 and "退回时必须说明理由" in response.content.decode()
    ob.refresh_from_db()
    assert ob.status == ObligationStatus.SUBMITTED

    client = client_for(world.office_hangzhou)
    response = client.post(reverse("campaign:obligation_review", kwargs={"obligation_id": ob.pk}), {"decision": "approve"})
    assert response.status_code == 404  # 杭州市 does not see a provincial organ
    client = client_for(world.liaison_organ)
    response = client.post(reverse("campaign:obligation_review", kwargs={"obligation_id": ob.pk}), {"decision": "approve"})
    assert response.status_code == 403

    client = client_for(world.group_member)
    new_due_on = timezone.localdate() + dt.timedelta(days=30)
    response = client.post(
        reverse("campaign:obligation_review", kwargs={"obligation_id": ob.pk}),
        {"decision": "return", "reason": "请补充数据", "new_due_on": new_due_on.isoformat()},
    )
    assert response.status_code == 302
    ob.refresh_from_db()
    assert ob.status == ObligationStatus.RETURNED
    assert timezone.localtime(ob.due_at).date() == new_due_on

    client = client_for(world.liaison_organ)
    page = client.get(reverse("campaign:obligation", kwargs={"obligation_id": ob.pk})).content.decode()
    assert "请补充数据" in page and 'id="submit-form"' in page
