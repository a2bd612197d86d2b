"""The traffic light of DESIGN rule 4: its four colours, their words and their badge classes.

Green: on track. Yellow: still open and due within `due_soon_days()` (default 3; an office
may change it with TRAFFIC_LIGHT_DUE_SOON_DAYS). Red: open past the due moment. Grey: done.
Which obligation or rectification item has which light is decided by that model's status
annotations (`with_status`); this module only names and colours the lights.
"""

import datetime as dt

from django.conf import settings
from django.utils.translation import gettext_lazy as _

ON_TRACK, DUE_SOON, OVERDUE, DONE = "on_track", "due_soon", "overdue", "done"
LIGHTS = (ON_TRACK, DUE_SOON, OVERDUE, DONE)
LABELS = {ON_TRACK: _("正常"), DUE_SOON: _("临近截止"), OVERDUE: _("有逾期"), DONE: _("已完成")}
# What the badge adds after the state's own name (e.g. "待报送 · 已逾期").
SUFFIXES = {OVERDUE: _("已逾期"), DUE_SOON: _("即将到期")}
BADGE_CLASSES = {
    ON_TRACK: "text-bg-success",
    DUE_SOON: "text-bg-warning",
    OVERDUE: "text-bg-danger",
    DONE: "text-bg-secondary",
}


def due_soon_days():
    """How many days before its due moment open work turns yellow."""
    return settings.TRAFFIC_LIGHT_DUE_SOON_DAYS


def due_soon_window():
    return dt.timedelta(days=due_soon_days())


def worst(overdue_count, due_soon_count):
    """The light of a group of deadlines (a unit, a requirement): its worst open member."""
    if overdue_count:
        return OVERDUE
    if due_soon_count:
        return DUE_SOON
    return ON_TRACK
