"""Celery tasks: the sweep that beat runs (CELERY_BEAT_SCHEDULE) and the senders it enqueues.

Tasks carry ids only and are short: the schedule lives in the database (sweep.py),
so a lost or redelivered message never loses or duplicates a reminder.
"""

from celery import shared_task

from notifications.sending import deliver
from notifications.sweep import as_of, run_sweep

# Retries waiting less than this are also sent back to the queue with a countdown; longer
# ones (and any lost message) are picked up by the next sweep from the database.
SHORT_COUNTDOWN = 600


@shared_task(name="notifications.tasks.sweep_reminders", ignore_result=True)
def sweep_reminders(now=None):
    """Run one sweep (as of `now`, ISO 8601, for demos and tests; default the current moment)."""
    result = run_sweep(as_of(now) if now else None)
    return {"created": result.created, "digests": result.digests}


@shared_task(name="notifications.tasks.send_deliveries", ignore_result=True, acks_late=True)
def send_deliveries(delivery_ids):
    """Claim and send each delivery; a row someone else holds or has finished is skipped."""
    for delivery_id in delivery_ids:
        outcome = deliver(delivery_id)
        if outcome.status == "retry" and outcome.retry_in is not None and outcome.retry_in <= SHORT_COUNTDOWN:
            send_deliveries.apply_async(([delivery_id],), countdown=outcome.retry_in)
