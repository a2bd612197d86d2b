"""The look-back report's route (004: 形成整改落实自查情况报告，报上级党组织和督查组审核): a 回炉
finding carries its explanation and deepening measures; both the superior organisation and the
supervision group review; the look-back requirement's obligation follows the report; the to-do
and the news."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from campaign.actions import fan_out
from campaign.models import Obligation, ObligationStatus, Requirement, Route
from notifications.models import Event
from rectification import lookback
from rectification.models import LookBackCheckpoint, LookBackFinding, LookBackReport
from tests.workspace.todo_helpers import listed, todo_page


@pytest.fixture
def checkpoints(db):
    return [
        LookBackCheckpoint.objects.create(ordinal=1, area="整改任务是否落实", question="查整改方案，看任务是否完成"),
        LookBackCheckpoint.objects.create(ordinal=2, area="群众是否满意", question="查群众评价，看是否认可"),
    ]


@pytest.fixture
def look_back(world, checkpoints):
    """The organ's obligation under a requirement of the look-back phase, on the group-first route (004)."""
    requirement = Requirement.objects.create(
        directive=world.zj_48, title="整改落实“回头看”自查情况报告", scope_unit=world.province, submit_to=world.province,
        phase=world.campaign.phases.get(code="lookback"), target_levels=["province"], target_unit_types=["organ"],
        deadline_text="2月底前", due_at=world.requirement.due_at, route=Route.SUPERVISION_FIRST,
    )
    fan_out(requirement, actor=None)
    return requirement.obligations.get(unit=world.organ)


def form_data(checkpoints, results, measures="逐项建立台账，限期回炉补课"):
    data = {"summary": "对照六个方面逐项自查", "further_measures": ""}
    for checkpoint, result in zip(checkpoints, results, strict=True):
        data[f"result_{checkpoint.pk}"] = result
        data[f"notes_{checkpoint.pk}"] = f"{checkpoint.area}：部分事项未完成"
        data[f"measures_{checkpoint.pk}"] = measures
    return data


def write_and_submit(client, world, checkpoints):
    client.force_login(world.liaison_organ)
    edit = reverse("rectification:lookback_edit", kwargs={"unit_id": world.organ.pk})
    assert client.post(edit, form_data(checkpoints, ["met", "not_met"])).status_code == 302
    report = LookBackReport.objects.get(unit=world.organ)
    assert client.post(reverse("rectification:lookback_submit", kwargs={"report_id": report.pk})).status_code == 302
    report.refresh_from_db()
    return report


def review(client, user, report, decision, reason=""):
    client.force_login(user)
    response = client.post(reverse("rectification:lookback_review", kwargs={"report_id": report.pk}),
                           {"decision": decision, "reason": reason})
    report.refresh_from_db()
    return response


def test_a_redo_finding_needs_its_explanation_and_measures(world, client, checkpoints):
    client.force_login(world.liaison_organ)
    edit = reverse("rectification:lookback_edit", kwargs={"unit_id": world.organ.pk})
    # The form: 回炉 without deepening measures (or without its explanation) is not saved.
    response = client.post(edit, form_data(checkpoints, ["met", "not_met"], measures=""))
    assert response.status_code == 400 and "请提出深化整改措施" in response.content.decode()
    data = form_data(checkpoints, ["met", "not_met"])
    data[f"notes_{checkpoints[1].pk}"] = " "
    response = client.post(edit, data)
    assert response.status_code == 400 and "请说明存在的问题" in response.content.decode()
    assert not LookBackReport.objects.exists()

    # The database: the named constraint.
    report = LookBackReport.objects.create(campaign=world.campaign, unit=world.organ, summary="自查",
                                           created_by=world.liaison_organ)
    with pytest.raises(IntegrityError, match="redo_finding_explained"), transaction.atomic():
        LookBackFinding.objects.create(report=report, checkpoint=checkpoints[0], result="not_met", notes="未完成")

    # The machine: submitting checks every 回炉 finding (for rows that reach it another way).
    assert lookback.redo_explained in lookback.MACHINE.by_action["submit"].guards
    bare = LookBackFinding(report=report, checkpoint=checkpoints[1], result="not_met", notes="未完成")
    assert lookback.unexplained_redo([bare]) == ["检查项“群众是否满意”结论为未达到，须写明说明和深化整改措施。"]
    assert lookback.unexplained_redo([LookBackFinding(checkpoint=checkpoints[1], result="partly")]) == []


