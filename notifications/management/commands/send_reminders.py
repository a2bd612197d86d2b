"""`manage.py send_reminders [--now ISO-8601] [--dry-run]`: one sweep and its sending, in this process.

It reports, each on a line of its own: the digests the sweep made (one message per recipient);
the deliveries sent here, by channel and outcome (a delivery is one digest on one channel); and
last, the reminders: how many the sweep recorded, and how many of those in the digests sent here
now count as sent (delivered on at least one channel, for the first time in this run) or failed
(every channel gave up). The last line starts with "reminders:" (the Makefile and README show it).
"""

from collections import Counter, defaultdict

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Exists, OuterRef

from core import clock
from notifications.models import Delivery, Digest, Reminder
from notifications.outcomes import channel_order
from notifications.sending import deliver
from notifications.sweep import as_of, run_sweep

# Outcomes of sending.deliver() always shown; "held by another sender" only when there were any.
SHOWN = ("sent", "retry", "failed", "skipped")
ELSEWHERE = ("not_claimed", "lease_lost")


def send_due_by_channel():
    """notifications.sending.send_due(), counted by channel: every due delivery claimed and sent
    here. Returns ({channel: Counter of outcomes}, ids of the digests sent)."""
    outcomes, digests = defaultdict(Counter), set()
    due = Delivery.objects.claimable(clock.now()).order_by("pk").values_list("pk", "channel", "digest_id")
    for delivery_id, channel, digest_id in list(due):
        outcomes[channel][deliver(delivery_id).status] += 1
        digests.add(digest_id)
    return outcomes, digests


def settled_reminders(digest_ids, since):
    """(sent, failed): reminders of these digests first sent since `since`, and failed."""
    sent = failed = 0
    digest_ids = sorted(digest_ids)
    for start in range(0, len(digest_ids), 2000):
        reminders = Reminder.objects.filter(Exists(Digest.objects.filter(
            pk__in=digest_ids[start:start + 2000], sweep_id=OuterRef("sweep_id"), recipient_id=OuterRef("recipient_id"),
        )))
        sent += reminders.filter(status=Reminder.Status.SENT, sent_at__gte=since).count()
        failed += reminders.filter(status=Reminder.Status.FAILED).count()
    return sent, failed


class Command(BaseCommand):
    help = "Run one reminder sweep synchronously and send what it produced (and anything else due)."

    def add_arguments(self, parser):
        parser.add_argument("--now", help="Sweep as of this moment (ISO 8601; naive means Asia/Shanghai).")
        parser.add_argument("--dry-run", action="store_true", help="Compute and report, write and send nothing.")

    def handle(self, *args, **options):
        try:
            now = as_of(options["now"]) if options["now"] else None
        except ValueError as exc:
            raise CommandError(f"--now: {exc}")
        result = run_sweep(now, dispatch=False, dry_run=options["dry_run"])
        started = clock.now()
        outcomes, digests = ({}, set()) if options["dry_run"] else send_due_by_channel()
        self.stdout.write(f"digests: {result.digests}")
        for channel in sorted(outcomes, key=channel_order):
            counts = outcomes[channel]
            line = " ".join(f"{name}={counts[name]}" for name in SHOWN)
            elsewhere = sum(counts[name] for name in ELSEWHERE)
            if elsewhere:
                line += f" held-by-another-sender={elsewhere}"
            self.stdout.write(f"deliveries {channel}: {line}")
        sent, failed = settled_reminders(digests, started)
        self.stdout.write(f"reminders: created={result.created} sent={sent} failed={failed}")
