"""A table offered as a file to save (.xlsx or .csv): the one way the pages hand over small exports.

Every text cell is written inert (core.spreadsheet.escape_formula: CSV/formula injection); a CSV
file starts with a BOM so that Excel reads its UTF-8. The large exports (the unit register, the
dashboard's obligations) are background jobs writing through core.spreadsheet.xlsx_sheet:
units.export and campaign.export.
"""

import tablib
from django.core.exceptions import BadRequest
from django.http import HttpResponse
from django.utils.translation import gettext as _

from core.security_log import security_event
from core.spreadsheet import escape_formula

FORMATS = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "csv": "text/csv; charset=utf-8"}


def download(dataset, fmt, filename):
    """`dataset` (tablib) as a file named `filename`.`fmt`; BadRequest for any other format."""
    if fmt not in FORMATS:
        raise BadRequest(_("格式只能是 xlsx 或 csv。"))
    inert = tablib.Dataset(headers=dataset.headers)
    for row in dataset:
        inert.append([escape_formula(value) for value in row])
    content = inert.export(fmt)
    if fmt == "csv":
        content = "\ufeff" + content  # Excel opens UTF-8 CSV correctly only with a BOM
    # Every small export passes here: the one place it is logged (the person is on the log line).
    security_event("export", file=f"{filename}.{fmt}", rows=len(inert))
    response = HttpResponse(content, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
