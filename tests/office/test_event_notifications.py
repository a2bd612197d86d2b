"""Event notifications (issue 13): each happening produces exactly one notification for exactly the
right people, through the outbox, in each recipient's language, on the channels they keep."""

import datetime as dt
from collections import Counter

import pytest
from django.core import mail
from django.utils import translation

from campaign import actions, chases, workflow
from campaign.models import Meeting, Obligation, Route
from core import clock
from notifications.models import Delivery, Event, Notification
from rectification import workflow as item_workflow
from rectification.models import RectificationItem, RectificationPlan
from supervision import workflow as feedback_workflow
from supervision.models import Feedback
from tests.conftest import deliver_events
from tests.workspace.workspace_helpers import PDF, upload


@pytest.fixture
def told(people, settings):
    """Deliver what is waiting and return {username: [item texts]} of the notifications made since."""
    settings.NOTIFICATION_CHANNELS = ["inapp", "email"]
    deliver_events()
    Notification.objects.all().delete()
    mail.outbox.clear()

    def collect():
        deliver_events()
        found = {}
        for note in Notification.objects.select_related("user").order_by("pk"):
            found.setdefault(note.user.username, []).extend(item["text"] for item in note.items)
        Notification.objects.all().delete()
        return found

    return collect


def test_a_new_obligation_tells_the_units_liaisons(people, told):
    from campaign.models import Requirement

    requirement = Requirement(directive=people.zj_48, title="整改落实情况", scope_unit=people.province,
                              submit_to=people.province, target_batch=people.batch1, deadline_text="2014年2月28日前")
    requirement.resolve_deadline()
    requirement.save()
    actions.fan_out(requirement, actor=people.office_province)
    news = told()
    assert set(news) == {"liaison_fgw", "liaison_jyt"}
    assert news["liaison_fgw"] == ["新的报送任务：省发展改革委 · “整改落实情况”，截止时间 2014年2月28日 23:59"]


def test_submission_review_and_decisions_reach_the_reviewers_then_the_liaisons(people, told):
    ob = people.obligation_organ  # group-first route: the group over 省发展改革委 reviews
    workflow.transition(ob, "submit", people.liaison_organ, text="初稿", files=[upload("总结.pdf", PDF)])
    news = told()
    assert Counter({k: len(v) for k, v in news.items()}) == Counter({"sup_leader": 1, "sup_member": 1})
    assert news["sup_member"] == ["省发展改革委报送了“初步书面总结”（第 1 版），请审核"]

    workflow.transition(ob, "return", people.group_member, reason="缺少整改成效数据")
    assert told() == {"liaison_fgw": ["“初步书面总结”被退回，请修改后重新报送。理由：缺少整改成效数据"]}
    workflow.transition(ob, "submit", people.liaison_organ, text="修改稿", files=[upload("总结2.pdf", PDF)])
    assert set(told()) == {"sup_leader", "sup_member"}
    workflow.transition(ob, "approve", people.group_leader)
    assert told() == {"liaison_fgw": ["“初步书面总结”已审核通过"]}


def test_on_the_office_route_the_office_reviews(people, told):
    people.requirement.route = Route.OFFICE
    people.requirement.save(update_fields=["route"])
    workflow.transition(people.obligation_organ, "submit", people.liaison_organ, text="初稿", files=[upload("a.pdf", PDF)])
    assert set(told()) == {"office_zj"}


def test_feedback_sign_off_request_and_sign_off(people, told):
    feedback = Feedback.objects.create(group=people.group, unit=people.organ, subject="对照检查材料的意见",
                                       text="……", drafted_by=people.group_member)
    feedback_workflow.transition(feedback, "request_sign_off", people.group_member)
    assert told() == {"sup_leader": ["对省发展改革委的反馈意见“对照检查材料的意见”待您签发"]}
    feedback_workflow.transition(feedback, "sign_off", people.group_leader)
    news = told()
    assert set(news) == {"liaison_fgw", "sup_leader", "sup_member"}
    assert news["liaison_fgw"] == ["督导组对省发展改革委的反馈意见“对照检查材料的意见”已签发"]


