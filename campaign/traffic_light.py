"""The traffic light of DESIGN rule 4, the one place that colours a deadline.

Green: on track. Yellow: still open within `due_soon_days()` (default 3, a policy an office
can change with TRAFFIC_LIGHT_DUE_SOON_DAYS) of the due moment. Red: open past it. Grey: done.
"Late" stays visible after a late submission through Obligation.was_late. Used for
obligations (due moments) and rectification items (due dates) alike.
"""

import datetime as dt

from django.conf import settings
from django.utils.translation import gettext_lazy as _

# The names used by templates/includes/status_badge.html.
ON_TRACK, DUE_SOON, OVERDUE, DONE = "on_track", "due_soon", "overdue", "done"
LABELS = {ON_TRACK: _("正常"), DUE_SOON: _("临近截止"), OVERDUE: _("有逾期"), DONE: _("已完成")}


def due_soon_days():
    return getattr(settings, "TRAFFIC_LIGHT_DUE_SOON_DAYS", 3)


def due_soon_cutoff(now):
    """Open work due before this moment (and not yet overdue) is yellow."""
    return now + dt.timedelta(days=due_soon_days())


def light(is_open, due, now):
    """The light of one deadline: `due` and `now` are both datetimes or both dates."""
    if not is_open:
        return DONE
    if due < now:
        return OVERDUE
    if due - now <= dt.timedelta(days=due_soon_days()):
        return DUE_SOON
    return ON_TRACK


def light_of_counts(overdue, due_soon):
    """The light of a group of deadlines (a unit, a requirement): its worst member."""
    if overdue:
        return OVERDUE
    if due_soon:
        return DUE_SOON
    return ON_TRACK
