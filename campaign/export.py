"""Streamed .xlsx export of obligations (the dashboard's current view).

openpyxl's write-only workbook keeps only the current row in memory and spools
the sheet to a temporary file; rows come from the database in chunks through a
server-side cursor, and the finished file is streamed back in blocks. 500,000
rows are never held in memory at once.
"""

import tempfile
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from campaign.models import ObligationStatus

CHUNK = 5000
OPEN = {ObligationStatus.PENDING, ObligationStatus.RETURNED}

COLUMNS = [
    ("unit__code", "单位代码"),
    ("unit__name", "单位名称"),
    ("unit__level", "层级"),
    ("requirement__directive__number", "发文字号"),
    ("requirement__title", "报送事项"),
    ("due_at", "截止时间"),
    ("status", "状态"),
    ("first_submitted_at", "首次报送时间"),
    ("submitted_at", "最近报送时间"),
    ("accepted_at", "通过时间"),
]


def _naive(value, zone):
    return value.astimezone(zone).replace(tzinfo=None) if value else None


def write_obligations(obligations, target):
    """Write `obligations` to the file object `target` as one worksheet; returns the row count."""
    zone = ZoneInfo(settings.TIME_ZONE)
    now = timezone.now()
    labels = dict(ObligationStatus.choices)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("报送任务"))
    sheet.append([_(title) for _field, title in COLUMNS] + [_("是否逾期")])
    count = 0
    fields = [name for name, _title in COLUMNS]
    for code, name, level, number, title, due_at, status, first, last, accepted in (
        obligations.order_by("unit__path", "requirement_id").values_list(*fields).iterator(chunk_size=CHUNK)
    ):
        overdue = status in OPEN and due_at < now
        sheet.append(
            [code, name, level, number, title, _naive(due_at, zone), str(labels.get(status, status)),
             _naive(first, zone), _naive(last, zone), _naive(accepted, zone), _("是") if overdue else ""]
        )
        count += 1
    book.save(target)
    return count


def obligations_workbook_response(obligations, filename):
    """A streamed download of the workbook, built in a temporary file that vanishes on close."""
    spool = tempfile.TemporaryFile(suffix=".xlsx")
    write_obligations(obligations, spool)
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
