"""Reading a units file (.xlsx or .csv) for the import, defensively.

A file comes from a browser and may be broken, huge or hostile. Before anything is parsed it is
held to the size cap (settings.UNIT_IMPORT_MAX_BYTES); its rows are counted cheaply against the
row cap (settings.UNIT_IMPORT_MAX_ROWS): the sheet's recorded dimension first, then while
streaming, stopping at the first row over the cap, so a file of 300,000 rows is refused without
being read into memory. An .xlsx is read with openpyxl in read-only mode and formulas kept as
formulas, so that a formula cell is refused on its row (CSV/formula injection: core.spreadsheet)
rather than imported as whatever value a spreadsheet last computed for it. Whatever goes wrong
while reading becomes a sentence for the person who uploaded the file (ImportRefused), never a
server error.
"""

import codecs
import csv
import io
import logging
import zipfile

import openpyxl
import tablib
from django.conf import settings
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# An .xlsx is a zip: its parts unpacked may not exceed this many times the size cap (a sheet of
# 60,000 plain rows unpacks to about eight times its packed size), against zip bombs.
MAX_UNPACK_RATIO = 20
# Columns read from each row: the template has nine, a few more are tolerated (and ignored).
MAX_COLUMNS = 30
# A cell of a .csv may not be longer than this (no unit text comes near it).
MAX_CSV_CELL = 10_000


class ImportRefused(Exception):
    """The file cannot be imported at all; the message says why, in words."""


class FileRows:
    """The rows of a file: `dataset` (a tablib Dataset with the header row as headers, empty rows
    left out), `numbers` (the row number in the file of each dataset row, for messages) and
    `formula_rows` ([(row number, [column headers])] of the cells holding a formula)."""

    def __init__(self, headers):
        self.dataset = tablib.Dataset(headers=headers)
        self.numbers = []
        self.formula_rows = []


def _too_many_rows():
    return ImportRefused(
        _("文件超过 %(rows)s 行，无法一次导入。请分成几个文件分别导入。") % {"rows": f"{settings.UNIT_IMPORT_MAX_ROWS:,}"}
    )


def check_size(size):
    """Refuse a file over the size cap before it is read."""
    if size > settings.UNIT_IMPORT_MAX_BYTES:
        raise ImportRefused(
            _("文件过大（%(size)s MB），导入文件不能超过 %(limit)s MB。请分成几个文件分别导入。")
            % {"size": f"{size / 1048576:.1f}", "limit": f"{settings.UNIT_IMPORT_MAX_BYTES / 1048576:g}"}
        )


def _unreadable():
    return ImportRefused(_("无法读取该文件：它不是有效的 .xlsx 或 UTF-8/GBK 编码的 .csv 文件，或已损坏。请用下载的模板填写后重新上传。"))


def _csv_text(path):
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in Chinese saves CSV as GBK
        try:
            return codecs.decode(raw, encoding)
        except UnicodeDecodeError:
            continue
    raise _unreadable()


def _csv_rows(path):
    """(row number, [cell values], [indexes of formula cells]) of a .csv; cells are text."""
    reader = csv.reader(io.StringIO(_csv_text(path), newline=""))
    for number, row in enumerate(reader, start=1):
        if any(len(cell) > MAX_CSV_CELL for cell in row):
            raise ImportRefused(_("第 %(row)s 行有过长的单元格，无法导入。") % {"row": number})
        yield number, row[:MAX_COLUMNS], ()


def _open_sheet(path):
    """The workbook (read-only, formulas kept) and its first sheet, after the zip's unpacked size is checked."""
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _unreadable()
    if unpacked > settings.UNIT_IMPORT_MAX_BYTES * MAX_UNPACK_RATIO:
        raise ImportRefused(_("文件解压后过大，无法导入。请分成几个文件分别导入。"))
    book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    if not book.worksheets:
        book.close()
        raise _unreadable()
    return book, book.worksheets[0]


def _refuse_recorded_excess(sheet):
    """Refuse at once a sheet whose recorded dimension claims more rows than the cap, then forget
    the dimension: it may be missing or false, and openpyxl would stop reading where it ends."""
    if isinstance(sheet.max_row, int) and sheet.max_row - 1 > settings.UNIT_IMPORT_MAX_ROWS:
        raise _too_many_rows()
    sheet.reset_dimensions()


def _xlsx_rows(path):
    """(row number, [cell values], [indexes of formula cells]) of the first sheet of an .xlsx."""
    book, sheet = _open_sheet(path)
    try:
        _refuse_recorded_excess(sheet)
        for number, row in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS), start=1):
            values, formulas = [], []
            for index, cell in enumerate(row):
                if getattr(cell, "data_type", None) == "f":
                    formulas.append(index)
                values.append(getattr(cell, "value", None))
            yield (getattr(row[0], "row", None) or number) if row else number, values, formulas
    finally:
        book.close()


def _is_empty(values):
    return all(value is None or (isinstance(value, str) and not value.strip()) for value in values)


def read_rows(path):
    """Every row of the file as FileRows; ImportRefused when it is too big, too long or unreadable."""
    check_size(path.stat().st_size)
    rows = _csv_rows(path) if path.suffix.lower() == ".csv" else _xlsx_rows(path)
    try:
        found = None
        for number, values, formulas in rows:
            if found is None:
                if _is_empty(values):
                    continue
                headers = [str(value).strip() if value is not None else "" for value in values]
                while headers and not headers[-1]:
                    headers.pop()
                found = FileRows(headers)
                continue
            values = (list(values) + [None] * len(found.dataset.headers))[: len(found.dataset.headers)]
            if _is_empty(values):
                continue
            if len(found.dataset) >= settings.UNIT_IMPORT_MAX_ROWS:
                raise _too_many_rows()
            found.dataset.append(values)
            found.numbers.append(number)
            named = [found.dataset.headers[index] or str(index + 1) for index in formulas if index < len(found.dataset.headers)]
            if named:
                found.formula_rows.append((number, named))
    except ImportRefused:
        raise
    except Exception:  # openpyxl, zipfile, the XML parser and csv raise many kinds on a broken file
        logger.info("unreadable units file %s", path.name, exc_info=True)
        raise _unreadable()
    if found is None or not found.dataset.headers or not len(found.dataset):
        raise ImportRefused(_("文件中没有单位：第一行应是列名，之后每行一个单位。请使用下载的模板。"))
    return found


def count_rows(path):
    """About how many data rows the file has, cheaply, and refused over the caps: the size first;
    for a .csv its lines; for an .xlsx the dimension it records (a file claiming too many rows is
    refused at once), then its rows streamed up to the cap without keeping them. Decides whether
    the import runs in the request or in the worker; read_rows() then holds every row to the caps
    again."""
    check_size(path.stat().st_size)
    try:
        if path.suffix.lower() == ".csv":
            found = sum(1 for line in _csv_text(path).splitlines() if line.strip(" ,;\t")) - 1
        else:
            book, sheet = _open_sheet(path)
            try:
                _refuse_recorded_excess(sheet)
                found = -1
                for _row in sheet.iter_rows(max_col=1, values_only=True):
                    found += 1
                    if found > settings.UNIT_IMPORT_MAX_ROWS:
                        break
            finally:
                book.close()
    except ImportRefused:
        raise
    except Exception:  # as in read_rows
        logger.info("unreadable units file %s", path.name, exc_info=True)
        raise _unreadable()
    if found > settings.UNIT_IMPORT_MAX_ROWS:
        raise _too_many_rows()
    return max(found, 0)
