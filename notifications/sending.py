"""Sending one delivery: claim it, send it on its channel, record the outcome (DESIGN rule 5: sent once).

Whoever sends (a Celery worker, or `send_reminders` in-process) first claims the
row with a guarded UPDATE and a lease (Delivery.claim), and acts only on rows it
claimed. A sender that dies after claiming leaves the row "sending"; once the lease
expires the next sweep re-enqueues it and another sender claims it. A failed send
is retried with exponential backoff and its error is kept on the row.
"""

import dataclasses
import logging

from core import clock
from notifications.channels import SkipDelivery, channel_named, render_digest
from notifications.models import Delivery

logger = logging.getLogger(__name__)


@dataclasses.dataclass
class Outcome:
    status: str  # "sent", "failed", "skipped", "retry", "not_claimed"
    retry_in: float | None = None
    error: str = ""


def deliver(delivery_id):
    """Claim and send one delivery; returns what happened."""
    token = Delivery.claim(delivery_id)
    if token is None:
        return Outcome("not_claimed")
    delivery = Delivery.objects.select_related("digest__recipient").get(pk=delivery_id)
    try:
        channel = channel_named(delivery.channel)
        message = render_digest(delivery.digest)
        channel.send(delivery, message)
    except SkipDelivery as exc:
        delivery.mark_skipped(token, str(exc))
        return Outcome("skipped", error=str(exc))
    except Exception as exc:  # any channel failure is retried; the error is kept for the office's log
        error = f"{type(exc).__name__}: {exc}"[:2000]
        logger.warning("reminder delivery %s on %s failed: %s", delivery_id, delivery.channel, error)
        delay = delivery.mark_failed(token, error)
        if delay is None:
            return Outcome("failed", error=error)
        return Outcome("retry", retry_in=delay.total_seconds(), error=error)
    if not delivery.mark_sent(token):
        logger.warning("reminder delivery %s sent after its lease was taken over", delivery_id)
    return Outcome("sent")


def send_due(limit=None):
    """Send, in this process, every delivery that is due now (send_reminders). Returns {status: count}."""
    counts = {"sent": 0, "failed": 0, "skipped": 0, "retry": 0, "not_claimed": 0}
    ids = Delivery.objects.claimable(clock.now()).order_by("pk").values_list("pk", flat=True)
    if limit:
        ids = ids[:limit]
    for delivery_id in list(ids):
        counts[deliver(delivery_id).status] += 1
    return counts
