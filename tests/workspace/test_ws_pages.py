"""The unit workspace and the obligation pages: urgency order, traffic lights, phases,
notifications, scoping, and a bounded number of queries."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from campaign import workflow
from campaign.actions import fan_out
from campaign.models import Phase, Requirement
from notifications.models import Notification
from tests.workspace.workspace_helpers import PDF, logged_in, upload


def extra_requirement(world, title, phase_code, due_in_days):
    requirement = Requirement(
        directive=world.zj_48, title=title, phase=Phase.objects.get(code=phase_code), scope_unit=world.province,
        submit_to=world.province, target_batch=world.batch1, deadline_text="2014年1月10日前", route="supervision",
    )
    requirement.resolve_deadline()
    requirement.due_at = timezone.now() + dt.timedelta(days=due_in_days)
    requirement.save()
    fan_out(requirement, actor=None)
    return requirement.obligations.get(unit=world.organ)


def test_workspace_orders_by_urgency_with_lights_phases_and_notifications(world, client, django_assert_max_num_queries):
    client_for = logged_in(client)
    later = extra_requirement(world, "整改方案", "rectification", 30)
    soon = extra_requirement(world, "对照检查材料", "examination", 2)
    # The 10 January 2014 summary is long overdue; return it so it shows a notification.
    workflow.transition(world.obligation_organ, "submit", world.liaison_organ, text="初稿")
    workflow.transition(world.obligation_organ, "return", world.group_member, reason="请补充整改成效")
    Notification.objects.create(user=world.liaison_organ, title="提醒：初步书面总结将于3天后截止")
    Notification.objects.create(user=world.liaison_organ2, title="别人的提醒")
    client = client_for(world.liaison_organ)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("campaign:workspace")).content.decode()
    table = page.split('id="my-obligations"')[1].split("</table>")[0]
    assert table.index("初步书面总结") < table.index("对照检查材料") < table.index("整改方案")
    assert 'data-light="overdue"' in table and 'data-light="due_soon"' in table and 'data-light="on_track"' in table
    assert "已逾期" in table and "还剩" in table
    assert "查摆问题、开展批评" in page and "整改落实、建章立制" in page and "总结" in page
    notifications = page.split('id="notifications"')[1].split("</ul>")[0]
    assert "请补充整改成效" in notifications
    assert "省教育厅" not in page
    inbox = page.split('id="inbox"')[1].split("</ul>")[0]
    assert "提醒：初步书面总结将于3天后截止" in inbox and "别人的提醒" not in inbox
    assert later.pk and soon.pk


def test_obligation_page_is_scoped_and_bounded(world, client, django_assert_max_num_queries):
    client_for = logged_in(client)
    workflow.transition(world.obligation_organ, "submit", world.liaison_organ, text="初稿", files=[upload("总结.pdf", PDF)])
    url = reverse("campaign:obligation", kwargs={"obligation_id": world.obligation_organ.pk})
    leader = client_for(world.group_leader)
    with django_assert_max_num_queries(25):
        page = leader.get(url).content.decode()
    assert 'id="review-form"' in page and "总结.pdf" in page
    assert 'id="review-form"' not in client_for(world.liaison_organ).get(url).content.decode()
    assert client_for(world.liaison_organ2).get(url).status_code == 404
    assert client_for(world.office_hangzhou).get(url).status_code == 404
    submission = world.obligation_organ.submissions.get()
    surl = reverse("campaign:submission", kwargs={"submission_id": submission.pk})
    assert client_for(world.liaison_organ2).get(surl).status_code == 404
    assert "总结.pdf" in client_for(world.office_province).get(surl).content.decode()


def test_office_review_queue(world, client, django_assert_max_num_queries):
    client_for = logged_in(client)
    world.requirement.route = "office"
    world.requirement.save()
    workflow.transition(world.obligation_organ, "submit", world.liaison_organ, text="初稿")
    office = client_for(world.office_province)
    with django_assert_max_num_queries(16):
        page = office.get(reverse("campaign:review_queue")).content.decode()
    assert "省发展改革委" in page and "初步书面总结" in page
    assert "省发展改革委" not in client_for(world.office_hangzhou).get(reverse("campaign:review_queue")).content.decode()
