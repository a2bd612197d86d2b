"""`manage.py expire_unit_imports [--now ISO-8601]`: delete unit import files left unconfirmed for
UNIT_IMPORT_KEEP_HOURS and those of lost steps (beat runs the same every hour)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from units.actions import expire_unit_imports


class Command(BaseCommand):
    help = "Delete unit import files left unconfirmed for UNIT_IMPORT_KEEP_HOURS (and those of lost steps)."

    def add_arguments(self, parser):
        parser.add_argument("--now", help="As of this moment (ISO 8601; naive means Asia/Shanghai).")

    def handle(self, *args, **options):
        now = None
        if options["now"]:
            now = parse_datetime(options["now"])
            if now is None:
                raise CommandError("--now: not an ISO 8601 date and time")
            if timezone.is_naive(now):
                now = timezone.make_aware(now)
        deleted = expire_unit_imports(now)
        self.stdout.write(f"unit imports: deleted {deleted} file(s)")
