"""manage.py import_calendar FILE [--year Y] --reason TEXT: enter a year's work calendar from the
State Council's notice typed into the template (.xlsx or .csv: 日期, 类型, 名称). Nothing is
written unless every row is right; the year(s) are then declared entered (access.work_calendar)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from access.work_calendar import import_calendar
from core.calendar_import import CalendarImportRefused


class Command(BaseCommand):
    help = "Import a year's work calendar (holidays and make-up working days) from a .xlsx or .csv file."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--year", type=int, help="the year the file is for (required when it has no rows)")
        parser.add_argument("--reason", required=True, help="why, e.g. the notice's title; kept in the audit trail")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc}")
        try:
            declared = import_calendar(path.name, data, actor=None, reason=options["reason"], year=options["year"])
        except CalendarImportRefused as refused:
            raise CommandError("\n".join(refused.problems))
        for row in declared:
            self.stdout.write(f"{row.year}: {row.source}")
