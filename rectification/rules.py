"""Who may do what to rectification plans, items and look-back reports (registered with access.policy).

A unit's plan, items and look-back report are kept by its liaisons and its office; the
masses' evaluation may be recorded by them or by the supervision group (003: 请群众评价和监督).
The look-back report is submitted by the unit's liaisons and reviewed by the superior
organisation and the supervision group, each on its own side (004).
Closing an item (销号, 004) is asked for by the unit and approved or sent back by the reviewer:
the supervision group over the unit or an office strictly above it, never the unit itself.
"""

from django.db.models import Q

from rectification.models import LookBackReport, RectificationItem
from units import scope as units


def _kept_by_unit(prefix):
    return lambda user, scope: units.liaison_of(scope, prefix) | units.office_over(scope, prefix)


def _reviewer(user, scope):
    return units.supervised(scope, "plan__unit__") | units.office_strictly_above(scope, "plan__unit__")


PLAN = {
    "view": lambda user, scope: units.seen(scope, "unit__"),
    "edit": _kept_by_unit("unit__"),
    "update": _kept_by_unit("unit__"),
}
_NOT_CLOSED = ~Q(status=RectificationItem.Status.CLOSED)
ITEM = {
    "view": lambda user, scope: units.seen(scope, "plan__unit__"),
    "edit": lambda user, scope: _kept_by_unit("plan__unit__")(user, scope) & _NOT_CLOSED,
    "update": lambda user, scope: _kept_by_unit("plan__unit__")(user, scope),
    "request_close": lambda user, scope: units.liaison_of(scope, "plan__unit__"),
    "evaluate": lambda user, scope: _kept_by_unit("plan__unit__")(user, scope) | units.supervised(scope, "plan__unit__"),
    "approve_close": _reviewer,
    "reject_close": _reviewer,
}
PROGRESS = {"view": lambda user, scope: units.seen(scope, "item__plan__unit__")}
LOOKBACK = {
    "view": lambda user, scope: units.seen(scope, "unit__"),
    "edit": _kept_by_unit("unit__"),
    "revise": lambda user, scope: _kept_by_unit("unit__")(user, scope)
    & Q(status__in=[LookBackReport.Status.DRAFT, LookBackReport.Status.RETURNED]),
    # 004: 形成整改落实自查情况报告，报上级党组织和督查组审核 — the unit reports (its liaisons, as for
    # its obligations); both the superior organisation (an office strictly above the unit) and the
    # supervision group over it review, each on its own side (rectification.lookback).
    "submit": lambda user, scope: units.liaison_of(scope, "unit__"),
    "review_as_office": lambda user, scope: units.office_strictly_above(scope, "unit__"),
    "review_as_group": lambda user, scope: units.supervised(scope, "unit__"),
    "review": lambda user, scope: units.supervised(scope, "unit__") | units.office_strictly_above(scope, "unit__"),
}
FINDING = {"view": lambda user, scope: units.seen(scope, "report__unit__")}
EVERYBODY = {"view": lambda user, scope: Q()}
