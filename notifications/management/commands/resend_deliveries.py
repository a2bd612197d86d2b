"""`manage.py resend_deliveries (--delivery ID … | --requirement ID | --channel NAME) --reason TEXT
[--send-now]`: send again reminder deliveries that failed for good, e.g. every e-mail once the
mail server is back (issue 11).

The selectors combine (--requirement 12 --channel email: that requirement's e-mails). The rows
go through notifications.actions.resend_deliveries like a resend from the pages: one audit row
with the reason (its actor is the system), queued for the workers after commit; with --send-now
they are not queued but sent here, with every other delivery due (notifications.sending.send_due).
"""

from django.core.management.base import BaseCommand, CommandError

from campaign.models import Requirement
from notifications import actions
from notifications.models import Delivery
from notifications.sending import send_due


class Command(BaseCommand):
    help = "Resend reminder deliveries that failed for good: one, a requirement's or a channel's."

    def add_arguments(self, parser):
        parser.add_argument("--delivery", type=int, action="append", default=[], metavar="ID",
                            help="A delivery to resend (repeatable).")
        parser.add_argument("--requirement", type=int, metavar="ID", help="The deliveries of this requirement's reminders.")
        parser.add_argument("--channel", metavar="NAME", help="Deliveries on this channel (e.g. email).")
        parser.add_argument("--reason", default="", help="Why (kept in the audit trail); required.")
        parser.add_argument("--send-now", action="store_true",
                            help="Send in this process instead of queueing for the workers (no worker needed).")

    def handle(self, *args, **options):
        if not (options["delivery"] or options["requirement"] or options["channel"]):
            raise CommandError("name what to resend: --delivery ID, --requirement ID and/or --channel NAME")
        reason = options["reason"].strip()
        if not reason:
            raise CommandError("--reason: say why (it is kept in the audit trail)")
        rows, requirement = Delivery.objects.all(), None
        if options["requirement"]:
            requirement = Requirement.objects.filter(pk=options["requirement"]).first()
            if requirement is None:
                raise CommandError(f"--requirement: there is no requirement {options['requirement']}")
            rows = Delivery.objects.for_requirement(requirement)
        if options["delivery"]:
            rows = rows.filter(pk__in=options["delivery"])
        if options["channel"]:
            rows = rows.filter(channel=options["channel"])
        self.stdout.write(f"failed deliveries selected: {rows.failed().count()}")
        resent = actions.resend_deliveries(rows, actor=None, reason=reason, requirement=requirement,
                                           enqueue=not options["send_now"])
        channels = " ".join(f"{name}={count}" for name, count in sorted(resent.by_channel.items()))
        self.stdout.write(f"resent: {resent.count}" + (f" ({channels})" if channels else ""))
        if options["send_now"]:
            counts = send_due()
            busy = counts["not_claimed"] + counts["lease_lost"]
            self.stdout.write(
                f"sent here (every delivery due): sent={counts['sent']} retry={counts['retry']} failed={counts['failed']} "
                f"skipped={counts['skipped']} held-by-another-sender={busy}"
            )
        elif resent.count:
            self.stdout.write("queued for the workers (the dispatcher queues them too, within seconds)")
