"""Reading the State Council's holiday notice, entered by hand in a one-page .xlsx or .csv.

Columns 日期 (2027-02-08, 2027/2/8, 2027年2月8日 or a date cell), 类型 (休息日 or 上班) and
名称 (春节 …). Every row is checked, and every problem is named by its row, before anything is
written (access.work_calendar writes it in one transaction and audits it): a bad date, an
unknown kind, a date given twice, 上班 on a day that is already a weekday, 休息日 on a day that
is already a weekend. Whatever the cells hold, the only exception is CalendarImportRefused.
"""

import codecs
import csv
import datetime as dt
import io
import re
import zipfile

import openpyxl
from django.utils.translation import gettext as _

HEADERS = ("日期", "类型", "名称")
KINDS = {"休息日": "holiday", "休息": "holiday", "放假": "holiday", "上班": "workday", "调休上班": "workday"}
MAX_ROWS = 400  # a year has about 40 exceptions
MAX_BYTES = 1024 * 1024
DATE_TEXT = re.compile(r"^\s*(\d{4})\s*(?:[-/.年])\s*(\d{1,2})\s*(?:[-/.月])\s*(\d{1,2})\s*日?\s*$")


class CalendarImportRefused(Exception):
    """The file cannot be imported; `problems` are sentences naming the rows."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


def _unreadable():
    return CalendarImportRefused([_("无法读取该文件：请上传用模板填写的 .xlsx 或 .csv 文件（只含一个工作表）。")])


def read_file(name, data):
    """[(row number, [cells])] of the file's rows after the header row; refused when unreadable."""
    if len(data) > MAX_BYTES:
        raise CalendarImportRefused([_("文件过大，工作日历文件不能超过 1 MB。")])
    try:
        if name.lower().endswith(".csv"):
            for encoding in ("utf-8-sig", "gb18030"):
                try:
                    text = codecs.decode(data, encoding)
                    break
                except UnicodeDecodeError:
                    continue
            else:
                raise _unreadable()
            rows = list(csv.reader(io.StringIO(text, newline="")))
        else:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                if len(book.worksheets) != 1:
                    raise CalendarImportRefused([_("文件应只有一个工作表。")])
                sheet_rows = book.worksheets[0].iter_rows(max_col=10, values_only=True)
                rows = [list(row) for _i, row in zip(range(MAX_ROWS + 2), sheet_rows, strict=False)]
            finally:
                book.close()
    except CalendarImportRefused:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, TypeError, csv.Error, Exception):  # a broken file raises many kinds
        raise _unreadable()
    numbered = [(number, row) for number, row in enumerate(rows, start=1) if any(_text(cell) for cell in row)]
    if not numbered or [_text(cell) for cell in numbered[0][1][:3]] != list(HEADERS):
        raise CalendarImportRefused([_("第一行应是列名：日期、类型、名称。请使用下载的模板。")])
    if len(numbered) - 1 > MAX_ROWS:
        raise CalendarImportRefused([_("文件超过 %(rows)s 行，不像一年的工作日历。") % {"rows": MAX_ROWS}])
    return numbered[1:]


def _text(cell):
    if cell is None:
        return ""
    return str(cell).strip()


def _date(cell):
    if isinstance(cell, dt.datetime):
        return cell.date() if cell.time() == dt.time(0) else None
    if isinstance(cell, dt.date):
        return cell
    match = DATE_TEXT.match(_text(cell))
    if not match:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def parse_rows(rows, year=None):
    """[(date, kind, name)] from [(row number, [cells])]; CalendarImportRefused naming every bad row.
    With `year`, every date must be in that year."""
    problems, entries, seen = [], [], {}
    for number, cells in rows:
        cells = (list(cells) + [None, None, None])[:3]
        day, kind_text, name = _date(cells[0]), _text(cells[1]), _text(cells[2])
        kind = KINDS.get(kind_text)
        if day is None:
            problems.append(_("第 %(row)s 行：日期“%(value)s”无法识别，应写成 2027-02-08。") % {
                "row": number, "value": _text(cells[0])[:40]})
            continue
        if kind is None:
            problems.append(_("第 %(row)s 行：类型“%(value)s”无法识别，应为“休息日”或“上班”。") % {"row": number, "value": kind_text[:40]})
            continue
        if len(name) > 40:
            problems.append(_("第 %(row)s 行：名称过长（不超过 40 个字）。") % {"row": number})
            continue
        if year is not None and day.year != year:
            problems.append(_("第 %(row)s 行：日期 %(day)s 不在 %(year)s 年。") % {"row": number, "day": day.isoformat(), "year": year})
            continue
        if day in seen:
            problems.append(_("第 %(row)s 行：日期 %(day)s 与第 %(other)s 行重复。") % {
                "row": number, "day": day.isoformat(), "other": seen[day]})
            continue
        seen[day] = number
        weekend = day.weekday() >= 5
        if kind == "workday" and not weekend:
            problems.append(_("第 %(row)s 行：%(day)s 本来就是工作日（周一至周五），不必登记为上班。") % {
                "row": number, "day": day.isoformat()})
            continue
        if kind == "holiday" and weekend:
            problems.append(_("第 %(row)s 行：%(day)s 本来就是周末，不必登记为休息日。") % {"row": number, "day": day.isoformat()})
            continue
        if kind == "holiday" and not name:
            problems.append(_("第 %(row)s 行：休息日须填写名称（如春节）。") % {"row": number})
            continue
        entries.append((day, kind, name))
    if problems:
        raise CalendarImportRefused(problems)
    if not entries and year is None:
        raise CalendarImportRefused([_("文件中没有日期。若该年确无调休，请用 --year 指明年份。")])
    return entries


def template_csv():
    """The downloadable template: the header row and two example rows."""
    return "\ufeff日期,类型,名称\r\n2027-02-08,休息日,春节\r\n2027-02-20,上班,春节\r\n".encode()