def test_a_moved_deadline_tells_the_liaisons_old_and_new(people, told):
    from campaign.models import Requirement

    previous = Requirement.objects.get(pk=people.requirement.pk)
    people.requirement.deadline_text = "2014年2月28日前"
    people.requirement.resolve_deadline()
    actions.save_requirement(people.requirement, actor=people.office_province)
    news = told()
    assert set(news) == {"liaison_fgw", "liaison_jyt"}
    assert news["liaison_fgw"] == ["省发展改革委 · “初步书面总结”的截止时间由 2014年1月10日 23:59 调整为 2014年2月28日 23:59"]
    assert previous.due_at != people.requirement.due_at


def test_close_request_and_decisions(people, told):
    plan = RectificationPlan.objects.create(campaign=people.campaign, unit=people.organ, title="整改方案",
                                            responsible_person="张三")
    item = RectificationItem.objects.create(plan=plan, problem="会议过多", four_winds="formalism", measures="精简会议",
                                            owner="李四", due_on=dt.date.today() + dt.timedelta(days=30))
    item_workflow.transition(item, "request_close", people.liaison_organ, evidence="会议台账")
    news = told()
    assert set(news) == {"sup_leader", "sup_member"}
    assert news["sup_leader"] == ["省发展改革委申请整改事项“会议过多”销号，请审核"]
    item_workflow.transition(item, "reject_close", people.group_leader, reason="佐证材料不足")
    assert told() == {"liaison_fgw": ["整改事项“会议过多”的销号申请被退回，请继续整改。理由：佐证材料不足"]}
    item_workflow.transition(item, "request_close", people.liaison_organ, evidence="补充台账")
    told()
    item_workflow.transition(item, "approve_close", people.group_leader)
    assert told() == {"liaison_fgw": ["整改事项“会议过多”已销号"]}


def test_a_scheduled_meeting_tells_the_group(people, told):
    meeting = Meeting(kind=Meeting.Kind.DEMOCRATIC_LIFE, planned_on=dt.date(2014, 1, 20),
                      phase=people.campaign.phases.get(code="examination"))
    actions.plan_meeting(meeting, unit=people.organ, actor=people.liaison_organ)
    news = told()
    assert set(news) == {"sup_leader", "sup_member"}
    assert news["sup_member"] == ["省发展改革委的专题民主生活会定于 2014年1月20日 召开"]
    meeting.planned_on = dt.date(2014, 1, 22)
    actions.prepare_meeting(meeting, actor=people.liaison_organ)
    assert set(told()) == {"sup_leader", "sup_member"}
    meeting.notes = "准备谈心谈话"
    actions.prepare_meeting(meeting, actor=people.liaison_organ)
    assert told() == {}  # the same day again: nothing new to say


def test_a_chase_and_its_repeat_tell_once_each(people, told):
    result = chases.chase(Obligation.objects.filter(pk=people.obligation_organ.pk), actor=people.office_province,
                          note="请尽快报送")
    assert len(result.chased) == 1
    assert list(told()) == ["liaison_fgw"]
    again = chases.chase(Obligation.objects.filter(pk=people.obligation_organ.pk), actor=people.office_province)
    assert again.chased == [] and len(again.already_today) == 1 and told() == {}
    confirmed = chases.chase(Obligation.objects.filter(pk=people.obligation_organ.pk), actor=people.office_province,
                             confirm=True)
    assert len(confirmed.chased) == 1 and list(told()) == ["liaison_fgw"]


def test_the_same_happening_is_recorded_once(people):
    from notifications.events import tell

    assert tell([people.liaison_organ.pk], Event.Kind.APPROVED, "approve:1:v1", {"title": "x"}) == 1
    tell([people.liaison_organ.pk], Event.Kind.APPROVED, "approve:1:v1", {"title": "x"})
    assert Event.objects.filter(key="approve:1:v1").count() == 1


