"""Delivery with the real Redis broker and real Celery worker subprocesses (DESIGN rule 5: each
reminder sent once, even if the scheduler or a worker runs twice or crashes mid-send; seed 000)."""

import datetime as dt
import io
import threading
import time
from collections import Counter

import pytest
from django.db import connections
from django.db.models import Q
from reminders_support import shanghai, wait_for_deliveries, wait_until

from campaign.models import Obligation, ObligationStatus, Requirement
from notifications.dispatch import dispatch
from notifications.models import Delivery, Digest, Notification, Reminder, Sweep
from notifications.sweep import run_sweep
from supervision.models import GroupAssignment, GroupMember
from tests.conftest import load_demo
from units.models import UnitMembership

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]
OPEN = [ObligationStatus.PENDING, ObligationStatus.RETURNED]


def sweep_on_worker(moment):
    """Publish the beat's sweep task for `moment` and wait until the worker has sent everything."""
    from notifications.tasks import sweep_reminders

    sweeps = Sweep.objects.count()
    sweep_reminders.delay(moment.isoformat())
    wait_until(lambda: Sweep.objects.count() > sweeps, message=f"the sweep of {moment}")
    wait_for_deliveries()


def items_about(title, marker):
    """Usernames whose in-app notifications list an item of `title` containing `marker`."""
    return {
        n.user.username for n in Notification.objects.select_related("user")
        if any(title in item["text"] and marker in item["text"] for item in n.items)
    }


def liaisons_of_open_obligations(requirement):
    units = Obligation.objects.filter(requirement=requirement, status__in=OPEN).values("unit_id")
    return set(UnitMembership.objects.filter(role="liaison", unit_id__in=units, user__is_active=True)
               .values_list("user__username", flat=True))


def members_of_groups_on_open_obligations(requirement, day):
    users = set()
    for obligation in Obligation.objects.filter(requirement=requirement, status__in=OPEN).select_related("unit"):
        above = [obligation.unit.path[:end] for end in range(5, len(obligation.unit.path) + 1, 5)]
        groups = GroupAssignment.objects.current(day).filter(
            Q(unit=obligation.unit) | Q(include_subtree=True, unit__path__in=above)
        ).values("group_id")
        users |= set(GroupMember.objects.filter(group_id__in=groups).values_list("user__username", flat=True))
    return users


def test_the_ten_january_scenario_on_the_demo_data(workers, django_user_model):
    """000: 初步书面总结 before 10 January 2014, on the demo's Zhejiang tree, sent by a real worker."""
    load_demo(stdout=io.StringIO(), story=False)
    requirement = Requirement.objects.get(title="初步书面总结", due_at=shanghai(2014, 1, 10, 23, 59, 59))
    obligations = list(requirement.obligations.select_related("unit").order_by("unit__path"))
    # More liaisons than the demo accounts: three more bound units, one of them with two liaisons.
    for index, obligation in enumerate(obligations[:3]):
        for n in range(1 + (index == 0)):
            user = django_user_model.objects.create_user(f"liaison_extra_{index}_{n}", password="Correct-Horse-42")
            UnitMembership.objects.get_or_create(user=user, unit=obligation.unit, role="liaison")
    for user in django_user_model.objects.all():
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])
    already = next(o for o in obligations[3:] if UnitMembership.objects.filter(unit=o.unit, role="liaison").exists()) \
        if len(obligations) > 3 else None
    submitter = obligations[1]  # submits on 5 January
    if already is not None:  # a unit that submitted before the first reminder
        Obligation.objects.filter(pk=already.pk).update(status=ObligationStatus.SUBMITTED)
    workers.start()

    sweep_on_worker(shanghai(2014, 1, 3, 9))
    expected = liaisons_of_open_obligations(requirement)
    assert len(expected) >= 4
    reminded = set(Reminder.objects.filter(requirement=requirement).values_list("recipient__username", flat=True))
    assert reminded == expected
    assert set(Reminder.objects.filter(requirement=requirement).values_list("kind", "offset_days")) == {("before", 7)}
    assert items_about("初步书面总结", "距截止还有 7 天") == expected
    mailed = {to.split("@")[0] for to, _subject, body in workers.emails() if "初步书面总结" in body}
    assert mailed == expected
    if already is not None:
        assert not set(UnitMembership.objects.filter(unit=already.unit).values_list("user__username", flat=True)) & mailed

    Obligation.objects.filter(pk=submitter.pk).update(status=ObligationStatus.SUBMITTED,
                                                      submitted_at=shanghai(2014, 1, 5, 10))
    submitter_liaisons = set(UnitMembership.objects.filter(unit=submitter.unit, role="liaison")
                             .values_list("user__username", flat=True))
    assert submitter_liaisons
    sweep_on_worker(shanghai(2014, 1, 7, 9))
    three_day = set(Reminder.objects.filter(requirement=requirement, kind="before", offset_days=3)
                    .values_list("recipient__username", flat=True))
    assert three_day == expected - submitter_liaisons
    assert not items_about("初步书面总结", "距截止还有 3 天") & submitter_liaisons

    sweep_on_worker(shanghai(2014, 1, 13, 9))  # Saturday the 11th's escalation waits for Monday
    group = set(Reminder.objects.filter(requirement=requirement, kind="escalate_group")
                .values_list("recipient__username", flat=True))
    expected_group = members_of_groups_on_open_obligations(requirement, dt.date(2014, 1, 13))
    assert "sup_leader" in expected_group and group == expected_group
    assert items_about("初步书面总结", "【逾期提醒督导组】") == expected_group
    assert all("已逾期 3 天" in item["text"] for n in Notification.objects.filter(user__username__in=expected_group)
               for item in n.items if "逾期提醒督导组" in item["text"])
    # Each person got one message per sweep, whatever the number of items.
    per_sweep = Counter((d.recipient_id, d.sweep_id) for d in Digest.objects.all())
    assert set(per_sweep.values()) == {1}
    assert Delivery.objects.filter(status="sent").count() == Digest.objects.count() * 2


