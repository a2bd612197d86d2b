"""The unit register as .xlsx or .csv (any filtered list of units, in the import template's
columns, so that the file can be edited and imported again), written as a background job
(core.jobs, kind "units.export"): the list's export buttons start it.

The rows come from the database as tuples (values_list) in chunks through a server-side cursor,
in tree order; the .xlsx goes through core's one workbook writer (core.spreadsheet.xlsx_sheet),
the .csv through the csv module with a BOM (Excel reads UTF-8 only with one). Every text cell is
written inert (core.spreadsheet.escape_formula: CSV/formula injection). The values are those of
units.resources (labels of choices, 是/否, the parent's code, the affiliation body's name).
"""

import csv
import io

from django.http import QueryDict
from django.utils.translation import gettext as _

from core import jobs
from core.security_log import security_event
from core.spreadsheet import escape_formula, inert_xml, shared_cell, xlsx_sheet
from units.forms import UnitFilterForm
from units.models import Level, Unit, UnitType
from units.resources import COLUMNS

KIND = "units.export"
FORMATS = ("xlsx", "csv")
CHUNK = 5000
# The query's columns, in the order of units.resources.COLUMNS.
FIELDS = ("code", "name", "short_name", "parent__code", "level", "unit_type", "is_window_unit", "is_contact_point",
          "is_active", "party_affiliation__name")
LETTERS = "ABCDEFGHIJ"
WIDTHS = [(1, 1, 16), (2, 2, 30), (3, 3, 16), (4, 4, 16), (5, 6, 14), (7, 9, 8), (10, 10, 24)]


def title(fmt):
    return _("导出单位名册（.%(format)s）") % {"format": fmt}


def start_export(query, fmt, *, owner):
    """Start the export of the units `query` (the list's filters, a QueryDict) selects for `owner`."""
    return jobs.start(KIND, owner=owner, title=title(fmt), params={"format": fmt, "query": dict(query.lists())})


def unit_rows(units):
    """The register's rows of `units` as tuples of FIELDS, in tree order, streamed."""
    return units.order_by("path").values_list(*FIELDS).iterator(chunk_size=CHUNK)


def _labels():
    return {value: str(label) for value, label in Level.choices}, {value: str(label) for value, label in UnitType.choices}


def write_units(units, target, fmt, progress=None):
    """Write the register of `units` into the binary file `target` as `fmt`; returns the row count."""
    headers = list(COLUMNS.values())
    writer = _write_csv if fmt == "csv" else _write_xlsx
    return writer(unit_rows(units), target, headers, progress)


def _write_csv(rows, target, headers, progress):
    levels, types = _labels()
    text = io.TextIOWrapper(target, encoding="utf-8-sig", newline="")
    out = csv.writer(text)
    out.writerow(headers)
    count = 0
    for code, name, short_name, parent, level, unit_type, window, contact, active, body in rows:
        out.writerow([escape_formula(code), escape_formula(name), escape_formula(short_name), escape_formula(parent or ""),
                      levels.get(level, level or ""), types.get(unit_type, unit_type or ""), "是" if window else "否",
                      "是" if contact else "否", "是" if active else "否", escape_formula(body or "")])
        count += 1
        if progress is not None and count % CHUNK == 0:
            progress(count)
    text.flush()
    text.detach()
    return count


def _write_xlsx(rows, target, headers, progress):
    levels, types = _labels()
    count = 0
    with xlsx_sheet(target, _("单位名册"), WIDTHS) as sheet:
        strings = sheet.strings
        sheet.append('<row r="1">' + "".join(shared_cell(LETTERS[i], 1, strings(h)) for i, h in enumerate(headers)) + "</row>")
        # Labels and 是/否 are shared strings (a few distinct values); so are parents' codes and
        # affiliation bodies' names, which repeat from row to row.
        level_index = {value: strings(label) for value, label in levels.items()}
        type_index = {value: strings(label) for value, label in types.items()}
        yes, no = strings("是"), strings("否")
        repeated = {}

        def shared(text):
            index = repeated.get(text)
            if index is None:
                index = repeated[text] = strings(escape_formula(text))
            return index

        number = 1
        for code, name, short_name, parent, level, unit_type, window, contact, active, body in rows:
            number += 1
            n = str(number)
            cells = [f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t xml:space="preserve">{inert_xml(code)}</t></is></c>'
                     f'<c r="B{n}" t="inlineStr"><is><t xml:space="preserve">{inert_xml(name)}</t></is></c>']
            if short_name:
                cells.append(f'<c r="C{n}" t="inlineStr"><is><t xml:space="preserve">{inert_xml(short_name)}</t></is></c>')
            if parent:
                cells.append(f'<c r="D{n}" t="s"><v>{shared(parent)}</v></c>')
            if level in level_index:
                cells.append(f'<c r="E{n}" t="s"><v>{level_index[level]}</v></c>')
            if unit_type in type_index:
                cells.append(f'<c r="F{n}" t="s"><v>{type_index[unit_type]}</v></c>')
            cells.append(f'<c r="G{n}" t="s"><v>{yes if window else no}</v></c><c r="H{n}" t="s"><v>{yes if contact else no}</v></c>'
                         f'<c r="I{n}" t="s"><v>{yes if active else no}</v></c>')
            if body:
                cells.append(f'<c r="J{n}" t="s"><v>{shared(body)}</v></c>')
            cells.append("</row>")
            sheet.append("".join(cells))
            count += 1
            if progress is not None and count % CHUNK == 0:
                progress(count)
    return count


def run_export(job, progress):
    """The runner of "units.export": the units the owner may see (Unit.objects.restrict, read now),
    filtered as the list was."""
    owner, fmt = job.owner, job.params.get("format")
    if owner is None or not owner.is_active:
        raise jobs.JobFailed(_("发起人的账号已停用，未导出。"))
    if fmt not in FORMATS:
        raise jobs.JobFailed(_("格式只能是 xlsx 或 csv。"))
    query = QueryDict(mutable=True)
    for key, values in (job.params.get("query") or {}).items():
        query.setlist(key, [str(value) for value in values])
    units = UnitFilterForm(query).apply(Unit.objects.restrict(owner))
    progress(0, total=units.count())
    filename = f"units.{fmt}"
    with jobs.result_writer(job, filename) as out:
        rows = write_units(units, out, fmt, progress)
    progress(rows)
    security_event("export", file=filename, rows=rows, job=job.pk, owner=owner.pk)
    return {"message": _("已导出 %(count)s 个单位。") % {"count": rows}}
