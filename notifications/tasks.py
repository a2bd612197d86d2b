"""Celery tasks: the sweep and the dispatcher that beat runs (CELERY_BEAT_SCHEDULE), on the
`sweep` queue, and the senders, on one queue per channel (notifications.dispatch).

Tasks carry ids only and are short: the schedule and the state of every delivery live in the
database, so a lost or redelivered message never loses or duplicates a reminder.
"""

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from notifications import actions, events
from notifications.dispatch import dispatch
from notifications.models import Delivery
from notifications.sending import deliver
from notifications.sweep import as_of, run_sweep


@shared_task(name="notifications.tasks.sweep_reminders", ignore_result=True)
def sweep_reminders(now=None):
    """Run one sweep (as of `now`, ISO 8601, for demos and tests; default the current moment)."""
    result = run_sweep(as_of(now) if now else None)
    return {"created": result.created, "digests": result.digests}


@shared_task(name="notifications.tasks.flush_events", ignore_result=True)
def flush_events():
    """Gather the waiting event notifications into digests and queue them (notifications.events)."""
    taken, digests, _ids = events.flush()
    return {"events": taken, "digests": digests}


@shared_task(name="notifications.tasks.dispatch_deliveries", ignore_result=True)
def dispatch_deliveries():
    """Queue every delivery that is due and has no message on its way (notifications.dispatch)."""
    return dispatch()


@shared_task(name="notifications.tasks.send_deliveries", ignore_result=True, acks_late=True)
def send_deliveries(delivery_ids):
    """Claim and send each delivery; a row someone else holds or has finished is skipped. Should
    the task outlive its soft limit, the rows it has not begun go back to the dispatcher."""
    for index, delivery_id in enumerate(delivery_ids):
        try:
            deliver(delivery_id)
        except SoftTimeLimitExceeded:
            Delivery.objects.filter(
                pk__in=delivery_ids[index + 1:], status__in=[Delivery.Status.PENDING, Delivery.Status.RETRY]
            ).update(enqueued_at=None)
            return


@shared_task(name="notifications.tasks.purge_sent_reminders", ignore_result=True)
def purge_sent_reminders():
    """Beat, nightly: sent reminders and delivered digests past REMINDER_RETENTION_DAYS
    (notifications.actions.purge_sent_reminders)."""
    return actions.purge_sent_reminders()