def test_two_sweeps_at_the_same_time_create_and_send_each_reminder_once(people, workers, settings):
    # Escalations on their calendar day (Saturday the 11th), so that two moments follow each other.
    settings.REMINDER_ESCALATE_ON_WORKDAYS = False
    workers.start(concurrency=2, REMINDER_ESCALATE_ON_WORKDAYS=0)
    barrier = threading.Barrier(2)
    results = []

    def sweep():
        try:
            barrier.wait(timeout=10)
            results.append(run_sweep(shanghai(2014, 1, 11, 9)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep) for _i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(r.created for r in results) == [0, 3]
    wait_for_deliveries()
    escalated = {"sup_leader", "sup_member", "sup_other"}
    assert set(Reminder.objects.values_list("recipient__username", flat=True)) == escalated
    assert Counter(to for to, _s, _b in workers.emails()) == Counter({f"{u}@example.org": 1 for u in escalated})
    assert Counter(Notification.objects.values_list("user__username", flat=True)) == Counter(dict.fromkeys(escalated, 1))

    # Two beats publishing the same sweep: the worker runs both at once on its two processes.
    from notifications.tasks import sweep_reminders

    for _i in range(2):
        sweep_reminders.delay(shanghai(2014, 1, 13, 9).isoformat())
    wait_until(lambda: Reminder.objects.filter(kind="escalate_office").exists(), message="the 13 January sweep")
    time.sleep(1)
    wait_for_deliveries()
    new = Reminder.objects.filter(scheduled_for=shanghai(2014, 1, 13, 9))
    # The office about each of the three open obligations (浙江省 has no liaison); liaisons and
    # group members once each by the first repeat.
    assert Counter(new.values_list("recipient__username", flat=True)) == Counter(
        {"office_zj": 3, "liaison_fgw": 1, "liaison_jyt": 1, "sup_leader": 1, "sup_member": 1, "sup_other": 1}
    )
    assert Digest.objects.filter(recipient__username="office_zj").count() == 1
    mails = Counter(to for to, _s, _b in workers.emails())
    assert all(count == 2 for address, count in mails.items() if address.split("@")[0] in escalated)
    assert mails["office_zj@example.org"] == 1 and mails["liaison_fgw@example.org"] == 1


def test_a_worker_killed_between_claim_and_send_delivers_exactly_once(people, workers, settings):
    settings.NOTIFICATION_CHANNELS = ["gate_channel.GateChannel"]
    settings.REMINDER_LEASE_SECONDS = 3
    gate = "gate_channel.GateChannel"
    first = workers.start(channels=gate, concurrency=1, REMINDER_GATE_BLOCK=1, REMINDER_LEASE_SECONDS=3)
    run_sweep(shanghai(2014, 1, 3, 9))
    wait_until(lambda: any(workers.gate_dir.glob("claimed-*")), message="the first claim")
    workers.kill(first)
    stuck = Delivery.objects.get(status="sending")
    assert stuck.attempts == 1 and workers.gate_log() == []

    workers.start(channels=gate, concurrency=1, REMINDER_LEASE_SECONDS=3)
    settings.DELIVERY_LOST_AFTER_SECONDS = 2  # the dead worker's task also held the other delivery
    time.sleep(3.5)  # the dead sender's lease runs out
    assert dispatch() == 2  # the dispatcher (every few seconds in beat) queues what was abandoned
    wait_for_deliveries()
    sent = workers.gate_log()
    assert sorted(line.split()[1] for line in sent) == ["liaison_fgw", "liaison_jyt"]
    stuck.refresh_from_db()
    assert stuck.status == "sent" and stuck.attempts == 2

    # The killed worker's message, should Redis redeliver it, finds nothing left to send.
    from notifications.tasks import send_deliveries

    send_deliveries.delay(list(Delivery.objects.values_list("pk", flat=True)))
    time.sleep(2)
    assert workers.gate_log() == sent


def test_messages_lost_with_a_redis_restart_are_sent_by_the_dispatcher(people, workers, redis_broker, settings):
    settings.DELIVERY_LOST_AFTER_SECONDS = 2
    run_sweep(shanghai(2014, 1, 3, 9))
    assert redis_broker.llen("deliveries.email") > 0 and redis_broker.llen("deliveries.inapp") > 0
    assert dispatch() == 0  # queued and waiting: nothing to do
    redis_broker.flushdb()  # Redis restarted without its data
    workers.start()
    time.sleep(2.5)
    assert not Delivery.objects.filter(status="sent").exists()
    assert dispatch() == 4  # the queues are empty and the rows still wait: their messages were lost
    wait_for_deliveries()
    assert Counter(to for to, _s, _b in workers.emails()) == Counter(
        {"liaison_fgw@example.org": 1, "liaison_jyt@example.org": 1}
    )
