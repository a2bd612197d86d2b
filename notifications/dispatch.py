"""Handing deliveries to the workers: one queue per channel, small tasks, and a dispatcher that
finds every delivery whose message never arrived.

Each channel has its own queue (`deliveries.<channel>`) and the sweep has its own (`sweep`), so a
mail server that hangs holds back only the e-mail workers: in-app notices and the sweep go on
(README: Reminders). A task carries a few ids (DELIVERY_BATCH_SIZE; more for in-app notices,
which are quick) so that all workers share a backlog.

The database, not the broker, says what is still to send. The dispatcher (a beat task every
DELIVERY_DISPATCH_SECONDS) queues
- rows due but never queued since they became due: a retry whose time has come, a resent row, a
  row whose message could not be published (the broker was down);
- rows whose sender stopped renewing its lease: it died (kill -9, a hard time limit);
- rows queued more than DELIVERY_LOST_AFTER_SECONDS ago and still not taken while their channel's
  queue is empty: the message was lost (a Redis restart, FLUSHALL). While the queue still holds
  messages the row may simply be waiting its turn, and is left alone.
A message queued twice does no harm: a sender claims a row before sending (Delivery.claim).
"""

import datetime as dt
import logging
from collections import defaultdict

from celery import current_app
from django.conf import settings
from django.utils.module_loading import import_string

from core import clock
from core.queueing import publish
from notifications.models import Delivery

logger = logging.getLogger(__name__)

# At most this many rows are queued by one dispatcher run; the next run takes the rest.
DISPATCH_LIMIT = 20000


def queue_for(channel):
    """The queue of a channel's deliveries: deliveries.<the channel as NOTIFICATION_CHANNELS names
    it> ("deliveries.email", or "deliveries.<dotted path>" for a channel of one's own), so that
    the settings can list every queue without importing anything (CELERY_TASK_QUEUES)."""
    for entry in settings.NOTIFICATION_CHANNELS:
        if entry == channel or ("." in entry and import_string(entry).name == channel):
            return f"deliveries.{entry}"
    return f"deliveries.{channel}"


def batch_size(channel):
    return settings.DELIVERY_BATCH_SIZES.get(channel, settings.DELIVERY_BATCH_SIZE)


def task_time_limits(size):
    """Celery's soft and hard limits for a task of `size` deliveries: each send has its own limit
    (DELIVERY_SEND_SECONDS), these only catch a task that somehow outlives them all. The broker's
    visibility timeout (CELERY_VISIBILITY_TIMEOUT) must be longer than the hard limit."""
    soft = size * settings.DELIVERY_SEND_SECONDS + settings.DELIVERY_BOOKKEEPING_SECONDS + 30
    return soft, soft + 30


def enqueue(delivery_ids, now=None):
    """Queue these deliveries in small tasks on their channels' queues. Rows are marked queued
    first; rows whose message could not be published are unmarked, for the next dispatcher run."""
    # Imported here: notifications.tasks imports this module.
    from notifications.tasks import send_deliveries

    now = now or clock.now()
    by_channel = defaultdict(list)
    for start in range(0, len(delivery_ids), 5000):
        chunk = delivery_ids[start:start + 5000]
        Delivery.objects.filter(pk__in=chunk).update(enqueued_at=now)
        for pk, channel in Delivery.objects.filter(pk__in=chunk).values_list("pk", "channel"):
            by_channel[channel].append(pk)
    published = 0
    for channel, ids in by_channel.items():
        ids.sort()
        size = batch_size(channel)
        soft, hard = task_time_limits(size)
        for start in range(0, len(ids), size):
            batch = ids[start:start + size]
            if publish(send_deliveries, (batch,), queue=queue_for(channel), soft_time_limit=soft, time_limit=hard):
                published += len(batch)
            else:
                Delivery.objects.filter(pk__in=batch, enqueued_at=now).update(enqueued_at=None)
    return published


def queue_length(queue):
    """Messages waiting in `queue` on the broker (not those a worker has taken); None if unknown."""
    try:
        with current_app.connection_for_read() as connection:
            return connection.default_channel.queue_declare(queue=queue, passive=True).message_count
    except Exception as exc:  # a queue never declared (Redis: an empty list does not exist) or no broker
        if "NOT_FOUND" in str(exc) or "no queue" in str(exc).lower():
            return 0
        logger.warning("could not read the length of queue %s: %s", queue, exc)
        return None


def due_for_dispatch(now=None):
    """The ids the dispatcher queues now (see the module docstring), at most DISPATCH_LIMIT."""
    now = now or clock.now()
    ids = list(Delivery.objects.not_yet_enqueued(now).values_list("pk", flat=True)[:DISPATCH_LIMIT])
    ids += Delivery.objects.abandoned(now).values_list("pk", flat=True)[:DISPATCH_LIMIT]
    lost_before = now - dt.timedelta(seconds=settings.DELIVERY_LOST_AFTER_SECONDS)
    waiting = Delivery.objects.waiting_since(lost_before, now)
    for channel in waiting.values_list("channel", flat=True).distinct():
        if queue_length(queue_for(channel)) == 0:
            ids += waiting.filter(channel=channel).values_list("pk", flat=True)[:DISPATCH_LIMIT]
    return sorted(set(ids))[:DISPATCH_LIMIT]


def dispatch(now=None):
    """One dispatcher run: queue what is due and has no message on its way. Returns how many."""
    ids = due_for_dispatch(now)
    if not ids:
        return 0
    count = enqueue(ids, now)
    logger.info("delivery dispatcher queued %s of %s deliveries", count, len(ids))
    return count
