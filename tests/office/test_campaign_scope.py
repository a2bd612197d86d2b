"""The current campaign (campaign.current): chosen in the top bar, kept in the session, and every
list, dashboard and export shows its rows only."""

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from campaign import actions, blueprints
from campaign.actions import fan_out
from campaign.models import Campaign, Directive, Obligation, Requirement, Route
from rectification.models import RectificationItem, RectificationPlan
from supervision.models import SupervisionGroup
from tests.exports import export


@pytest.fixture
def second(world):
    """A later, launched campaign B with one directive and one requirement binding Hangzhou and Ningbo."""
    b = actions.create_campaign("“三严三实”专题教育", "三严三实", dt.date(2015, 4, 28), None, blueprints.THEME_EDUCATION,
                                actor=world.office_province, office=world.province)
    actions.launch_campaign(b, actor=world.office_province)
    directive = Directive(campaign=b, doc_type="通知", issuing_unit=world.province, issuer_name="中共浙江省委",
                          title="关于开展“三严三实”专题教育的通知", signed_on=dt.date(2015, 5, 4))
    directive.set_number("浙委办发〔2015〕30号")
    directive.save()
    requirement = Requirement(directive=directive, title="专题教育方案", scope_unit=world.province, submit_to=world.province,
                              deadline_text="2015年5月20日前", route=Route.OFFICE, phase=b.phases.get(code="study"))
    requirement.target_levels = ["city"]
    requirement.resolve_deadline()
    requirement.save()
    fan_out(requirement, actor=None)
    b.directive, b.requirement = directive, requirement
    return b


def switch(client, campaign):
    return client.post(reverse("campaign:campaign_switch"), {"campaign": campaign.pk, "next": "/directives/"})


def listed_directives(client):
    return {d.pk for d in client.get(reverse("campaign:directives")).context["page"]}


def test_the_latest_launched_campaign_is_current_by_default(office, world, second):
    assert listed_directives(office) == {second.directive.pk}
    response = switch(office, world.campaign)
    assert response.status_code == 302 and response.url == "/directives/"
    assert listed_directives(office) == {world.zj_48.pk, world.central_29.pk}
    # the top bar says which one, and offers the others
    page = office.get(reverse("home")).content.decode()
    assert 'data-testid="campaign-switch"' in page and "三严三实" in page and "群众路线" in page


def test_a_draft_is_current_only_when_chosen_and_only_for_offices(client, office, world, second):
    draft = actions.create_campaign("草稿活动", "", dt.date(2016, 1, 1), None, blueprints.BLANK,
                                    actor=world.office_province, office=world.province)
    assert listed_directives(office) == {second.directive.pk}  # the latest *launched* one
    switch(office, draft)
    assert office.get(reverse("campaign:directives")).context["campaign"] == draft
    client.force_login(world.liaison_organ)
    assert switch(client, draft).status_code == 302
    assert "草稿活动" not in client.get(reverse("home")).content.decode()


def test_switching_to_an_unknown_campaign_or_away_is_refused(office, world, second):
    for value in ("", "abc", "999999", "１"):
        assert office.post(reverse("campaign:campaign_switch"), {"campaign": value, "next": "https://evil.example/"}).url == "/"
    assert listed_directives(office) == {second.directive.pk}


def test_dashboard_and_export_follow_the_current_campaign(office, world, second):
    dashboard = reverse("campaign:dashboard")
    titles = lambda: [info["title"] for info, _counts in office.get(dashboard).context["progress"].by_requirement]  # noqa: E731
    assert titles() == ["专题教育方案"]
    workbook = openpyxl.load_workbook(io.BytesIO(export(office, reverse("campaign:dashboard_export")).content))
    assert {row[4] for row in workbook.active.iter_rows(min_row=2, values_only=True)} == {"专题教育方案"}
    switch(office, world.campaign)
    assert titles() == ["初步书面总结"]
    workbook = openpyxl.load_workbook(io.BytesIO(export(office, reverse("campaign:dashboard_export")).content))
    assert {row[4] for row in workbook.active.iter_rows(min_row=2, values_only=True)} == {"初步书面总结"}


def test_home_follows_the_current_campaign(office, world, second):
    office_panel = lambda: office.get(reverse("home")).content.decode()  # noqa: E731
    assert "专题教育方案" in office_panel() and "初步书面总结" not in office_panel()
    switch(office, world.campaign)
    assert "初步书面总结" in office_panel() and "专题教育方案" not in office_panel()


def test_review_queue_and_workspace_follow_it(client, office, world, second):
    ob = second.requirement.obligations.get(unit=world.hangzhou)
    Obligation.objects.filter(pk=ob.pk).update(status="submitted", submitted_at=ob.due_at)
    queue = lambda: [o.pk for o in office.get(reverse("campaign:review_queue")).context["queue"]]  # noqa: E731
    assert queue() == [ob.pk]
    switch(office, world.campaign)
    assert queue() == []
    client.force_login(world.liaison_organ)
    assert [o.pk for o in client.get(reverse("campaign:workspace")).context["obligations"]] == []  # B is current
    switch(client, world.campaign)
    assert [o.pk for o in client.get(reverse("campaign:workspace")).context["obligations"]] == [world.obligation_organ.pk]


