"""Reminder policy, schedule, sweep and sending in one process (DESIGN rule 5; seed 000: 10 January 2014)."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from reminders_support import shanghai

from campaign.actions import fan_out
from campaign.models import Obligation, ObligationStatus, Requirement
from core.workdays import holiday_warning, shift_to_workday
from notifications.models import (
    Delivery,
    Digest,
    DueDateFlag,
    EffectivePolicy,
    Notification,
    OfficeReminderDefaults,
    Reminder,
    ReminderPolicy,
)
from notifications.sending import deliver, send_due
from notifications.sweep import run_sweep
from units.models import UnitMembership

pytestmark = pytest.mark.django_db


def sweep(at):
    return run_sweep(at, dispatch=False)


def recipients(**filters):
    return set(Reminder.objects.filter(**filters).values_list("recipient__username", flat=True))


def test_default_schedule_of_the_ten_january_deadline(world):
    policy = EffectivePolicy.for_requirement(world.requirement)
    moments = {(m.kind, m.offset): m.at for m in policy.moments(world.requirement.due_at)}
    assert moments[("before", 7)] == shanghai(2014, 1, 3, 9)
    assert moments[("before", 3)] == shanghai(2014, 1, 7, 9)
    assert moments[("before", 1)] == shanghai(2014, 1, 9, 9)
    # Saturday the 11th and Sunday the 19th are days off: the escalation and the last repeat wait
    # for Monday.
    assert moments[("escalate_group", 1)] == shanghai(2014, 1, 13, 9)
    assert moments[("escalate_office", 3)] == shanghai(2014, 1, 13, 9)
    assert [moments[("repeat", d)] for d in (3, 6, 9)] == [shanghai(2014, 1, d, 9) for d in (13, 16, 20)]
    assert ("repeat", 12) not in moments


def test_an_escalation_moved_to_monday_says_how_late_it_really_is(people):
    sweep(shanghai(2014, 1, 13, 9))
    send_due()
    texts = [item["text"] for item in Notification.objects.get(user=people.group_leader).items]
    assert texts and all("已逾期 3 天" in text for text in texts)


def test_escalations_may_keep_their_calendar_day(world, settings):
    settings.REMINDER_ESCALATE_ON_WORKDAYS = False
    policy = EffectivePolicy.for_requirement(world.requirement)
    moments = {(m.kind, m.offset): m.at for m in policy.moments(world.requirement.due_at)}
    assert moments[("escalate_group", 1)] == shanghai(2014, 1, 11, 9)
    assert moments[("repeat", 9)] == shanghai(2014, 1, 19, 9)


def due_on(people, moment):
    Requirement.objects.filter(pk=people.requirement.pk).update(due_at=moment)
    Obligation.objects.filter(requirement=people.requirement).update(due_at=moment)


def test_reminders_moved_onto_one_day_by_the_spring_festival_are_one_line_with_the_real_days(people):
    """Due before 7 February 2014: the 7-, 3- and 1-day reminders (31 January, 4 and 6 February)
    all fall in the Spring Festival holiday and move to Thursday 30 January. Each is kept; the
    message says it once, with the days really left: 8, of which one working day (Friday the 7th:
    the festival runs from the 31st to the 6th)."""
    due_on(people, shanghai(2014, 2, 7, 23, 59, 59))
    policy = EffectivePolicy.for_requirement(Requirement.objects.get(pk=people.requirement.pk))
    before = {m.offset: m.at for m in policy.moments(shanghai(2014, 2, 7, 23, 59, 59)) if m.kind == "before"}
    assert before == {7: shanghai(2014, 1, 30, 9), 3: shanghai(2014, 1, 30, 9), 1: shanghai(2014, 1, 30, 9)}
    assert sweep(shanghai(2014, 1, 30, 9)).created == 6  # two liaisons, three reminders each
    send_due()
    notification = Notification.objects.get(user=people.liaison_organ)
    assert len(notification.items) == 1
    text = notification.items[0]["text"]
    assert "距截止还有 8 天（其中工作日 1 天" in text and "原定提前 7、3、1 天的提醒合并于今日发送" in text
    assert "距截止还有 1 天" not in text


def test_a_monday_deadline_keeps_its_three_day_reminder(people):
    """Due before Monday 13 January 2014: the 1-day reminder (Sunday) moves to Friday the 10th,
    the 3-day reminder's own day. Both are kept and said in one line: 3 days, one working day
    (the Monday itself)."""
    due_on(people, shanghai(2014, 1, 13, 23, 59, 59))
    policy = EffectivePolicy.for_requirement(Requirement.objects.get(pk=people.requirement.pk))
    before = {m.offset: m.at for m in policy.moments(shanghai(2014, 1, 13, 23, 59, 59)) if m.kind == "before"}
    assert before == {7: shanghai(2014, 1, 6, 9), 3: shanghai(2014, 1, 10, 9), 1: shanghai(2014, 1, 10, 9)}
    sweep(shanghai(2014, 1, 10, 9))
    assert set(Reminder.objects.filter(recipient=people.liaison_organ).values_list("offset_days", flat=True)) == {3, 1}
    send_due()
    [item] = Notification.objects.get(user=people.liaison_organ).items
    assert "距截止还有 3 天（其中工作日 1 天" in item["text"] and "原定提前 3、1 天" in item["text"]


def test_an_unmoved_reminder_states_its_days_plainly(people):
    sweep(shanghai(2014, 1, 7, 9))
    send_due()
    [item] = Notification.objects.get(user=people.liaison_organ).items
    # 8, 9 and 10 January are working days; the deadline is the end of the 10th.
    assert "距截止还有 3 天（其中工作日 3 天，截止时间 2014年1月10日 23:59）" in item["text"]
    assert "原定" not in item["text"]


def test_seven_day_reminder_reaches_the_liaisons_of_open_obligations_only(people):
    result = sweep(shanghai(2014, 1, 3, 9))
    # Batch-1 units: 浙江省 (no liaison), 省发展改革委, 省教育厅.
    assert recipients() == {"liaison_fgw", "liaison_jyt"}
    assert set(Reminder.objects.values_list("kind", "offset_days")) == {("before", 7)}
    assert result.created == 2 and result.digests == 2
    counts = send_due()
    assert counts["sent"] == 4  # two people × (in-app + e-mail)
    assert sorted(m.to[0] for m in mail.outbox) == ["liaison_fgw@example.org", "liaison_jyt@example.org"]
    assert "距截止还有 7 天" in mail.outbox[0].body and "/obligations/" in mail.outbox[0].body
    assert set(Notification.objects.values_list("user__username", flat=True)) == {"liaison_fgw", "liaison_jyt"}
    assert set(Reminder.objects.values_list("status", flat=True)) == {"sent"}


def test_nothing_before_the_moment_and_once_after_it(people):
    assert sweep(shanghai(2014, 1, 3, 8, 59)).created == 0
    assert sweep(shanghai(2014, 1, 3, 9)).created == 2
    assert sweep(shanghai(2014, 1, 3, 9, 5)).created == 0
    assert sweep(shanghai(2014, 1, 4, 9)).created == 0
    assert Reminder.objects.count() == 2


def test_a_unit_that_submits_on_5_january_gets_no_three_day_reminder(people):
    sweep(shanghai(2014, 1, 3, 9))
    Obligation.objects.filter(pk=people.obligation_organ.pk).update(
        status=ObligationStatus.SUBMITTED, submitted_at=shanghai(2014, 1, 5, 10)
    )
    sweep(shanghai(2014, 1, 7, 9))
    assert recipients(kind="before", offset_days=3) == {"liaison_jyt"}
    Obligation.objects.filter(pk=people.obligation_organ2.pk).update(status=ObligationStatus.ACCEPTED)
    assert sweep(shanghai(2014, 1, 9, 9)).created == 0


def test_escalation_goes_to_the_supervision_group_then_the_office(people):
    Obligation.objects.filter(pk=people.obligation_organ2.pk).update(status=ObligationStatus.SUBMITTED)
    assert sweep(shanghai(2014, 1, 11, 9)).created == 0  # a Saturday: the escalation waits for Monday
    sweep(shanghai(2014, 1, 13, 9))
    assert recipients(kind="escalate_group") == {"sup_leader", "sup_member"}
    assert recipients(kind="before") == set()
    assert recipients(kind="escalate_office") == {"office_zj"}
    assert recipients(kind="repeat", offset_days=3) == {"liaison_fgw", "sup_leader", "sup_member"}


def test_a_group_assigned_to_an_ancestor_with_its_subtree_is_escalated_to(people):
    from supervision.models import GroupAssignment

    GroupAssignment.objects.create(group=people.other_group, unit=people.province, include_subtree=True,
                                   starts_on=dt.date(2013, 6, 1))
    sweep(shanghai(2014, 1, 13, 9))
    assert recipients(kind="escalate_group", unit=people.organ) == {"sup_leader", "sup_member", "sup_other"}


def test_a_returned_obligation_is_reminded_again_against_its_new_due_date(people):
    sweep(shanghai(2014, 1, 3, 9))
    new_due = shanghai(2014, 1, 20, 23, 59, 59)
    Obligation.objects.filter(pk=people.obligation_organ.pk).update(status=ObligationStatus.RETURNED, due_at=new_due)
    sweep(shanghai(2014, 1, 11, 9))
    assert recipients(kind="escalate_group", unit=people.organ) == set()
    sweep(shanghai(2014, 1, 13, 9))  # 7 days before 20 January
    again = Reminder.objects.get(obligation=people.obligation_organ, kind="before", offset_days=7, due_at=new_due)
    assert again.recipient == people.liaison_organ and again.scheduled_for == shanghai(2014, 1, 13, 9)
    assert Reminder.objects.filter(obligation=people.obligation_organ, kind="before", offset_days=7).count() == 2


def test_a_reminder_landing_on_1_january_moves_to_the_previous_working_day(people):
    assert shift_to_workday(dt.date(2014, 1, 1)) == dt.date(2013, 12, 31)
    assert shift_to_workday(dt.date(2014, 2, 2)) == dt.date(2014, 1, 30)  # Spring Festival week
    Requirement.objects.filter(pk=people.requirement.pk).update(due_at=shanghai(2014, 1, 8, 23, 59, 59))
    Obligation.objects.filter(requirement=people.requirement).update(due_at=shanghai(2014, 1, 8, 23, 59, 59))
    assert sweep(shanghai(2013, 12, 30, 9)).created == 0
    assert sweep(shanghai(2013, 12, 31, 9)).created == 2
    assert set(Reminder.objects.values_list("scheduled_for", flat=True)) == {shanghai(2013, 12, 31, 9)}
    assert sweep(shanghai(2014, 1, 1, 9)).created == 0


def test_the_non_workday_rule_is_configurable_per_requirement(people):
    ReminderPolicy.objects.create(requirement=people.requirement, non_workday_rule="none")
    policy = EffectivePolicy.for_requirement(Requirement.objects.get(pk=people.requirement.pk))
    moments = {m.offset: m.at for m in policy.moments(shanghai(2014, 1, 8, 23, 59, 59)) if m.kind == "before"}
    assert moments[7] == shanghai(2014, 1, 1, 9)


def test_the_offices_defaults_take_effect_unless_the_requirement_sets_its_own(people):
    """An office default of [10, 5] used to resolve to (7, 3, 1): every requirement carried 7, 3, 1."""
    OfficeReminderDefaults.objects.create(office=people.province, before_offsets=[10, 5])
    policy = EffectivePolicy.for_requirement(Requirement.objects.get(pk=people.requirement.pk))
    assert policy.before_offsets == (10, 5)
    ReminderPolicy.objects.create(requirement=people.requirement, before_offsets=[4])
    policy = EffectivePolicy.for_requirement(Requirement.objects.get(pk=people.requirement.pk))
    assert policy.before_offsets == (4,)


def test_policy_inherits_from_the_office_then_the_built_in_defaults(people):
    OfficeReminderDefaults.objects.create(office=people.province, escalate_group_after_days=2, send_time=dt.time(8, 30))
    ReminderPolicy.objects.create(requirement=people.requirement, repeat_max=1, before_offsets=[5])
    policy = EffectivePolicy.for_requirement(Requirement.objects.get(pk=people.requirement.pk))
    assert policy.before_offsets == (5,)
    assert policy.send_time == dt.time(8, 30)
    assert policy.escalate_group_after_days == 2
    assert policy.escalate_office_after_days == 3
    assert (policy.repeat_every_days, policy.repeat_max) == (3, 1)
    sweep(shanghai(2014, 1, 5, 8, 30))
    assert recipients(kind="before", offset_days=5) == {"liaison_fgw", "liaison_jyt"}


def test_a_disabled_policy_sends_nothing(people):
    ReminderPolicy.objects.create(requirement=people.requirement, enabled=False)
    assert sweep(shanghai(2014, 1, 3, 9)).created == 0


def test_one_digest_per_recipient_listing_all_items_with_links(people):
    second = Requirement.objects.create(
        directive=people.zj_48, title="整改落实情况", scope_unit=people.province, submit_to=people.province,
        target_batch=people.batch1, deadline_text="2014年1月10日前", due_at=people.requirement.due_at,
    )
    fan_out(second, actor=None)
    sweep(shanghai(2014, 1, 3, 9))
    digest = Digest.objects.get(recipient=people.liaison_organ)
    assert digest.reminders.count() == 2
    send_due()
    notification = Notification.objects.get(user=people.liaison_organ)
    assert len(notification.items) == 2
    assert {item["text"].split("：")[1].split("，")[0] for item in notification.items} == {"初步书面总结", "整改落实情况"}
    assert all("/obligations/" in item["url"] for item in notification.items)
    assert len([m for m in mail.outbox if m.to == ["liaison_fgw@example.org"]]) == 1


def test_failed_send_is_retried_with_backoff_and_keeps_its_error(people, settings):
    settings.NOTIFICATION_CHANNELS = ["email"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    sweep(shanghai(2014, 1, 3, 9))
    before = timezone.now()
    assert send_due() == {"sent": 0, "failed": 0, "skipped": 0, "retry": 2, "not_claimed": 0, "lease_lost": 0}
    delivery = Delivery.objects.get(digest__recipient=people.liaison_organ)
    assert delivery.status == "retry" and delivery.attempts == 1
    assert "ConnectionRefusedError" in delivery.last_error
    assert dt.timedelta(seconds=55) < delivery.next_attempt_at - before < dt.timedelta(seconds=65)
    assert send_due()["not_claimed"] == 0 and deliver(delivery.pk).status == "not_claimed"  # not due yet
    # A minute later the mail server is back.
    Delivery.objects.update(next_attempt_at=timezone.now())
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_due()["sent"] == 2
    delivery.refresh_from_db()
    assert delivery.status == "sent" and delivery.attempts == 2 and "ConnectionRefusedError" in delivery.last_error
    assert len(mail.outbox) == 2
    assert Delivery.backoff(1) == dt.timedelta(seconds=60) and Delivery.backoff(3) == dt.timedelta(seconds=240)
    # Capped: an outage of hours is retried every hour, not once a day.
    assert Delivery.backoff(7) == Delivery.backoff(40) == dt.timedelta(seconds=3600)


def test_a_delivery_is_retried_through_its_window_then_fails(people, settings):
    """Not a number of attempts but a window (three days by default): a 16-minute outage is
    retried through, and only a delivery still failing when the window closes is failed."""
    settings.NOTIFICATION_CHANNELS = ["email"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    assert settings.REMINDER_MAX_ATTEMPTS == 0 and settings.REMINDER_RETRY_WINDOW_HOURS == 72
    sweep(shanghai(2014, 1, 3, 9))
    for _attempt in range(8):
        Delivery.objects.update(next_attempt_at=timezone.now())
        assert send_due()["retry"] == 2
    assert set(Delivery.objects.values_list("status", flat=True)) == {"retry"}
    # Three days later the window closes at the next failure.
    Delivery.objects.update(next_attempt_at=timezone.now(), created_at=timezone.now() - dt.timedelta(hours=72))
    assert send_due()["failed"] == 2
    assert set(Reminder.objects.values_list("status", flat=True)) == {"failed"}


def test_a_delivery_fails_for_good_after_the_last_attempt(people, settings):
    settings.NOTIFICATION_CHANNELS = ["email"]
    settings.REMINDER_MAX_ATTEMPTS = 2
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    sweep(shanghai(2014, 1, 3, 9))
    send_due()
    Delivery.objects.update(next_attempt_at=timezone.now())
    assert send_due()["failed"] == 2
    assert set(Reminder.objects.values_list("status", flat=True)) == {"failed"}
    assert "ConnectionRefusedError" in Reminder.objects.first().last_error


def test_a_claim_is_exclusive_until_its_lease_expires(people):
    sweep(shanghai(2014, 1, 3, 9))
    delivery = Delivery.objects.first()
    token = Delivery.claim(delivery.pk)
    assert token and Delivery.claim(delivery.pk) is None
    assert Delivery.renew(delivery.pk, token)  # the sender keeps it while it works
    assert not Delivery.objects.abandoned().filter(pk=delivery.pk).exists()
    # The sender died: its lease ran out without being renewed.
    now = timezone.now()
    Delivery.objects.filter(pk=delivery.pk).update(lease_expires_at=now - dt.timedelta(seconds=1))
    assert Delivery.objects.abandoned().filter(pk=delivery.pk).exists()
    second = Delivery.claim(delivery.pk)
    assert second and second != token
    delivery.refresh_from_db()
    assert delivery.attempts == 2
    assert not Delivery.renew(delivery.pk, token)  # the first sender learns it lost the row...
    assert not delivery.mark_sent(token)  # ...and cannot record anything on it
    assert delivery.mark_sent(second)


def test_a_person_without_e_mail_is_reached_in_the_app(people):
    people.liaison_organ.email = ""
    people.liaison_organ.save()
    sweep(shanghai(2014, 1, 3, 9))
    assert send_due()["skipped"] == 1
    skipped = Delivery.objects.get(digest__recipient=people.liaison_organ, channel="email")
    assert skipped.status == "skipped" and skipped.last_error == "未登记电子邮箱"
    assert Reminder.objects.get(recipient=people.liaison_organ).status == "sent"


def test_a_logging_channel_stands_in_for_sms(people, settings, caplog):
    settings.NOTIFICATION_CHANNELS = ["sms"]
    sweep(shanghai(2014, 1, 3, 9))
    with caplog.at_level("INFO", logger="notifications.channels"):
        assert send_due()["sent"] == 2
    assert "sms channel (not connected) would send" in caplog.text and "初步书面总结" in caplog.text


def test_send_reminders_twice_then_nothing(people):
    """Reminders, digests and deliveries are counted apart: two reminders, one digest each, sent
    on two channels, are two reminders sent (four deliveries)."""
    out = io.StringIO()
    call_command("send_reminders", "--now", "2014-01-03T09:00+08:00", "--dry-run", stdout=out)
    assert out.getvalue().splitlines() == ["digests: 2", "reminders: created=2 sent=0 failed=0"]
    assert not Reminder.objects.exists()
    out = io.StringIO()
    call_command("send_reminders", "--now", "2014-01-03T09:00+08:00", stdout=out)
    assert out.getvalue().splitlines() == [
        "digests: 2",
        "deliveries inapp: sent=2 retry=0 failed=0 skipped=0",
        "deliveries email: sent=2 retry=0 failed=0 skipped=0",
        "reminders: created=2 sent=2 failed=0",
    ]
    out = io.StringIO()
    call_command("send_reminders", "--now", "2014-01-03T09:00+08:00", stdout=out)
    assert out.getvalue().splitlines() == ["digests: 0", "reminders: created=0 sent=0 failed=0"]


def test_a_due_date_on_a_holiday_is_flagged_to_the_office(people):
    assert holiday_warning(shanghai(2014, 1, 10, 23, 59, 59)) is None
    assert not DueDateFlag.objects.exists()
    requirement = Requirement(
        directive=people.zj_48, title="春节期间报送", scope_unit=people.province, submit_to=people.province,
        deadline_text="2014年1月31日前",
    )
    requirement.resolve_deadline()
    requirement.save()
    flag = DueDateFlag.objects.get(requirement=requirement)
    assert "春节" in flag.message and "2014年1月30日" in flag.message
    assert Notification.objects.filter(user=people.office_province, body=flag.message).count() == 1
    requirement.save()
    assert Notification.objects.filter(user=people.office_province).count() == 1  # not repeated
    requirement.due_at = shanghai(2014, 1, 30, 23, 59, 59)
    requirement.save()
    assert not DueDateFlag.objects.filter(requirement=requirement).exists()
    assert "周末" in holiday_warning(shanghai(2014, 1, 11, 23, 59, 59))


def test_a_liaison_who_leaves_is_not_reminded(people):
    UnitMembership.objects.filter(user=people.liaison_organ2).delete()
    sweep(shanghai(2014, 1, 3, 9))
    assert recipients() == {"liaison_fgw"}


def test_deleting_an_obligation_or_a_user_removes_their_reminder_rows(people):
    # The reminder table has no database-level foreign keys (sweep speed); the ORM cascades.
    sweep(shanghai(2014, 1, 3, 9))
    assert Reminder.objects.count() == 2
    Obligation.objects.filter(pk=people.obligation_organ.pk).delete()
    assert not Reminder.objects.filter(obligation_id=people.obligation_organ.pk).exists()
    remaining = Reminder.objects.get()
    remaining.recipient.delete()
    assert not Reminder.objects.exists()


def test_the_2027_new_year_follows_the_calendar_entered_by_import(people):
    """Due before Monday 4 January 2027, a year chinesecalendar does not know. Until the notice is
    entered, 元旦 counts as a Friday like any other and the office is told the year is missing;
    once it is imported, the 3- and 1-day reminders leave 1 January for Thursday 31 December."""
    from access.work_calendar import import_calendar
    from tests.core.test_work_calendar import NOTICE_2027

    due = shanghai(2027, 1, 4, 23, 59, 59)
    due_on(people, due)

    def before():
        policy = EffectivePolicy.for_requirement(Requirement.objects.get(pk=people.requirement.pk))
        return {m.offset: m.at for m in policy.moments(due) if m.kind == "before"}

    assert before() == {7: shanghai(2026, 12, 28, 9), 3: shanghai(2027, 1, 1, 9), 1: shanghai(2027, 1, 1, 9)}
    assert "2027年工作日历尚未录入" in holiday_warning(due)
    import_calendar("2027年节假日安排.csv", NOTICE_2027, actor=people.superuser, reason="国务院办公厅通知")
    assert before() == {7: shanghai(2026, 12, 28, 9), 3: shanghai(2026, 12, 31, 9), 1: shanghai(2026, 12, 31, 9)}
    assert holiday_warning(due) is None
    sweep(shanghai(2026, 12, 31, 9))
    send_due()
    [item] = Notification.objects.get(user=people.liaison_organ).items
    assert "距截止还有 4 天（其中工作日 1 天" in item["text"] and "原定提前 3、1 天" in item["text"]
