"""Entering the work calendar (core.models) with its trace in the audit trail (DESIGN rule 10).

The calendar lives in core, which knows no other app; writing it with an audit row needs the
audit trail, so the import and the admin pages are here. An import replaces the days of the
year(s) it names and declares them entered, all in one transaction with one audit row carrying
the file name, or writes nothing (core.calendar_import checks every row first).
"""

from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import change, record_change
from core import workdays
from core.calendar_import import CalendarImportRefused, parse_rows, read_file
from core.models import CalendarDay, CalendarYear
from core.people import person_name
from core.security_log import security_event


def import_calendar(file_name, data, *, actor, reason, year=None):
    """Import the notice in `data` (the bytes of `file_name`); returns the CalendarYear rows declared."""
    if not (reason or "").strip():
        raise CalendarImportRefused([_("请填写导入原因（如：国务院办公厅关于2027年部分节假日安排的通知）。")])
    entries = parse_rows(read_file(file_name, data), year=year)
    years = sorted({day.year for day, _kind, _name in entries} | ({year} if year else set()))
    who = person_name(actor) if getattr(actor, "is_authenticated", False) else ""
    with transaction.atomic():
        before = CalendarDay.objects.filter(date__year__in=years).count()
        CalendarDay.objects.filter(date__year__in=years).delete()
        CalendarDay.objects.bulk_create([CalendarDay(date=day, kind=kind, name=name) for day, kind, name in entries])
        declared = []
        for number in years:
            row, _created = CalendarYear.objects.update_or_create(
                year=number, defaults={"source": _("导入：%(file)s") % {"file": file_name[:150]}, "entered_by": who},
            )
            declared.append(row)
        record_change(
            declared[0], "calendar_import", actor=actor, reason=reason,
            changes={
                "file": change(None, file_name),
                "years": change(None, years),
                "days": change(before, len(entries)),
            },
        )
    workdays.table_changed()
    security_event("import", kind="work_calendar", file=file_name, years=",".join(map(str, years)), rows=len(entries))
    return declared
