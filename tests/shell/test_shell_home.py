"""The home page: one section per role, each showing only that role's own data."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaign.actions import fan_out
from campaign.models import Directive, ObligationStatus, Requirement
from supervision.models import GroupAssignment


def panel(response, name):
    """The context of one panel of the home page (core.panels), or None when it is not shown."""
    return next((p.context[name] for p in response.context["panels"] if p.name == name), None)

pytestmark = pytest.mark.django_db


def home_for(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response


def row_counts(response, requirement):
    return next(r for r in panel(response, "office")["requirements"] if r.pk == requirement.pk)


def test_anonymous_home_redirects_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "next=/" in response["Location"]


def test_liaison_sees_own_obligation_with_due_moment_not_other_units(client, world):
    response = home_for(client, world.liaison_organ)
    html = response.content.decode()
    assert 'id="liaison-section"' in html
    assert f'data-obligation="{world.obligation_organ.pk}"' in html
    assert f'data-obligation="{world.obligation_organ2.pk}"' not in html
    assert "初步书面总结" in html
    assert "省发展改革委" in html
    assert "省教育厅" not in html
    # "2014年1月10日前" is due by the end of 10 January, shown in Asia/Shanghai.
    assert "2014年1月10日 23:59" in html
    # Long past due and not submitted: red badge.
    assert 'data-light="overdue"' in html
    # A liaison is neither office staff nor a group member.
    assert panel(response, "office") is None
    assert panel(response, "supervision") is None


def test_liaison_list_puts_open_work_first_most_urgent_first(client, world):
    later = Requirement(
        directive=world.zj_48, title="正式书面总结", scope_unit=world.province, submit_to=world.province,
        target_batch=world.batch1, deadline_text="2014年1月20日前",
    )
    later.resolve_deadline()
    later.save()
    fan_out(later, actor=None)
    earliest_done = Requirement(
        directive=world.zj_48, title="情况报告", scope_unit=world.province, submit_to=world.province,
        target_batch=world.batch1, deadline_text="2014年1月5日前",
    )
    earliest_done.resolve_deadline()
    earliest_done.save()
    fan_out(earliest_done, actor=None)
    earliest_done.obligations.filter(unit=world.organ).update(status=ObligationStatus.ACCEPTED)

    response = home_for(client, world.liaison_organ)
    titles = [o.requirement.title for o in panel(response, "liaison")["obligations"]]
    assert titles == ["初步书面总结", "正式书面总结", "情况报告"]
    assert [o.light for o in panel(response, "liaison")["obligations"]] == ["overdue", "overdue", "done"]


def test_office_sees_directives_and_requirement_counts(client, world):
    world.obligation_organ.status = ObligationStatus.SUBMITTED
    world.obligation_organ.save()
    response = home_for(client, world.office_province)
    html = response.content.decode()
    assert 'id="office-section"' in html
    assert "浙群组发〔2013〕48号" in html
    assert "群组发〔2013〕29号" in html
    directives = panel(response, "office")["directives"]
    # Latest first, with the number of requirements each states.
    assert [d.pk for d in directives][:2] == [world.zj_48.pk, world.central_29.pk]
    assert {d.pk: d.requirement_count for d in directives}[world.zj_48.pk] == 1
    row = row_counts(response, world.requirement)
    assert (row.total_count, row.pending_count, row.submitted_count, row.returned_count, row.accepted_count) == (3, 2, 1, 0, 0)
    # Pending since 2014: both still-open obligations are overdue; the submitted one is not.
    assert row.overdue_count == 2
    assert "2014年1月10日 23:59" in html


def test_office_counts_and_directives_stay_inside_its_subtree(client, world):
    ningbo_only = Directive(
        campaign=world.campaign, doc_type="通知", issuing_unit=world.ningbo, issuer_name="宁波市委领导小组",
        title="宁波市内部通知", signed_on=dt.date(2014, 1, 2),
    )
    ningbo_only.set_number("甬群组发〔2014〕1号")
    ningbo_only.save()
    organ_only = Directive(
        campaign=world.campaign, doc_type="通知", issuing_unit=world.organ, issuer_name="省发展改革委",
        title="省发展改革委内部通知", signed_on=dt.date(2014, 1, 3),
    )
    organ_only.save()

    html = home_for(client, world.office_hangzhou).content.decode()
    assert "宁波市内部通知" not in html
    assert "省发展改革委内部通知" not in html
    # The provincial directive came down to Hangzhou, but its obligations (provincial organs) are
    # not in Hangzhou's subtree: Hangzhou's counts are zero.
    response = home_for(client, world.office_hangzhou)
    row = row_counts(response, world.requirement)
    assert (row.total_count, row.pending_count, row.overdue_count) == (0, 0, 0)

    province_html = home_for(client, world.office_province).content.decode()
    assert "宁波市内部通知" in province_html
    assert "省发展改革委内部通知" in province_html


def test_group_member_sees_assigned_units_with_open_counts(client, world):
    response = home_for(client, world.group_member)
    html = response.content.decode()
    assert 'id="supervision-section"' in html
    assert "省委第一督导组" in html
    assert "省发展改革委" in html
    assert "省教育厅" not in html
    assert "省委第二督导组" not in html
    (group,) = panel(response, "supervision")["groups"]
    (assignment,) = group.current_assignments
    assert assignment.unit == world.organ
    assert (assignment.open_count, assignment.overdue_count) == (1, 1)
    assert panel(response, "office") is None
    assert panel(response, "liaison") is None


def test_group_card_ranking_is_kept_until_the_member_acts(client, world):
    """Ranking every assigned unit by its overdue work aggregates all their obligations: kept for
    the member a short while (core.personal_cache), ranked again after anything they do."""
    def ranked(response_queries):
        return any("ROW_NUMBER" in query["sql"].upper() for query in response_queries.captured_queries)

    client.force_login(world.group_member)
    with CaptureQueriesContext(connection) as first:
        client.get(reverse("home"))
    with CaptureQueriesContext(connection) as second:
        response = client.get(reverse("home"))
    assert ranked(first) and not ranked(second)
    (group,) = panel(response, "supervision")["groups"]
    (assignment,) = group.current_assignments
    assert (assignment.unit, assignment.open_count, assignment.overdue_count) == (world.organ, 1, 1)
    client.post(reverse("notifications:mark_all_read"))
    with CaptureQueriesContext(connection) as third:
        client.get(reverse("home"))
    assert ranked(third)


def test_group_member_does_not_see_ended_assignments(client, world):
    GroupAssignment.objects.filter(pk=world.assignment.pk).update(ends_on=dt.date(2014, 2, 1))
    response = home_for(client, world.group_member)
    (group,) = panel(response, "supervision")["groups"]
    assert group.current_assignments == []
    assert "省发展改革委" not in response.content.decode()


def test_user_with_several_roles_sees_a_section_per_role(client, world):
    from units.models import UnitMembership

    UnitMembership.objects.create(user=world.group_member, unit=world.organ2, role=UnitMembership.Role.LIAISON)
    html = home_for(client, world.group_member).content.decode()
    assert 'id="supervision-section"' in html
    assert 'id="liaison-section"' in html
    assert f'data-obligation="{world.obligation_organ2.pk}"' in html
    assert 'id="office-section"' not in html


def test_user_without_role_is_told_so(client, world):
    from tests.conftest import make_user

    nobody = make_user("nobody")
    response = home_for(client, nobody)
    html = response.content.decode()
    assert 'id="no-role"' in html
    assert "尚未分配角色" in html
    assert "初步书面总结" not in html
    assert "浙群组发" not in html


def test_superuser_sees_office_section_over_everything(client, world):
    response = home_for(client, world.superuser)
    row = row_counts(response, world.requirement)
    assert row.total_count == 3


@pytest.mark.parametrize("persona", ["office_province", "office_hangzhou", "group_member", "liaison_organ", "superuser"])
def test_home_query_count_does_not_grow_with_rows(client, world, persona, django_assert_max_num_queries):
    # Many more directives, requirements and obligations must not add queries.
    for serial in range(2, 12):
        directive = Directive(
            campaign=world.campaign, doc_type="通知", issuing_unit=world.province, issuer_name="省委领导小组",
            title=f"通知{serial}", signed_on=dt.date(2014, 1, serial),
        )
        directive.set_number(f"浙群组发〔2014〕{serial}号")
        directive.save()
        requirement = Requirement(
            directive=directive, title=f"事项{serial}", scope_unit=world.province, submit_to=world.province,
            deadline_text=f"2014年2月{serial}日前",
        )
        requirement.resolve_deadline()
        requirement.save()
        fan_out(requirement, actor=None)
    user = getattr(world, persona)
    client.force_login(user)
    # 12, and the to-do panel that leads the page (notifications.todo): its first items, one query per
    # kind shown, and for late units the dashboard's figures (their fingerprint query).
    with django_assert_max_num_queries(15):
        response = client.get(reverse("home"))
    assert response.status_code == 200


def test_office_counts_are_the_dashboards_cached_figures(client, world):
    """One aggregation serves the dashboard and the home page; a warm home page runs none, and
    the counts follow changes to the obligations."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from campaign.models import Obligation

    cache.clear()
    client.force_login(world.office_province)
    dashboard = client.get(reverse("campaign:dashboard")).context["progress"]
    (requirement_info, expected), = [(info, counts) for info, counts in dashboard.by_requirement
                                     if info["pk"] == world.requirement.pk]
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("home"))
    row = row_counts(response, world.requirement)
    assert (row.total_count, row.pending_count, row.overdue_count) == (expected.total, expected.pending, expected.overdue)
    assert not [q for q in ctx.captured_queries if "campaign_obligation" in q["sql"] and "GROUP BY" in q["sql"]]

    Obligation.objects.filter(pk=world.obligation_organ.pk).update(status=ObligationStatus.ACCEPTED, updated_at=timezone.now())
    # A bulk write marks what it changed; the worker's refresh counts again (campaign.dashboard_cache).
    from campaign import dashboard as figures
    from campaign.tasks import refresh_dashboards

    figures.mark_changed(world.organ.path)
    refresh_dashboards([[world.province.path, str(world.campaign.pk)]])
    row = row_counts(home_for(client, world.office_province), world.requirement)
    assert (row.total_count, row.pending_count, row.accepted_count, row.overdue_count) == (3, 2, 1, 2)


def test_nested_offices_count_each_obligation_once(client, world):
    from units.models import UnitMembership

    UnitMembership.objects.create(user=world.office_province, unit=world.hangzhou, role=UnitMembership.Role.OFFICE)
    row = row_counts(home_for(client, world.office_province), world.requirement)
    assert row.total_count == 3
