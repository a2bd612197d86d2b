"""The dispatcher's rules (notifications.dispatch) and the limits of one send (notifications.sending),
on a real Redis broker: what is queued again, what is left alone, and what a hanging channel costs."""

import datetime as dt
import os

from django.utils import timezone
from reminders_support import shanghai

from notifications.dispatch import dispatch, due_for_dispatch, enqueue, queue_for
from notifications.models import Delivery
from notifications.sending import deliver
from notifications.sweep import run_sweep
from tests.celery_worker import broker_at


def sweep_and_queue(moment, capture):
    with capture(execute=True):  # the sweep queues its deliveries once its transaction commits
        return run_sweep(moment)


def test_each_channel_has_its_queue_and_small_tasks(people, redis_broker, settings, django_capture_on_commit_callbacks):
    settings.DELIVERY_BATCH_SIZE = 1
    sweep_and_queue(shanghai(2014, 1, 3, 9), django_capture_on_commit_callbacks)
    assert queue_for("email") == "deliveries.email" and queue_for("inapp") == "deliveries.inapp"
    # Two liaisons: in-app notices in one task (200 a task), e-mails one a task.
    assert redis_broker.llen("deliveries.inapp") == 1
    assert redis_broker.llen("deliveries.email") == 2
    assert redis_broker.llen("celery") == 0


def test_due_retries_and_abandoned_rows_are_queued_and_waiting_ones_are_not(
    people, redis_broker, settings, django_capture_on_commit_callbacks
):
    sweep_and_queue(shanghai(2014, 1, 3, 9), django_capture_on_commit_callbacks)
    first, second, third, fourth = Delivery.objects.order_by("pk")
    now = timezone.now()
    assert due_for_dispatch(now) == []  # every row has its message on the way
    # A retry whose time has come; a sender that died (its lease ran out); one still sending.
    Delivery.objects.filter(pk=first.pk).update(  # queued a minute ago, failed, due again now
        status="retry", enqueued_at=now - dt.timedelta(seconds=60), next_attempt_at=now - dt.timedelta(seconds=1)
    )
    Delivery.objects.filter(pk=second.pk).update(status="sending", lease_expires_at=now - dt.timedelta(seconds=1))
    Delivery.objects.filter(pk=third.pk).update(status="sending", lease_expires_at=now + dt.timedelta(seconds=20))
    assert due_for_dispatch(now) == [first.pk, second.pk]
    # A queued row long untaken is left alone while its queue still holds messages...
    settings.DELIVERY_LOST_AFTER_SECONDS = 0
    later = now + dt.timedelta(seconds=1)
    assert fourth.pk not in due_for_dispatch(later)
    # ...and counted as lost once the queue is empty.
    redis_broker.delete(queue_for(fourth.channel))
    assert fourth.pk in due_for_dispatch(later)


def test_a_message_that_cannot_be_published_is_left_for_the_dispatcher(people, redis_broker):
    run_sweep(shanghai(2014, 1, 3, 9))
    redis_broker.flushdb()
    with broker_at("redis://127.0.0.1:1/0"):  # the broker is down
        ids = list(Delivery.objects.values_list("pk", flat=True))
        Delivery.objects.update(enqueued_at=None)
        assert enqueue(ids) == 0
    assert not Delivery.objects.filter(enqueued_at__isnull=False).exists()
    assert dispatch() == 4  # the broker is back
    assert redis_broker.llen("deliveries.email") + redis_broker.llen("deliveries.inapp") >= 2


def test_a_channel_that_hangs_costs_one_attempt_not_the_sender(people, settings, tmp_path):
    settings.NOTIFICATION_CHANNELS = ["gate_channel.GateChannel"]
    settings.DELIVERY_SEND_SECONDS = 1
    os.environ["REMINDER_GATE_DIR"], os.environ["REMINDER_GATE_BLOCK"] = str(tmp_path), "1"
    try:
        run_sweep(shanghai(2014, 1, 3, 9), dispatch=False)
        delivery = Delivery.objects.first()
        outcome = deliver(delivery.pk)
    finally:
        del os.environ["REMINDER_GATE_DIR"], os.environ["REMINDER_GATE_BLOCK"]
    delivery.refresh_from_db()
    assert outcome.status == "retry" and delivery.status == "retry"
    assert "SendTimedOut" in delivery.last_error
