"""Streamed .xlsx export of obligations (the dashboard's current view), written by core's one
workbook writer (core.spreadsheet.xlsx_sheet: the sheet's XML straight into the zip, row by
row, memory constant whatever the number of rows); run as a background job (core.jobs) from the
dashboard's export button (campaign.exports).

Rows come from the database as tuples (values_list) in chunks through a server-side
cursor; requirement titles, document numbers and state labels are looked up once and
written as shared strings; unit cells are built once per unit (rows are ordered by unit).
Dates are Excel serial numbers in Asia/Shanghai with a date format, as Excel writes them.
Text from people (unit codes and names, document numbers, requirement titles) is written inert:
core.spreadsheet.escape_formula (CSV/formula injection).
"""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _

from access.policy import can
from campaign.deadlines import pending_due_label
from campaign.models import Campaign, Obligation, ObligationStatus, Requirement
from core import clock, jobs
from core.security_log import security_event
from core.spreadsheet import DATE_STYLE, ExcelSerials, escape_formula, shared_cell, text_cell, xlsx_sheet, xml_text
from units.models import Level, Unit

CHUNK = 5000
KIND = "campaign.progress_export"

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
LETTERS = "ABCDEFGHIJKLM"
# Column widths in characters: [(first, last, width)].
WIDTHS = [(1, 2, 24), (3, 5, 20), (6, 12, 17), (13, 13, 30)]


def write_obligations(obligations, target, progress=None):
    """Write `obligations` to the file object `target` as one worksheet; returns the row count.
    `progress(rows written)`, when given, is called after every CHUNK rows."""
    zone = ZoneInfo(settings.TIME_ZONE)
    now = clock.now()

    serial = ExcelSerials(zone)

    def date_cell(column, row, value):
        return f'<c r="{column}{row}" s="{DATE_STYLE}"><v>{serial(value)}</v></c>'

    count = 0
    with xlsx_sheet(target, _("报送任务"), WIDTHS) as sheet:
        strings = sheet.strings
        labels = {value: strings(label) for value, label in ObligationStatus.choices}
        level_labels = {value: str(label) for value, label in Level.choices}
        yes = strings(_("是"))
        # requirement id -> (shared string of the document number or None, of the title, of the due
        # moment while it waits for the unit's meeting: 待定（总结会议召开后15日内）, rule 13): one query.
        requirement_cells = {
            pk: (strings(escape_formula(number)) if number else None, strings(escape_formula(title)),
                 strings(pending_due_label(event, days, workdays)) if days else None)
            for pk, number, title, event, days, workdays in Requirement.objects.filter(
                pk__in=obligations.order_by().values("requirement_id")
            ).values_list("pk", "directive__number", "title", "due_event", "due_days", "due_workdays")
        }
        # The period of a recurring requirement (2014年1月) comes last: the columns before keep their places.
        headers = [_(title) for _field, title in COLUMNS] + [_("是否逾期"), _("逾期报送"), _("报送周期")]
        sheet.append('<row r="1">' + "".join(shared_cell(LETTERS[i], 1, strings(title)) for i, title in enumerate(headers))
                     + "</row>")
        rows = obligations.with_status(now).order_by("unit__path", "requirement_id", "period_start").values_list(
            "unit_id", "unit__code", "unit__name", "unit__level", "requirement_id", "due_at", "status",
            "first_submitted_at", "submitted_at", "accepted_at", "is_overdue", "was_late", "period_label",
        )
        last_unit = code_text = name_text = level_index = None
        number = 1
        for (unit_id, code, name, level, requirement_id, due_at, status, first, last, accepted, overdue, late,
             period) in rows.iterator(chunk_size=CHUNK):
            number += 1
            if unit_id != last_unit:
                last_unit = unit_id
                level_index = strings(level_labels.get(level, level)) if level else None
                code_text, name_text = xml_text(escape_formula(code or "")), xml_text(escape_formula(name or ""))
            number_index, title_index, pending_index = requirement_cells[requirement_id]
            n = str(number)
            parts = [f'<row r="{n}">']
            if code_text:
                parts.append(text_cell("A", n, code_text))
            if name_text:
                parts.append(text_cell("B", n, name_text))
            if level_index is not None:
                parts.append(shared_cell("C", n, level_index))
            if number_index is not None:
                parts.append(shared_cell("D", n, number_index))
            parts.append(shared_cell("E", n, title_index))
            if due_at is None:
                if pending_index is not None:
                    parts.append(shared_cell("F", n, pending_index))
            else:
                parts.append(date_cell("F", n, due_at))
            parts.append(shared_cell("G", n, labels.get(status) if status in labels else strings(status)))
            if first is not None:
                parts.append(date_cell("H", n, first))
            if last is not None:
                parts.append(date_cell("I", n, last))
            if accepted is not None:
                parts.append(date_cell("J", n, accepted))
            if overdue:
                parts.append(shared_cell("K", n, yes))
            if late:
                parts.append(shared_cell("L", n, yes))
            if period:
                parts.append(shared_cell("M", n, strings(period)))
            parts.append("</row>")
            sheet.append("".join(parts))
            count += 1
            if progress is not None and count % CHUNK == 0:
                progress(count)
    return count


def start_progress_export(unit, campaign, *, owner):
    """Start the export of the obligations of `campaign` in `unit`'s subtree (the dashboard's view)."""
    return jobs.start(KIND, owner=owner, title=_("导出%(unit)s的报送任务（.xlsx）") % {"unit": unit.name},
                      params={"unit": unit.pk, "campaign": campaign.pk if campaign else None})


def run_progress_export(job, progress):
    """The runner of "campaign.progress_export": who may manage the unit is asked again now."""
    owner = job.owner
    unit = Unit.objects.filter(pk=job.params.get("unit")).first()
    if owner is None or not owner.is_active or unit is None or not can(owner, "manage", unit):
        raise jobs.JobFailed(_("您已无权查看该单位的进度，未导出。"))
    campaign = Campaign.objects.filter(pk=job.params.get("campaign")).first()
    obligations = Obligation.objects.in_campaign(campaign).filter(unit__path__startswith=unit.path)
    progress(0, total=obligations.count())
    filename = f"progress-{unit.code}.xlsx"
    with jobs.result_writer(job, filename) as out:
        rows = write_obligations(obligations, out, progress)
    progress(rows)
    security_event("export", file=filename, rows=rows, job=job.pk, owner=owner.pk)
    return {"message": _("已导出 %(count)s 项报送任务。") % {"count": rows}}
