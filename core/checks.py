"""System check core.W001: the work calendar must cover this year, and next year from 1 November.

The State Council's notice for next year usually appears in October or November; from
1 November on, an unentered next year is a warning for the operator (`manage.py check`,
every deployment), as it is a banner for superusers and offices (access.context_processors).
"""

import datetime as dt

from django.core.checks import Warning, register
from django.db import DatabaseError

from core import clock
from core.workdays import not_entered_message, uncovered_years


def years_to_check(today):
    """This year, and next year from 1 November."""
    return [today.year, today.year + 1] if today.month >= 11 else [today.year]


def missing_years(today=None):
    """The years among `years_to_check` the calendar does not cover."""
    today = today or clock.today()
    return uncovered_years([dt.date(year, 1, 1) for year in years_to_check(today)])


@register()
def work_calendar_covered(app_configs=None, **kwargs):
    """Reads the database (one query): an operator running `check` must hear of it."""
    try:
        missing = missing_years()
    except DatabaseError:  # not migrated yet: the migrate command reports that
        return []
    return [
        Warning(
            not_entered_message(year),
            hint="Enter the State Council's holiday notice: manage.py import_calendar FILE --reason TEXT, "
            "or the admin's work calendar import page.",
            id="core.W001",
        )
        for year in missing
    ]
