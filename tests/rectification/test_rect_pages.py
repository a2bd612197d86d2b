"""Look-back reports (回头看, 004), scope of the rectification pages and query-count bounds."""

import datetime as dt

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from rectification.models import LookBackCheckpoint, LookBackFinding, LookBackReport, RectificationItem, RectificationPlan
from tests.rectification.test_rect_close_loop import make_item, make_plan


@pytest.fixture
def checkpoints(db):
    return [
        LookBackCheckpoint.objects.create(ordinal=1, area="整改任务是否落实", question="查整改方案，看任务是否完成"),
        LookBackCheckpoint.objects.create(ordinal=2, area="制度建设是否到位", question="查制度文件，看是否管用"),
        LookBackCheckpoint.objects.create(ordinal=3, area="群众是否满意", question="查群众评价，看是否认可"),
    ]


def lookback_data(checkpoints, results, summary="对照六个方面逐项自查"):
    data = {"summary": summary, "further_measures": "继续深化整改"}
    for checkpoint, result in zip(checkpoints, results, strict=True):
        data[f"result_{checkpoint.pk}"] = result
        data[f"notes_{checkpoint.pk}"] = f"{checkpoint.area}说明"
        data[f"measures_{checkpoint.pk}"] = f"{checkpoint.area}深化措施"
    return data


def test_lookback_report_lists_not_met_checkpoints_as_redo(world, client, checkpoints):
    client.force_login(world.liaison_organ)
    url = reverse("rectification:lookback_edit", kwargs={"unit_id": world.organ.pk})
    page = client.get(url).content.decode()
    assert "整改任务是否落实" in page and "群众是否满意" in page

    response = client.post(url, {"summary": "自查"})
    assert response.status_code == 400 and not LookBackReport.objects.exists()

    response = client.post(url, lookback_data(checkpoints, ["met", "partly", "not_met"]))
    report = LookBackReport.objects.get(unit=world.organ)
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    assert report.created_by == world.liaison_organ and report.campaign == world.campaign
    assert dict(report.findings.values_list("checkpoint__ordinal", "result")) == {1: "met", 2: "partly", 3: "not_met"}

    page = client.get(report.get_absolute_url()).content.decode()
    redo = page[page.index('id="redo"'):page.index('id="findings"')]
    assert "回炉" in redo and "群众是否满意" in redo and "整改任务是否落实" not in redo

    # Correcting the report updates the findings in place and keeps who changed what.
    response = client.post(url, lookback_data(checkpoints, ["met", "met", "partly"]))
    assert response.status_code == 302
    assert LookBackReport.objects.count() == 1 and LookBackFinding.objects.count() == 3
    assert 'id="redo"' not in client.get(report.get_absolute_url()).content.decode()
    actions = list(AuditEntry.objects.for_object(report).order_by("at", "id").values_list("action", flat=True))
    assert actions == ["create", "edit"]
    edit = AuditEntry.objects.for_object(report).get(action="edit")
    third = checkpoints[2]
    assert edit.changes[f"{third.ordinal}. {third.area}"] == {"before": "未达到，需回炉", "after": "基本达到"}


def test_lookback_report_scope(world, client, checkpoints):
    report = LookBackReport.objects.create(campaign=world.campaign, unit=world.organ, summary="自查", created_by=world.liaison_organ)
    LookBackFinding.objects.create(report=report, checkpoint=checkpoints[0], result="not_met", notes="未完成", measures="继续整改")
    url = report.get_absolute_url()
    for persona in ("liaison_organ2", "other_member", "office_ningbo"):
        client.force_login(getattr(world, persona))
        assert client.get(url).status_code == 404, persona
        assert client.get(reverse("rectification:lookback_edit", kwargs={"unit_id": world.organ.pk})).status_code == 404
    # The supervision group and the office read it; only the unit and its office write it.
    client.force_login(world.group_member)
    assert client.get(url).status_code == 200
    assert client.get(reverse("rectification:lookback_edit", kwargs={"unit_id": world.organ.pk})).status_code == 403
    client.force_login(world.office_province)
    assert "回炉" in client.get(url).content.decode()


