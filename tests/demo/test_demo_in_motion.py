"""The demo in motion (demo.motion): the campaign as it stood on 8 January 2014, 10:00, the moment
`make run` pins the clock to, with work for every demo login."""

import datetime as dt
from collections import Counter
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import load_demo

SHANGHAI = ZoneInfo("Asia/Shanghai")
PINNED = dt.datetime(2014, 1, 8, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "uploads"
    load_demo(verbosity=0)
    settings.CAMPAIGN_CLOCK = "2014-01-08T10:00+08:00"


def test_the_summary_units_are_spread_over_every_state(demo):
    from campaign.models import Obligation, Requirement
    from core import clock

    summary = Requirement.objects.get(title="初步书面总结", directive__number="浙群组发〔2013〕48号")
    obligations = summary.obligations.with_status(PINNED).select_related("unit")
    states = Counter(obligations.values_list("status", flat=True))
    assert states == {"accepted": 9, "submitted": 8, "returned": 3, "pending": 13}
    # One late unit: 省物价局 missed the new date its group gave it; the open rest are due in two days.
    assert [o.unit.code for o in obligations if o.is_overdue] == ["330000-30"]
    assert {o.light for o in obligations} == {"overdue", "due_soon", "done"}
    resubmitted = Obligation.objects.get(requirement=summary, unit__code="330000-24")
    assert resubmitted.status == "submitted" and resubmitted.submissions.count() == 2
    returned = Obligation.objects.get(requirement=summary, unit__code="330000-05")
    assert returned.reviews.get().reason.startswith("对整改落实、建章立制情况的总结过于笼统")
    # Every step happened on its day: the trail of an approval is dated then, not today.
    approved = Obligation.objects.get(requirement=summary, unit__code="330000-01")
    assert clock.local(approved.accepted_at).date() == dt.date(2014, 1, 3)
    from audit.models import AuditEntry

    moves = AuditEntry.objects.filter(action__in=["submit", "approve", "return"])
    # demo.motion.SUMMARY_STORIES: 9 submitted and approved, 6 waiting, 2 returned and resubmitted,
    # 2 returned, 1 returned with a new date.
    assert moves.count() == 9 * 2 + 6 + 2 * 3 + 2 * 2 + 2
    first, last = (clock.local(moment) for moment in sorted(moves.values_list("at", flat=True))[::len(moves) - 1])
    assert first.date() == dt.date(2013, 12, 30) and last <= PINNED


def test_the_province_dashboard_shows_every_state_and_colour(demo, client):
    from django.contrib.auth import get_user_model

    from campaign.dashboard import progress_for
    from units.models import Unit

    province = Unit.objects.get(code="330000")
    from campaign.models import Campaign

    the_campaign = Campaign.objects.get(name="党的群众路线教育实践活动")
    progress = progress_for(province, list(province.children.order_by("path")), the_campaign, now=PINNED, use_cache=False)
    total = progress.total
    assert total.pending and total.submitted and total.returned and total.accepted and total.overdue
    # A red, a yellow and a green unit (the cities' work is due after February: on track).
    assert {child.counts.light for child in progress.children} >= {"overdue", "due_soon", "on_track"}
    client.force_login(get_user_model().objects.get(username="zj_office"))
    page = client.get("/directives/dashboard/").content.decode()
    assert "演示时间：2014年1月8日" in page
    # The phases move (003: 梯次展开、压茬进行): the first batch is rectifying or summing up, the
    # second batch's leading bodies have entered the study phase, the villages not yet.
    from campaign.phases import phase_counts

    counts = {row.phase.code: (row.not_started, row.started, row.finished) for row in phase_counts(province, the_campaign)}
    assert counts["study"][0] and counts["study"][1] and counts["study"][2]
    assert counts["rectification"][1] and counts["rectification"][2] and counts["summary"][1]
    assert 'id="phase-panel"' in page


def test_reminders_and_an_escalation_were_sent(demo):
    from notifications.models import Notification, Reminder

    sent = Counter(Reminder.objects.filter(status="sent").values_list("kind", flat=True))
    assert sent["before"] > 0 and sent["escalate_group"] > 0
    escalated = set(Reminder.objects.filter(kind="escalate_group").values_list("recipient__username", flat=True))
    assert {"sup_leader", "sup_member"} <= escalated
    texts = [item["text"] for n in Notification.objects.filter(user__username="sup_member") for item in n.items]
    assert any("省物价局" in text and "逾期" in text for text in texts)


def test_the_field_has_its_materials_plans_feedback_and_meetings(demo):
    from campaign.gates import missing_conditions
    from campaign.models import Meeting, Obligation
    from rectification.models import RectificationItem
    from supervision.models import Feedback

    items = RectificationItem.objects.filter(plan__unit__code="330000-05")
    assert set(items.values_list("status", flat=True)) == {"open", "in_progress", "close_requested", "closed"}
    assert Feedback.objects.get(unit__code="330000-05").status == "pending"
    for code, title in (("330106001", "领导班子对照检查材料"), ("330106001", "教育实践活动实施方案"),
                        ("330523001001", "问题清单和整改措施")):
        assert Obligation.objects.get(unit__code=code, requirement__title=title).status == "pending"
    meeting = Meeting.objects.get(unit__code="330106001", kind="democratic_life")
    missing = missing_conditions(meeting, dt.date(2014, 1, 8))
    assert any("谈心谈话" in sentence for sentence in missing)
    assert any("领导班子对照检查材料" in sentence for sentence in missing)


def test_the_lookback_plan_and_an_evidence_photo_preview(demo, client):
    """The 实施方案 of 浙整改办发〔2015〕2号 is a real PDF and 省发展改革委's item waiting for its close
    review carries a PNG photo: both open inline for those who may see them."""
    from django.contrib.auth import get_user_model

    from campaign.models import DirectiveAttachment
    from files.models import Attachment
    from rectification.models import RectificationItem

    plan = DirectiveAttachment.objects.get(directive__number="浙整改办发〔2015〕2号")
    item = RectificationItem.objects.get(plan__unit__code="330000-05", status="close_requested")
    photo = Attachment.objects.of(item).get()
    client.force_login(get_user_model().objects.get(username="liaison_fgw"))
    for url, head in ((plan.preview_url(), b"%PDF-1.4"), (photo.preview_url(), b"\x89PNG")):
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Disposition"].startswith("inline")
        assert b"".join(response.streaming_content).startswith(head)
    assert plan.preview_url() in client.get(plan.directive.get_absolute_url()).content.decode()
    assert photo.preview_url() in client.get(item.get_absolute_url()).content.decode()


HOME_WORK = {
    "zj_office": ["初步书面总结", "待审核", "逾期未报送的单位"],
    "hz_office": ["教育实践活动实施方案"],
    # The to-do panel leads the home page with what waits for the person (notifications.todo).
    "sup_leader": ["待督导组审核的材料 3", "待我签发的反馈意见 1", "省财政厅"],
    "sup_member": ["待督导组审核的材料 3", "省财政厅"],
    # The group's chase of the returned summary leads its to-do (issue 13).
    "liaison_fgw": ["初步书面总结", "已退回", "催办", "请按督导组意见修改初步书面总结"],
    "liaison_beishan": ["教育实践活动实施方案", "领导班子对照检查材料"],
    "liaison_yucun": ["问题清单和整改措施"],
    "admin": ["初步书面总结"],
    # 004's affiliation body: the provincial units' look-back reaches it in 2015.
    "szjg_office": ["省直单位整改落实“回头看”自查情况报告"],
}


def test_every_demo_login_has_work_on_its_home_page(demo, client):
    from django.contrib.auth import get_user_model

    from demo.accounts import DEMO_ACCOUNTS

    assert set(HOME_WORK) == {account.username for account in DEMO_ACCOUNTS}
    for username, expected in HOME_WORK.items():
        client.force_login(get_user_model().objects.get(username=username))
        page = client.get("/").content.decode()
        assert "演示时间：2014年1月8日" in page, username
        for text in expected:
            assert text in page, (username, text)


def test_loading_again_changes_nothing(demo):
    from audit.models import AuditEntry
    from campaign.models import Review, Submission
    from notifications.models import Reminder

    before = (Submission.objects.count(), Review.objects.count(), Reminder.objects.count(), AuditEntry.objects.count())
    load_demo(verbosity=0)
    assert (Submission.objects.count(), Review.objects.count(), Reminder.objects.count(),
            AuditEntry.objects.count()) == before


def test_study_and_opinions_give_each_role_work(demo, client):
    """002 in the demo: the liaisons of 省发展改革委, 北山街道 and 余村 each find an opinion to claim;
    the province's office sees 余村 behind on its Party lecture and the opinions counted by four winds."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from units.models import Unit

    users = {user.username: user for user in get_user_model().objects.all()}
    for username in ("liaison_fgw", "liaison_beishan", "liaison_yucun"):
        client.force_login(users[username])
        assert "data-opinion=" in client.get(reverse("units:opinion_queue")).content.decode(), username
    yucun = Unit.objects.get(code="330523001001")
    client.force_login(users["liaison_yucun"])
    page = client.get(reverse("units:study", kwargs={"unit_id": yucun.pk})).content.decode()
    assert "观看电影《焦裕禄》" in page and "至少上1次党课" in page
    client.force_login(users["zj_office"])
    behind = client.get(reverse("campaign:study_overview") + "?behind=on&q=余村").content.decode()
    assert f'data-unit="{yucun.pk}"' in behind
    counts = client.get(reverse("units:opinion_counts")).content.decode()
    assert "省发展改革委" in counts and "北山街道" in counts
