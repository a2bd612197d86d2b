"""`manage.py send_reminders [--now ISO-8601] [--dry-run]`: one sweep and its sending, in this process."""

from django.core.management.base import BaseCommand, CommandError

from notifications.sending import send_due
from notifications.sweep import as_of, run_sweep


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
        sent = failed = 0
        if not options["dry_run"]:
            counts = send_due()
            sent, failed = counts["sent"], counts["failed"] + counts["retry"]
            if counts["skipped"]:
                self.stdout.write(f"skipped (no address on a channel): {counts['skipped']}")
        if result.digests:
            self.stdout.write(f"digests: {result.digests}")
        self.stdout.write(f"reminders: created={result.created} sent={sent} failed={failed}")
