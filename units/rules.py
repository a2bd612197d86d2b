"""Who may do what to units and the unit-level records (registered with access.policy).

Office staff (领导小组办公室), over their office's subtree: view, edit, move, deactivate,
manage, export and spot-check units; view memberships; view and correct study records.
Liaisons (单位联络员), over their own unit: view, act for it; keep its study records.
Supervision group members, over the units currently assigned to their group: view,
supervise. Opinions (002: 下去一把抓、回来再分家) are seen by whoever sees the unit that
collected or claimed them, edited by the collecting unit's office, and claimed by any unit
that has not yet been given one.
"""

from django.db.models import Q

from units import scope as units

UNIT = {
    "view": lambda user, scope: units.seen(scope),
    **dict.fromkeys(
        ("edit", "move", "deactivate", "manage", "export", "spot_check"), lambda user, scope: units.office_over(scope)
    ),
    "act_for": lambda user, scope: units.liaison_of(scope),
    # The unit's own records (meetings, rectification plan, look-back report): kept by its
    # liaisons, corrected by its office.
    "keep_records": lambda user, scope: units.liaison_of(scope) | units.office_over(scope),
    "supervise": lambda user, scope: units.supervised(scope),
}


def _own_unit_record(user, scope):
    """Kept by the unit, corrected by its office."""
    return units.liaison_of(scope, "unit__") | units.office_over(scope, "unit__")


MEMBERSHIP = {"view": lambda user, scope: units.seen(scope, "unit__"), "manage": lambda user, scope: units.office_over(scope, "unit__")}
STUDY_RECORD = {
    "view": lambda user, scope: units.seen(scope, "unit__"),
    "edit": _own_unit_record,
    "delete": _own_unit_record,
}
# An import is its uploader's own: only they follow, confirm or see it.
UNIT_IMPORT = dict.fromkeys(("view", "confirm"), lambda user, scope: Q(created_by=user))
OPINION = {
    "view": lambda user, scope: units.seen(scope, "collected_by__") | units.seen(scope, "claimed_by__"),
    "edit": lambda user, scope: units.office_over(scope, "collected_by__"),
    "claim": lambda user, scope: Q(claimed_by__isnull=True) & (Q() if scope.is_office or scope.is_liaison else units.NOTHING),
}