def test_both_reviewers_accept_and_the_obligation_follows(world, client, checkpoints, look_back):
    report = write_and_submit(client, world, checkpoints)
    look_back.refresh_from_db()
    assert report.status == "submitted" and report.obligation == look_back
    assert look_back.status == ObligationStatus.SUBMITTED and "回头看自查报告已报送" in look_back.submissions.get().text
    # Both sides have it in their to-do; the obligation is reviewed through the report, not twice.
    assert listed(todo_page(client, world.group_member))["group_lookback_reviews"] == [report.get_absolute_url()]
    assert "group_reviews" not in listed(todo_page(client, world.group_member))
    assert listed(todo_page(client, world.office_province))["office_lookback_reviews"] == [report.get_absolute_url()]
    # Each side was told (the office of the unit's parent and the group), once.
    told = set(Event.objects.filter(kind=Event.Kind.LOOKBACK_SUBMITTED).values_list("recipient", flat=True))
    assert {world.office_province.pk, world.group_member.pk} <= told
    assert not Event.objects.filter(kind=Event.Kind.SUBMITTED, path=look_back.get_absolute_url()).exists()

    # The superior organisation accepts: the report waits for the group.
    assert review(client, world.office_province, report, "approve").status_code == 302
    assert report.status == "submitted" and report.office_accepted_by == world.office_province
    assert "office_lookback_reviews" not in listed(todo_page(client, world.office_province))
    page = client.get(report.get_absolute_url()).content.decode()
    assert 'id="lookback-review"' not in page and 'data-side="office" data-accepted="1"' in page
    response = review(client, world.office_province, report, "approve")
    assert "正在等待督查组审核" in response.content.decode() and report.group_accepted_by is None
    look_back.refresh_from_db()
    assert look_back.status == ObligationStatus.SUBMITTED

    # The group accepts: the report is accepted, and so is the obligation, by the group's member.
    assert review(client, world.group_member, report, "approve").status_code == 302
    look_back.refresh_from_db()
    assert report.status == "accepted" and look_back.status == ObligationStatus.ACCEPTED
    assert look_back.reviews.get().reviewer == world.group_member
    assert Event.objects.filter(kind=Event.Kind.LOOKBACK_ACCEPTED, recipient=world.liaison_organ).exists()


def test_either_side_returns_it_with_a_reason_and_the_unit_redoes_it(world, client, checkpoints, look_back):
    world.office_province.full_name = "王晓明"
    world.office_province.save(update_fields=["full_name"])
    report = write_and_submit(client, world, checkpoints)
    assert review(client, world.group_member, report, "approve").status_code == 302

    # A return needs its reason.
    response = review(client, world.office_province, report, "return")
    assert "必须说明理由" in response.content.decode() and report.status == "submitted"
    assert review(client, world.office_province, report, "return", "群众满意度未测评，须回炉").status_code == 302
    assert report.status == "returned" and report.group_accepted_by is None
    look_back.refresh_from_db()
    # The office does not review the obligation on the group-first route: it stays submitted.
    assert look_back.status == ObligationStatus.SUBMITTED

    client.force_login(world.liaison_organ)
    page = client.get(report.get_absolute_url()).content.decode()
    box = page[page.index('id="return-reason"'):]
    assert "群众满意度未测评" in box[:600] and "王晓明" in box[:600]
    event = Event.objects.get(kind=Event.Kind.LOOKBACK_RETURNED, recipient=world.liaison_organ)
    assert event.params["reason"] == "群众满意度未测评，须回炉"
    todo = todo_page(client, world.liaison_organ)
    assert listed(todo)["lookback_to_submit"] == [report.get_absolute_url()]
    assert "下一步：按退回理由修改后重新报送：群众满意度未测评，须回炉" in todo

    # Submitted again, both are asked afresh; the group returns it, and the obligation goes back too.
    assert client.post(reverse("rectification:lookback_submit", kwargs={"report_id": report.pk})).status_code == 302
    assert review(client, world.group_member, report, "return", "深化措施不具体").status_code == 302
    look_back.refresh_from_db()
    assert look_back.status == ObligationStatus.RETURNED and look_back.reviews.get().reason == "深化措施不具体"
    client.force_login(world.liaison_organ)
    assert client.post(reverse("rectification:lookback_submit", kwargs={"report_id": report.pk})).status_code == 302
    look_back.refresh_from_db()
    assert look_back.status == ObligationStatus.SUBMITTED and look_back.submissions.count() == 2


def test_only_the_units_liaison_submits_and_only_reviewers_review(world, client, checkpoints, look_back):
    client.force_login(world.liaison_organ)
    client.post(reverse("rectification:lookback_edit", kwargs={"unit_id": world.organ.pk}),
                form_data(checkpoints, ["met", "met"]))
    report = LookBackReport.objects.get()
    client.force_login(world.office_province)
    assert client.post(reverse("rectification:lookback_submit", kwargs={"report_id": report.pk})).status_code == 403
    report.refresh_from_db()
    assert report.status == "draft" and Obligation.objects.get(pk=look_back.pk).status == ObligationStatus.PENDING
    write_and_submit(client, world, checkpoints)
    assert review(client, world.liaison_organ, report, "approve").status_code == 403