def test_each_recipient_reads_in_their_own_language_on_the_channels_they_keep(people, told, settings):
    people.liaison_organ.language = "en"
    people.liaison_organ.quiet_channels = ["email"]
    people.liaison_organ.save()
    chases.chase(Obligation.objects.filter(pk__in=[people.obligation_organ.pk, people.obligation_organ2.pk]),
                 actor=people.office_province, note="")
    with translation.override("zh-hans"):
        news = told()
    assert news["liaison_fgw"][0].startswith("[Chase]")
    assert news["liaison_jyt"][0].startswith("【催办】")
    # E-mail: the one who turned it off gets none, and the delivery says why.
    assert [message.to for message in mail.outbox] == [["liaison_jyt@example.org"]]
    skipped = Delivery.objects.filter(digest__recipient=people.liaison_organ, channel="email").latest("pk")
    assert skipped.status == Delivery.Status.SKIPPED


def test_preferences_page_sets_language_and_channels_and_the_switch_remembers(people, client, settings):
    from django.urls import reverse

    from audit.models import AuditEntry

    settings.NOTIFICATION_CHANNELS = ["inapp", "email"]
    client.force_login(people.liaison_organ)
    page = client.get(reverse("notifications:preferences"))
    assert page.status_code == 200 and "电子邮件" in page.content.decode()
    response = client.post(reverse("notifications:preferences"), {"language": "en", "channels": []})
    assert response.status_code == 302
    people.liaison_organ.refresh_from_db()
    assert people.liaison_organ.language == "en" and people.liaison_organ.quiet_channels == ["email"]
    assert AuditEntry.objects.for_object(people.liaison_organ).filter(action="preferences").count() == 1
    # Nonsense is refused with a message, never a 500.
    bad = client.post(reverse("notifications:preferences"), {"language": "xx", "channels": ["telegraph"]})
    assert bad.status_code == 200 and "errorlist" in bad.content.decode() or "is-invalid" in bad.content.decode()
    # The language switch remembers the choice for the person's messages.
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    people.liaison_organ.refresh_from_db()
    assert people.liaison_organ.language == "zh-hans"
    # With no cookie (a new browser), the person's language is used.
    client.cookies.clear()
    client.force_login(people.office_province)
    people.office_province.language = "en"
    people.office_province.save()
    assert 'lang="en"' in client.get("/").content.decode()


def test_extension_request_decisions_and_exemptions(people, told):
    from campaign import extensions
    from campaign.deadlines import SHANGHAI

    ob = people.obligation_organ
    with clock.frozen_at(dt.datetime(2014, 1, 8, 10, tzinfo=SHANGHAI)):
        request = extensions.request_extension(ob, actor=people.liaison_organ,
                                               requested_due_at=dt.datetime(2014, 1, 20, 18, tzinfo=SHANGHAI),
                                               reason="主要负责同志出差")
        news = told()
        assert set(news) == {"sup_leader", "sup_member"}  # the group decides on the group-first route
        assert news["sup_leader"] == ["省发展改革委申请将“初步书面总结”延期至 2014年1月20日 18:00，理由：主要负责同志出差"]
        extensions.decide_extension(request, "grant", actor=people.group_leader)
        assert told() == {"liaison_fgw": ["“初步书面总结”的延期申请已批准，新的截止时间 2014年1月20日 18:00"]}
    workflow.transition(people.obligation_organ2, "exempt", people.office_province, reason="机构撤并")
    assert told() == {"liaison_jyt": ["省教育厅已免报“初步书面总结”。理由：机构撤并"]}


def test_reminders_are_written_at_delivery_in_the_readers_language(people, told):
    from campaign.deadlines import SHANGHAI
    from notifications.sending import send_due
    from notifications.sweep import run_sweep

    people.liaison_organ.language = "en"
    people.liaison_organ.save()
    run_sweep(dt.datetime(2014, 1, 3, 9, tzinfo=SHANGHAI), dispatch=False)
    send_due()
    english = Notification.objects.get(user=people.liaison_organ)
    chinese = Notification.objects.get(user=people.liaison_organ2)
    assert english.title == "Reporting reminder: 1 open items"
    assert english.items[0]["text"].startswith("[Before the deadline]") and "10 Jan 2014" in english.items[0]["text"]
    assert chinese.title == "报送提醒：1 项待办" and "2014年1月10日 23:59" in chinese.items[0]["text"]