def test_participants_follow_it(office, world, second):
    page = office.get(reverse("campaign:participants"))
    assert page.context["campaign"] == second and not list(page.context["page"])
    response = office.post(reverse("campaign:participants"), {"batch": "", "codes": "330100"})
    assert response.status_code == 302
    assert second.participations.get().unit == world.hangzhou
    switch(office, world.campaign)
    assert office.get(reverse("campaign:participants")).context["campaign"] == world.campaign


def test_a_new_directive_belongs_to_the_current_campaign(office, world, second):
    from tests.office.test_directives import directive_post

    office.post(reverse("campaign:directive_create"), directive_post(world, "浙群组发〔2015〕1号", signed_on="2015-05-04",
                                                                      printed_on="2015-05-05"))
    assert Directive.objects.get(number="浙群组发〔2015〕1号").campaign == second
    switch(office, world.campaign)
    office.post(reverse("campaign:directive_create"), directive_post(world, "浙群组发〔2013〕60号"))
    assert Directive.objects.get(number="浙群组发〔2013〕60号").campaign == world.campaign
    # a forward belongs to the forwarded directive's campaign, whichever is current
    switch(office, second)
    office.post(reverse("campaign:directive_forward", args=[world.central_29.pk]),
                directive_post(world, "浙群组发〔2013〕61号"))
    assert Directive.objects.get(number="浙群组发〔2013〕61号").campaign == world.campaign


def test_no_directive_in_a_draft(office, world):
    from tests.office.test_directives import directive_post

    draft = actions.create_campaign("筹备中的活动", "", dt.date(2016, 1, 1), None, blueprints.BLANK,
                                    actor=world.office_province, office=world.province)
    switch(office, draft)
    response = office.post(reverse("campaign:directive_create"), directive_post(world, "浙群组发〔2016〕1号", signed_on="2016-01-04",
                                                                                 printed_on=""))
    assert response.status_code == 200 and "尚在筹备中" in response.content.decode()
    assert not Directive.objects.filter(campaign=draft).exists()


def test_rectification_and_supervision_follow_it(client, office, world, second):
    plan = RectificationPlan.objects.create(campaign=world.campaign, unit=world.organ, title="整改方案", responsible_person="张三")
    RectificationItem.objects.create(plan=plan, problem="问题", measures="措施", owner="李四", due_on=dt.date(2014, 3, 1),
                                     needs_upper_level=True)
    upper = lambda: client.get(reverse("rectification:overview")).context["upper"]  # noqa: E731
    client.force_login(world.office_province)
    assert upper() == []
    switch(client, world.campaign)
    assert len(upper()) == 1
    # the unit page creates plans in the current campaign
    assert client.get(reverse("rectification:unit", args=[world.organ.pk])).context["campaign"] == world.campaign
    switch(client, second)
    assert client.get(reverse("rectification:unit", args=[world.organ.pk])).context["campaign"] == second
    # supervision groups belong to a campaign
    SupervisionGroup.objects.create(campaign=second, office=world.province, name="专题教育督导组")
    rows = client.get(reverse("supervision:groups")).context["rows"]
    assert [group.name for group, _load in rows] == ["专题教育督导组"]


def test_a_groups_counts_and_a_units_task_count_follow_it(client, world, second):
    """The group's units count only the current campaign's open work, and so does a unit's page."""
    from campaign.models import Participation
    from supervision.models import GroupAssignment, GroupMember

    Participation.objects.get_or_create(campaign=second, unit=world.hangzhou)
    earlier = Requirement(directive=world.zj_48, title="市级实施方案", scope_unit=world.province, submit_to=world.province,
                          deadline_text="2014年2月28日前", route=Route.OFFICE, target_levels=["city"])
    earlier.resolve_deadline()
    earlier.save()
    fan_out(earlier, actor=None)  # Hangzhou owes work in the first campaign too
    group = SupervisionGroup.objects.create(campaign=second, office=world.province, name="专题教育督导组")
    GroupMember.objects.create(group=group, user=world.group_member)
    GroupAssignment.objects.create(group=group, unit=world.hangzhou, starts_on=dt.date(2015, 5, 1))
    client.force_login(world.group_member)
    switch(client, second)
    assignments = {a.unit: a for a in client.get(reverse("supervision:workspace")).context["assignments"]}
    assert assignments[world.hangzhou].open_count == 1  # 专题教育方案 only
    client.force_login(world.office_province)
    switch(client, second)
    assert client.get(world.organ.get_absolute_url()).context["obligation_count"] == 0
    switch(client, world.campaign)
    assert client.get(world.organ.get_absolute_url()).context["obligation_count"] == 1


def test_pages_cost_the_same_with_the_switcher(office, world, second, django_assert_max_num_queries):
    for url in (reverse("campaign:directives"), reverse("campaign:campaigns"), reverse("campaign:campaign", args=[second.pk])):
        office.get(url)
        with django_assert_max_num_queries(14):
            assert office.get(url).status_code == 200


def test_campaigns_list_shows_status(office, world, second):
    page = office.get(reverse("campaign:campaigns")).content.decode()
    assert "进行中" in page and "三严三实" in page
    assert Campaign.objects.launched().count() == 2