def test_another_units_plan_and_items_are_404(world, client):
    plan = make_plan(world, world.organ2)
    item = make_item(plan)
    client.force_login(world.liaison_organ)
    for url in (
        plan.get_absolute_url(),
        item.get_absolute_url(),
        reverse("rectification:plan_edit", kwargs={"plan_id": plan.pk}),
        reverse("rectification:item_create", kwargs={"plan_id": plan.pk}),
        reverse("rectification:item_edit", kwargs={"item_id": item.pk}),
        reverse("rectification:unit", kwargs={"unit_id": world.organ2.pk}),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("rectification:item_progress", kwargs={"item_id": item.pk}), {"text": "x"}).status_code == 404
    # The creating form on the unit page is only for the unit and its offices.
    client.force_login(world.group_member)
    unit_url = reverse("rectification:unit", kwargs={"unit_id": world.organ.pk})
    assert 'id="plan-form"' not in client.get(unit_url).content.decode()
    assert client.post(unit_url, {"title": "x", "responsible_person": "y"}).status_code == 403
    assert not RectificationPlan.objects.filter(unit=world.organ).exists()


def test_traffic_light_marks_overdue_items(world):
    today = dt.date(2014, 7, 1)
    plan = make_plan(world)
    late = make_item(plan, due_on=dt.date(2014, 6, 30))
    soon = make_item(plan, due_on=dt.date(2014, 7, 3))
    later = make_item(plan, due_on=dt.date(2014, 9, 30))

    def light(item):
        return RectificationItem.objects.with_status(today).get(pk=item.pk).light

    assert light(late) == "overdue"
    assert light(soon) == "due_soon"
    assert light(later) == "on_track"
    late.status, late.evidence = RectificationItem.Status.CLOSED, "台账"
    late.save()
    assert light(late) == "done"
    assert list(RectificationItem.objects.overdue(today)) == []


def test_list_pages_are_bounded(world, client, django_assert_max_num_queries, checkpoints):
    plan = make_plan(world)
    for n in range(30):
        item = make_item(plan, problem=f"问题{n}", due_on=dt.date(2014, 1, 1) + dt.timedelta(days=n * 10),
                         needs_upper_level=n % 2 == 0, special_rectification=None)
        if n % 3 == 0:
            item.status = RectificationItem.Status.CLOSE_REQUESTED
            item.evidence = "佐证"
            item.save()
    client.force_login(world.liaison_organ)
    with django_assert_max_num_queries(15):
        page = client.get(plan.get_absolute_url()).content.decode()
    assert page.count("data-item=") == 30 and 'data-light="overdue"' in page
    with django_assert_max_num_queries(15):
        assert client.get(reverse("rectification:unit", kwargs={"unit_id": world.organ.pk})).status_code == 200

    client.force_login(world.group_member)
    with django_assert_max_num_queries(15):
        page = client.get(reverse("rectification:overview")).content.decode()
    awaiting = page[page.index('id="awaiting"'):page.index('id="upper"')]
    assert awaiting.count("data-item=") == 10
    with django_assert_max_num_queries(20):
        assert client.get(item.get_absolute_url()).status_code == 200

    report = LookBackReport.objects.create(campaign=world.campaign, unit=world.organ, summary="自查", created_by=world.liaison_organ)
    LookBackFinding.objects.bulk_create(
        [LookBackFinding(report=report, checkpoint=c, result="not_met", notes="未完成", measures="继续整改") for c in checkpoints]
    )
    with django_assert_max_num_queries(15):
        assert client.get(report.get_absolute_url()).status_code == 200
    client.force_login(world.liaison_organ)
    with django_assert_max_num_queries(15):
        assert client.get(reverse("rectification:lookback_edit", kwargs={"unit_id": world.organ.pk})).status_code == 200
