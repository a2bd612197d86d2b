"""Streamed .xlsx export of obligations (the dashboard's current view).

An .xlsx file is a zip of XML parts. For one sheet of plain text, numbers and dates
the parts are small and fixed except the sheet itself, so the sheet's XML is written
here directly into a deflated zip entry, row by row: memory stays constant whatever
the number of rows, and no per-cell objects are made.

Rows come from the database as tuples (values_list) in chunks through a server-side
cursor; requirement titles, document numbers and state labels are looked up once and
written as shared strings; unit cells are built once per unit (rows are ordered by unit).
Dates are Excel serial numbers in Asia/Shanghai with a date format, as Excel writes them.
Text from people (unit codes and names, document numbers, requirement titles) is written inert:
core.spreadsheet.escape_formula (CSV/formula injection).
"""

import datetime as dt
import re
import tempfile
import zipfile
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import FileResponse
from django.utils.translation import gettext as _

from campaign.deadlines import pending_due_label
from campaign.models import ObligationStatus, Requirement
from core import clock
from core.security_log import security_event
from core.spreadsheet import escape_formula
from units.models import Level

CHUNK = 5000
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

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
DATE_STYLE = 1  # index into cellXfs of styles.xml below
EXCEL_EPOCH = dt.datetime(1899, 12, 30)

# Characters XML 1.0 does not allow, which openpyxl and Excel refuse.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
<Default Extension="xml" ContentType="application/xml"/>\
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>\
<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>\
</Types>"""

_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_ROOT_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>\
<Relationship Id="rId2" Type="{_REL}/extended-properties" Target="docProps/app.xml"/>\
</Relationships>"""

_APP = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">\
<Application>Microsoft Excel</Application></Properties>"""

_WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>"""

_WORKBOOK_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>\
<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/>\
<Relationship Id="rId3" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>\
</Relationships>"""

_STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm"/></numFmts>\
<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>\
<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>\
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
</styleSheet>"""

_SHEET_START = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
<cols><col min="1" max="2" width="24" customWidth="1"/><col min="3" max="5" width="20" customWidth="1"/>\
<col min="6" max="12" width="17" customWidth="1"/><col min="13" max="13" width="30" customWidth="1"/></cols><sheetData>"""
_SHEET_END = "</sheetData></worksheet>"


def xml_text(value):
    """`value` as XML character data: escaped, without the control characters XML forbids."""
    return escape(_ILLEGAL.sub("", str(value)))


class SharedStrings:
    """The workbook's table of repeated strings (titles, numbers, labels): index by text."""

    def __init__(self):
        self.index = {}

    def __call__(self, text):
        text = str(text)
        if text not in self.index:
            self.index[text] = len(self.index)
        return self.index[text]

    def xml(self):
        items = "".join(f'<si><t xml:space="preserve">{xml_text(text)}</t></si>' for text in self.index)
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            f'count="{len(self.index)}" uniqueCount="{len(self.index)}">{items}</sst>'
        )


def _shared(column, row, index):
    return f'<c r="{column}{row}" t="s"><v>{index}</v></c>'


def write_obligations(obligations, target):
    """Write `obligations` to the file object `target` as one worksheet; returns the row count."""
    zone = ZoneInfo(settings.TIME_ZONE)
    now = clock.now()
    strings = SharedStrings()
    labels = {value: strings(label) for value, label in ObligationStatus.choices}
    level_labels = {value: str(label) for value, label in Level.choices}
    yes = strings(_("是"))

    serials = {}

    def serial(value):
        """Excel's serial number of an aware datetime, in local time (memoized: few distinct due dates)."""
        found = serials.get(value)
        if found is None:
            delta = value.astimezone(zone).replace(tzinfo=None) - EXCEL_EPOCH
            found = repr(delta.days + (delta.seconds + delta.microseconds / 1e6) / 86400)
            if len(serials) < 10000:
                serials[value] = found
        return found

    def date_cell(column, row, value):
        return "" if value is None else f'<c r="{column}{row}" s="{DATE_STYLE}"><v>{serial(value)}</v></c>'

    # requirement id -> (shared string of the document number or None, of the title, of the due
    # moment while it waits for the unit's meeting: 待定（总结会议召开后15日内）, rule 13): one query.
    requirement_cells = {
        pk: (strings(escape_formula(number)) if number else None, strings(escape_formula(title)),
             strings(pending_due_label(event, days, workdays)) if days else None)
        for pk, number, title, event, days, workdays in Requirement.objects.filter(
            pk__in=obligations.order_by().values("requirement_id")
        ).values_list("pk", "directive__number", "title", "due_event", "due_days", "due_workdays")
    }

    count = 0
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=3) as book:
        book.writestr("[Content_Types].xml", _CONTENT_TYPES)
        book.writestr("_rels/.rels", _ROOT_RELS)
        book.writestr("docProps/app.xml", _APP)
        book.writestr("xl/workbook.xml", _WORKBOOK.format(name=xml_text(_("报送任务"))[:31]))
        book.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        book.writestr("xl/styles.xml", _STYLES)
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            # The period of a recurring requirement (2014年1月) comes last: the columns before keep their places.
            headers = [_(title) for _field, title in COLUMNS] + [_("是否逾期"), _("逾期报送"), _("报送周期")]
            head = "".join(_shared(LETTERS[i], 1, strings(title)) for i, title in enumerate(headers))
            sheet.write(f'{_SHEET_START}<row r="1">{head}</row>'.encode())
            rows = obligations.with_status(now).order_by("unit__path", "requirement_id", "period_start").values_list(
                "unit_id", "unit__code", "unit__name", "unit__level", "requirement_id", "due_at", "status",
                "first_submitted_at", "submitted_at", "accepted_at", "is_overdue", "was_late", "period_label",
            )
            buffer = []
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
                    parts.append(f'<c r="A{n}" t="inlineStr"><is><t xml:space="preserve">{code_text}</t></is></c>')
                if name_text:
                    parts.append(f'<c r="B{n}" t="inlineStr"><is><t xml:space="preserve">{name_text}</t></is></c>')
                if level_index is not None:
                    parts.append(_shared("C", n, level_index))
                if number_index is not None:
                    parts.append(_shared("D", n, number_index))
                parts.append(_shared("E", n, title_index))
                if due_at is None and pending_index is not None:
                    parts.append(_shared("F", n, pending_index))
                else:
                    parts.append(date_cell("F", n, due_at))
                parts.append(_shared("G", n, labels.get(status) if status in labels else strings(status)))
                parts.append(date_cell("H", n, first))
                parts.append(date_cell("I", n, last))
                parts.append(date_cell("J", n, accepted))
                if overdue:
                    parts.append(_shared("K", n, yes))
                if late:
                    parts.append(_shared("L", n, yes))
                if period:
                    parts.append(_shared("M", n, strings(period)))
                parts.append("</row>")
                buffer.append("".join(parts))
                if len(buffer) >= CHUNK:
                    sheet.write("".join(buffer).encode())
                    buffer.clear()
                count += 1
            buffer.append(_SHEET_END)
            sheet.write("".join(buffer).encode())
        book.writestr("xl/sharedStrings.xml", strings.xml())
    return count


def obligations_workbook_response(obligations, filename):
    """A streamed download of the workbook, built in a temporary file that vanishes on close."""
    spool = tempfile.TemporaryFile(suffix=".xlsx")
    rows = write_obligations(obligations, spool)
    security_event("export", file=filename, rows=rows)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)
