"""The rectification close loop (销号): add, progress, request close with evidence, approve or send back."""

import datetime as dt

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from notifications.models import Notification
from rectification import workflow
from rectification.models import ProgressUpdate, RectificationItem, RectificationPlan
from tests.conftest import deliver_events, make_unit


def audit_trail(obj):
    return list(AuditEntry.objects.for_object(obj).order_by("at", "id").values_list("action", "from_state", "to_state"))


def make_plan(world, unit=None):
    return RectificationPlan.objects.create(
        campaign=world.campaign, unit=unit or world.organ, title="整改方案", responsible_person="张三"
    )


def make_item(plan, **extra):
    values = {"problem": "会议过多，文山会海", "four_winds": "formalism", "measures": "精简会议", "owner": "李四",
              "due_on": dt.date.today() + dt.timedelta(days=30)}
    values.update(extra)
    return RectificationItem.objects.create(plan=plan, **values)


def test_liaison_creates_plan_then_the_whole_close_loop_by_the_supervision_group(world, client):
    client.force_login(world.liaison_organ)
    unit_url = reverse("rectification:unit", kwargs={"unit_id": world.organ.pk})
    assert 'id="plan-form"' in client.get(unit_url).content.decode()
    response = client.post(unit_url, {"title": "省发展改革委整改方案", "responsible_person": "王主任"})
    plan = RectificationPlan.objects.get(unit=world.organ)
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    assert plan.kind == RectificationPlan.Kind.PLAN and plan.campaign == world.campaign
    assert audit_trail(plan) == [("create", "", "")]
    assert 'id="plan-form"' not in client.get(unit_url).content.decode()

    response = client.post(reverse("rectification:item_create", kwargs={"plan_id": plan.pk}), {
        "problem": "公款吃喝", "four_winds": "hedonism", "measures": "严格公务接待", "owner": "李四",
        "due_on": "2014-09-30", "public_commitment": "向社会公开承诺", "needs_upper_level": "on",
    })
    assert response.status_code == 302
    item = plan.items.get()
    assert item.status == RectificationItem.Status.OPEN and item.needs_upper_level

    item_url = item.get_absolute_url()
    response = client.post(reverse("rectification:item_progress", kwargs={"item_id": item.pk}), {"text": "已制定接待办法"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == RectificationItem.Status.IN_PROGRESS
    assert ProgressUpdate.objects.get(item=item).text == "已制定接待办法"

    close_url = reverse("rectification:item_request_close", kwargs={"item_id": item.pk})
    response = client.post(close_url, {"evidence": "  "}, follow=True)
    assert response.status_code == 400
    assert "申请销号须提交佐证材料" in response.content.decode()
    item.refresh_from_db()
    assert item.status == RectificationItem.Status.IN_PROGRESS

    assert client.post(close_url, {"evidence": "《公务接待管理办法》及执行台账"}).status_code == 302
    item.refresh_from_db()
    assert item.status == RectificationItem.Status.CLOSE_REQUESTED and item.evidence.startswith("《公务接待")

    review_url = reverse("rectification:item_review", kwargs={"item_id": item.pk})
    # The unit cannot close its own item, and an unassigned group cannot see it at all.
    assert client.post(review_url, {"decision": "approve"}).status_code == 403
    client.force_login(world.other_member)
    assert client.post(review_url, {"decision": "approve"}).status_code == 404
    client.force_login(world.office_ningbo)
    assert client.post(review_url, {"decision": "approve"}).status_code == 404
    item.refresh_from_db()
    assert item.status == RectificationItem.Status.CLOSE_REQUESTED

    client.force_login(world.group_member)
    page = client.get(item_url).content.decode()
    assert 'id="review-form"' in page and 'id="close-form"' not in page
    overview = client.get(reverse("rectification:overview")).content.decode()
    assert 'id="awaiting-items"' in overview and "公款吃喝" in overview
    assert client.post(review_url, {"decision": "approve", "reason": "整改到位"}).status_code == 302
    item.refresh_from_db()
    assert item.status == RectificationItem.Status.CLOSED
    assert item.closed_by == world.group_member and item.closed_at is not None
    created = AuditEntry.objects.for_object(item).get(action="create")
    assert created.changes["status"] == {"before": None, "after": "open"}
    assert audit_trail(item) == [
        ("create", "", ""),
        ("progress", "open", "in_progress"),
        ("request_close", "in_progress", "close_requested"),
        ("approve_close", "close_requested", "closed"),
    ]
    deliver_events()
    assert any(item["url"] == item_url and "已销号" in item["text"]
               for note in Notification.objects.filter(user=world.liaison_organ) for item in note.items)

    # Closed is final for the unit: no more edits or progress.
    client.force_login(world.liaison_organ)
    page = client.get(item_url).content.decode()
    assert 'id="progress-form"' not in page and "已销号" in page
    assert client.get(reverse("rectification:item_edit", kwargs={"item_id": item.pk})).status_code == 403
    response = client.post(reverse("rectification:item_progress", kwargs={"item_id": item.pk}), {"text": "再补充"})
    assert response.status_code == 400 and "已销号" in response.content.decode()


def test_reviewer_sends_back_with_a_reason(world, client):
    item = make_item(make_plan(world))
    workflow.transition(item, "request_close", world.liaison_organ, evidence="会议台账")
    with pytest.raises(workflow.TransitionRefused, match="必须说明理由"):
        workflow.transition(item, "reject_close", world.group_leader)
    client.force_login(world.group_leader)
    url = reverse("rectification:item_review", kwargs={"item_id": item.pk})
    response = client.post(url, {"decision": "return", "reason": ""})
    assert response.status_code == 400 and "退回整改时必须说明理由" in response.content.decode()
    assert client.post(url, {"decision": "return", "reason": "佐证材料不足"}).status_code == 302
    item.refresh_from_db()
    assert item.status == RectificationItem.Status.IN_PROGRESS and item.closed_by is None
    entry = AuditEntry.objects.for_object(item).get(action="reject_close")
    assert entry.reason == "佐证材料不足" and entry.actor == world.group_leader
    deliver_events()
    assert any("佐证材料不足" in item["text"] for note in Notification.objects.filter(user=world.liaison_organ)
               for item in note.items)


def test_refusals_are_plain_chinese(world):
    item = make_item(make_plan(world))
    with pytest.raises(workflow.TransitionRefused, match="尚未申请销号"):
        workflow.transition(item, "approve_close", world.group_member)
    with pytest.raises(workflow.TransitionRefused, match="只有") as refused:
        workflow.transition(item, "request_close", world.group_member, evidence="x")
    assert refused.value.forbidden
    workflow.transition(item, "request_close", world.liaison_organ, evidence="x")
    with pytest.raises(workflow.TransitionRefused, match="不能重复申请"):
        workflow.transition(item, "request_close", world.liaison_organ, evidence="x")


def test_office_approves_closing_for_units_below_it_only(world, client):
    xihu_item = make_item(make_plan(world, world.xihu))
    workflow.transition(xihu_item, "request_close", world.liaison_xihu, evidence="制度文件")
    hangzhou_item = make_item(make_plan(world, world.hangzhou))
    hangzhou_item.status = RectificationItem.Status.CLOSE_REQUESTED
    hangzhou_item.evidence = "台账"
    hangzhou_item.save()

    client.force_login(world.office_hangzhou)
    overview = client.get(reverse("rectification:overview")).content.decode()
    assert f'data-item="{xihu_item.pk}"' in overview
    # Its own unit's item is visible but not in its approval queue, and it may not approve it.
    assert f'data-item="{hangzhou_item.pk}"' not in overview
    own = reverse("rectification:item_review", kwargs={"item_id": hangzhou_item.pk})
    assert client.post(own, {"decision": "approve"}).status_code == 403
    client.force_login(world.office_ningbo)
    assert client.post(reverse("rectification:item_review", kwargs={"item_id": xihu_item.pk}),
                       {"decision": "approve"}).status_code == 404

    client.force_login(world.office_hangzhou)
    url = reverse("rectification:item_review", kwargs={"item_id": xihu_item.pk})
    assert client.post(url, {"decision": "approve"}).status_code == 302
    xihu_item.refresh_from_db()
    assert xihu_item.status == RectificationItem.Status.CLOSED and xihu_item.closed_by == world.office_hangzhou

    client.force_login(world.office_province)
    assert client.post(own, {"decision": "approve"}).status_code == 302
    hangzhou_item.refresh_from_db()
    assert hangzhou_item.status == RectificationItem.Status.CLOSED


def test_item_form_needs_a_category_and_edits_are_audited(world, client):
    plan = make_plan(world)
    client.force_login(world.liaison_organ)
    url = reverse("rectification:item_create", kwargs={"plan_id": plan.pk})
    data = {"problem": "制度缺失", "measures": "建立制度", "owner": "李四", "due_on": "2014-09-30"}
    response = client.post(url, data)
    assert response.status_code == 400 and "请选择四风归类或专项整治" in response.content.decode()
    assert client.post(url, {**data, "is_institution_building": "on"}).status_code == 302
    item = plan.items.get()
    assert item.is_institution_building
    edit = reverse("rectification:item_edit", kwargs={"item_id": item.pk})
    assert client.post(edit, {**data, "is_institution_building": "on", "owner": "赵六"}).status_code == 302
    entry = AuditEntry.objects.for_object(item).get(action="edit")
    assert entry.changes["owner"] == {"before": "李四", "after": "赵六"}


def test_mass_evaluation_is_recorded_and_audited(world, client):
    item = make_item(make_plan(world))
    url = reverse("rectification:item_evaluation", kwargs={"item_id": item.pk})
    client.force_login(world.other_member)
    assert client.post(url, {"mass_evaluation": "satisfied"}).status_code in (403, 404)
    client.force_login(world.liaison_organ)
    assert client.post(url, {"mass_evaluation": "bogus"}).status_code == 400
    assert client.post(url, {"mass_evaluation": "basically"}).status_code == 302
    item.refresh_from_db()
    assert item.mass_evaluation == RectificationItem.MassEvaluation.BASICALLY
    entry = AuditEntry.objects.for_object(item).get(action="evaluate")
    assert entry.changes["mass_evaluation"] == {"before": "", "after": "basically"}
    assert "基本满意" in client.get(item.get_absolute_url()).content.decode()


def test_mass_evaluation_can_follow_closing(world, client):
    """The masses judge the result after the item is closed (003: 请群众评价和监督)."""
    item = make_item(make_plan(world), status=RectificationItem.Status.CLOSED, evidence="整改台账")
    url = reverse("rectification:item_evaluation", kwargs={"item_id": item.pk})
    client.force_login(world.group_member)
    assert client.post(url, {"mass_evaluation": "satisfied"}).status_code == 302
    item.refresh_from_db()
    assert item.mass_evaluation == RectificationItem.MassEvaluation.SATISFIED


def test_village_units_keep_a_problem_list(world, client):
    from units.models import Level, UnitMembership, UnitType

    village = make_unit(code="330106001001", name="西湖村", parent=world.street, level=Level.VILLAGE,
                                  unit_type=UnitType.VILLAGE,
                                  batch=world.batch2)
    UnitMembership.objects.create(user=world.liaison_xihu, unit=village, role=UnitMembership.Role.LIAISON)
    client.force_login(world.liaison_xihu)
    response = client.post(reverse("rectification:unit", kwargs={"unit_id": village.pk}),
                           {"title": "西湖村问题清单", "responsible_person": "村书记"})
    assert response.status_code == 302
    assert RectificationPlan.objects.get(unit=village).kind == RectificationPlan.Kind.PROBLEM_LIST
