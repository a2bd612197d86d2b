"""The supervision group's dossier of a unit (003, 001, 000): every kind of record about the unit
on one page, filtered, scoped to what the reader may see, with a bounded number of queries."""

import datetime as dt

import pytest
from django.urls import reverse

from campaign import workflow
from campaign.models import Meeting
from rectification.models import LookBackReport, RectificationItem, RectificationPlan
from supervision.models import Evaluation, Feedback, MeetingAttendance, Visit
from tests.workspace.workspace_helpers import PDF, upload
from units.models import Opinion


def records_about(world, unit, group, member, liaison, obligation, mark, copies=1):
    """One record of every kind about `unit` (`copies` of the repeatable ones), each carrying `mark`."""
    workflow.transition(obligation, "submit", liaison, text=f"{mark}初稿", files=[upload(f"{mark}.pdf", PDF)])
    workflow.transition(obligation, "return", member, reason=f"{mark}退回理由")
    workflow.transition(obligation, "submit", liaison, text=f"{mark}二稿")
    meeting = Meeting.objects.create(unit=unit, kind=Meeting.Kind.DEMOCRATIC_LIFE, planned_on=dt.date(2014, 1, 20),
                                     status=Meeting.Status.HELD, held_on=dt.date(2014, 1, 20))
    MeetingAttendance.objects.create(meeting=meeting, group=group, attendee=member, comment=f"{mark}点评")
    plan = RectificationPlan.objects.create(unit=unit, campaign=world.campaign, title=f"{mark}整改方案", responsible_person="李四")
    LookBackReport.objects.create(unit=unit, campaign=world.campaign, created_by=liaison, summary=f"{mark}回头看")
    for n in range(copies):
        RectificationItem.objects.create(plan=plan, problem=f"{mark}问题{n}", measures="精简", owner="张三",
                                         due_on=dt.date(2014, 3, 1))
        Opinion.objects.create(collected_by=unit, text=f"{mark}意见{n}", channel=Opinion.Channel.FACE_TO_FACE,
                               collected_on=dt.date(2013, 12, 1))
        Visit.objects.create(group=group, unit=unit, kind=Visit.Kind.UNANNOUNCED, visited_on=dt.date(2013, 12, 2),
                             findings=f"{mark}调研发现{n}", recorded_by=member)
        Evaluation.objects.create(group=group, unit=unit, subject=Evaluation.Subject.RECTIFICATION,
                                  rating=Evaluation.Rating.GOOD, text=f"{mark}评估{n}", evaluated_by=member)
        Feedback.objects.create(group=group, unit=unit, subject=f"{mark}反馈{n}", text="意见", drafted_by=member)


@pytest.fixture
def dossiers(world):
    world.group_leader.full_name = "王组长"
    world.group_leader.save()
    records_about(world, world.organ, world.group, world.group_leader, world.liaison_organ, world.obligation_organ, "甲单位")
    records_about(world, world.organ2, world.other_group, world.other_member, world.liaison_organ2,
                  world.obligation_organ2, "乙单位")
    return world


def dossier(client, unit, **query):
    return client.get(reverse("supervision:unit", kwargs={"unit_id": unit.pk}), query)


def test_a_member_sees_every_kind_of_record_of_its_unit_and_nothing_of_another_groups(dossiers, client):
    world = dossiers
    client.force_login(world.group_member)
    page = dossier(client, world.organ)
    assert page.status_code == 200
    html = page.content.decode()
    for text in ("初步书面总结", "甲单位.pdf", "第 2 版", "甲单位退回理由", "王组长", "甲单位点评", "甲单位整改方案",
                 "甲单位问题0", "甲单位回头看", "甲单位意见0", "甲单位调研发现0", "甲单位评估0", "甲单位反馈0"):
        assert text in html, text
    for kind in ("obligations", "meetings", "opinions", "visits", "evaluations", "feedback", "rectification", "lookback"):
        assert f'data-dossier-kind="{kind}"' in html, kind
    assert "乙单位" not in html
    # The forms are Bootstrap fields, not as_p, and the democratic life meeting offers the comment form.
    assert 'class="form-select' in html and "<p>" not in html.split('id="visit-form"')[1].split("</form>")[0]
    assert 'data-attend="' in html
    # The member records what the masses said during the visit from here.
    opinion_url = reverse("units:opinion_new", kwargs={"unit_id": world.organ.pk})
    assert f'href="{opinion_url}"' in html and client.get(opinion_url).status_code == 200
    # Another group's unit: not even its existence.
    assert dossier(client, world.organ2).status_code == 404
    client.force_login(world.liaison_organ)
    assert dossier(client, world.organ).status_code == 403


def test_filters_narrow_the_dossier_and_refuse_nonsense_with_a_message(dossiers, client):
    world = dossiers
    client.force_login(world.group_member)
    html = dossier(client, world.organ, kind="visits").content.decode()
    assert "甲单位调研发现0" in html and "甲单位意见0" not in html and 'data-dossier-kind="rectification"' not in html
    html = dossier(client, world.organ, kind="rectification").content.decode()
    assert "甲单位问题0" in html and "甲单位调研发现0" not in html
    html = dossier(client, world.organ, date_from="2013-12-02", date_to="2013-12-02").content.decode()
    assert "甲单位调研发现0" in html and "甲单位意见0" not in html
    html = dossier(client, world.organ, date_from="2014-02-01", date_to="2013-01-01", kind="nonsense",
                   requirement="9" * 30).content.decode()
    assert "结束日期不能早于起始日期" in html and "没有这种记录类别" in html and "该单位没有这项报送要求" in html
    assert "甲单位意见0" in html  # refused filters filter nothing
    requirement = world.obligation_organ.requirement_id
    html = dossier(client, world.organ, requirement=str(requirement), kind="obligations").content.decode()
    assert "甲单位退回理由" in html


# Session, user, scope, campaign, the filter's requirements, each section, the attendable meetings.
QUERIES = 28


@pytest.mark.parametrize("copies", [1, 25])
def test_the_dossier_costs_the_same_queries_whatever_its_length(world, client, django_assert_max_num_queries, copies):
    records_about(world, world.organ, world.group, world.group_leader, world.liaison_organ, world.obligation_organ, "甲",
                  copies=copies)
    client.force_login(world.group_member)
    with django_assert_max_num_queries(QUERIES):
        html = dossier(client, world.organ).content.decode()
    assert ('data-more="visits"' in html) == (copies > 10)
    assert html.count("data-visit=") == min(copies, 10)
    with django_assert_max_num_queries(QUERIES):
        html = dossier(client, world.organ, kind="visits").content.decode()
    assert html.count("data-visit=") == copies  # asked alone: one page of up to 50
