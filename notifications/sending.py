"""Sending one delivery: claim it, send it on its channel, record the outcome (DESIGN rule 5: sent once).

Whoever sends (a Celery worker, or `send_reminders` in-process) first claims the row with a
guarded UPDATE and a short lease (Delivery.claim), and acts only on rows it claimed. While it
sends, a LeaseKeeper renews the lease; a sender that dies stops renewing, and within a lease
(REMINDER_LEASE_SECONDS) the dispatcher hands the row to another sender.

Each send has its own time limit (DELIVERY_SEND_SECONDS; EMAIL_TIMEOUT bounds each exchange
with the mail server), so a server that accepts and never answers costs one attempt, not the
worker. A failed send is retried with capped backoff through the retry window.

Recording the outcome survives the database connection dropping: after a mail server has
accepted a message, the "sent" is retried with a fresh connection for up to
DELIVERY_BOOKKEEPING_SECONDS, while the lease is kept. E-mail is delivered at least once (a
sender killed between the server's acceptance and the bookkeeping leaves a row that is sent
again, with the same Message-ID); what is recorded is exactly once.
"""

import contextlib
import dataclasses
import logging
import os
import signal
import threading
import time

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.utils.translation import gettext as _

from core import clock
from notifications.channels import SkipDelivery, channel_named, hears_on, render_digest
from notifications.models import Delivery

logger = logging.getLogger(__name__)


@dataclasses.dataclass
class Outcome:
    status: str  # "sent", "failed", "skipped", "retry", "not_claimed", "lease_lost"
    error: str = ""


class SendTimedOut(Exception):
    """The channel did not finish within DELIVERY_SEND_SECONDS."""


@contextlib.contextmanager
def time_limit(seconds):
    """Raise SendTimedOut in this thread after `seconds`. Only the main thread of a process can
    take signals (a Celery worker's task and `send_reminders` run there); elsewhere the channel's
    own timeouts (EMAIL_TIMEOUT) are the limit."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise SendTimedOut(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class LeaseKeeper:
    """Renews the leases of the rows this process is sending, every third of a lease, from one
    thread of the process (with its own database connection). A row another sender has taken
    over is dropped from the renewals and marked lost."""

    def __init__(self):
        self._held = {}  # delivery id -> (token, lost event)
        self._lock = threading.Lock()
        self._thread = None
        self._pid = None

    @contextlib.contextmanager
    def holding(self, delivery_id, token):
        lost = threading.Event()
        with self._lock:
            self._held[delivery_id] = (token, lost)
            self._start()
        try:
            yield lost
        finally:
            with self._lock:
                self._held.pop(delivery_id, None)

    def _start(self):
        # A forked worker child inherits the object but not the thread: start one per process.
        if self._thread is None or self._pid != os.getpid() or not self._thread.is_alive():
            self._pid = os.getpid()
            self._thread = threading.Thread(target=self._run, name="delivery-leases", daemon=True)
            self._thread.start()

    def _run(self):
        while True:
            time.sleep(max(settings.REMINDER_LEASE_SECONDS / 3, 0.5))
            with self._lock:
                held = list(self._held.items())
            for delivery_id, (token, lost) in held:
                try:
                    if not Delivery.renew(delivery_id, token):
                        lost.set()
                        logger.warning("delivery %s: lease taken over by another sender", delivery_id)
                except Exception as exc:  # the database is away: keep trying, the lease may still hold
                    logger.warning("delivery %s: lease not renewed: %s", delivery_id, exc)
            connection.close()


leases = LeaseKeeper()


def record(write):
    """Run a bookkeeping write, reconnecting and retrying while the database is away, for up to
    DELIVERY_BOOKKEEPING_SECONDS. Inside a transaction (tests, or a caller's atomic block) a
    lost connection cannot be replaced, so the error is raised at once."""
    deadline = time.monotonic() + settings.DELIVERY_BOOKKEEPING_SECONDS
    pause = 0.2
    while True:
        try:
            return write()
        except (OperationalError, InterfaceError) as exc:
            if connection.in_atomic_block or time.monotonic() + pause > deadline:
                raise
            logger.warning("recording a delivery outcome failed (%s); reconnecting in %.1f s", exc, pause)
            time.sleep(pause)
            connection.close()
            pause = min(pause * 2, 5)


def deliver(delivery_id):
    """Claim and send one delivery; returns what happened."""
    token = record(lambda: Delivery.claim(delivery_id))
    if token is None:
        return Outcome("not_claimed")
    delivery = record(lambda: Delivery.objects.select_related("digest__recipient").get(pk=delivery_id))
    with leases.holding(delivery_id, token):
        try:
            if not hears_on(delivery.digest.recipient, delivery.channel):
                raise SkipDelivery(_("本人已选择不接收此渠道的消息"))
            channel = channel_named(delivery.channel)
            message = render_digest(delivery.digest)
            with time_limit(settings.DELIVERY_SEND_SECONDS):
                channel.send(delivery, message)
        except SkipDelivery as exc:
            reason = str(exc)
            record(lambda: delivery.mark_skipped(token, reason))
            return Outcome("skipped", error=reason)
        except Exception as exc:  # any channel failure is retried; the error is kept for the office's log
            error = f"{type(exc).__name__}: {exc}"[:2000]
            logger.warning("reminder delivery %s on %s failed: %s", delivery_id, delivery.channel, error)
            delay = record(lambda: delivery.mark_failed(token, error))
            if delay is None:
                return Outcome("failed", error=error)
            return Outcome("retry", error=error)
        if not record(lambda: delivery.mark_sent(token)):
            logger.warning("reminder delivery %s sent after its lease was taken over", delivery_id)
            return Outcome("lease_lost")
    return Outcome("sent")


def send_due(limit=None):
    """Send, in this process, every delivery that is due now (send_reminders). Returns {status: count}."""
    counts = dict.fromkeys(("sent", "failed", "skipped", "retry", "not_claimed", "lease_lost"), 0)
    ids = Delivery.objects.claimable(clock.now()).order_by("pk").values_list("pk", flat=True)
    if limit:
        ids = ids[:limit]
    for delivery_id in list(ids):
        counts[deliver(delivery_id).status] += 1
    return counts
