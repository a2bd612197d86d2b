"""When a date makes sense. One rule per kind of date, given to the models' fields as validators,
so that the pages, the admin and every import check the same thing.

The product keeps the record of party campaigns: nothing it holds is dated before 1949, and a
year is always written with four digits. A document is dated when it is signed or printed, at
the latest next year (a December draft dated for January). What is reported as done (a visit,
a meeting held, a spot check) cannot have happened after today. What is planned or due lies
within a campaign's reach: at most `YEARS_AHEAD` years after today.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core import clock
from core.templatetags.core_tags import format_day

EARLIEST = dt.date(1949, 1, 1)
# The Mass Line campaign ran two years including its look-back; five years ahead is surely a typo.
YEARS_AHEAD = 5


def _too_early(value):
    if value < EARLIEST:
        raise ValidationError(
            _("日期不能早于%(earliest)s。请检查年份。") % {"earliest": format_day(EARLIEST)}, code="too_early"
        )


def validate_document_date(value):
    """A signed (成文) or printed (印发) date: from 1949 to the end of next year."""
    _too_early(value)
    latest = dt.date(clock.today().year + 1, 12, 31)
    if value > latest:
        raise ValidationError(
            _("公文日期不能晚于%(latest)s。请检查年份。") % {"latest": format_day(latest)}, code="too_late"
        )


def validate_not_in_future(value):
    """A date on which something was done (a visit, a meeting held, a spot check): not after today."""
    _too_early(value)
    today = clock.today()
    if value > today:
        raise ValidationError(
            _("这是已发生事项的日期，不能晚于今天（%(today)s）。") % {"today": format_day(today)}, code="future"
        )


def latest_plan_date():
    return dt.date(clock.today().year + YEARS_AHEAD, 12, 31)


def validate_plan_date(value):
    """A date something is planned or due on (a campaign's start, a batch, a time limit): from
    1949 to at most YEARS_AHEAD years after this year."""
    _too_early(value)
    latest = latest_plan_date()
    if value > latest:
        raise ValidationError(
            _("日期不能晚于%(latest)s。请检查年份。") % {"latest": format_day(latest)}, code="too_late"
        )
