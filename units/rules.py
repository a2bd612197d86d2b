"""Who may do what to units and the unit-level records (registered with access.policy).

Office staff (领导小组办公室), over their office's subtree: view, edit, move, deactivate,
manage, export and spot-check units; view memberships; view and correct study records.
Liaisons (单位联络员), over their own unit: view, act for it; keep its study records.
Supervision group members, over the units currently assigned to their group: view,
supervise, collect opinions.

Opinions (002: “下去一把抓、回来再分家，涉及哪个单位的意见，哪个单位要主动认领”): collected
by an office over the unit they concern or by a member of a group supervising it; seen by
whoever sees the collecting, concerned or claiming unit, and by the person who recorded them;
edited by the collecting unit's office; claimed, while nobody has, by the unit they concern
(its liaison, or its office on its behalf); answered by the unit that claimed them.
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
    # 002: offices listen to the masses about the units below them, supervision groups about
    # the units they supervise (各级督导组……广开言路听真话).
    "collect_opinions": lambda user, scope: units.office_over(scope) | units.supervised(scope),
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


def _concerned_unit_of(scope, prefix):
    """The unit at `prefix` speaks through its liaison, or its office on its behalf."""
    return units.liaison_of(scope, prefix) | units.office_over(scope, prefix)


OPINION = {
    "view": lambda user, scope: (
        units.seen(scope, "collected_by__") | units.seen(scope, "claimed_by__") | units.seen(scope, "concerned_unit__")
        | Q(recorded_by=user)
    ),
    "edit": lambda user, scope: units.office_over(scope, "collected_by__"),
    # Claimed once, by the unit it concerns: after that nobody claims it again.
    "claim": lambda user, scope: Q(claimed_by__isnull=True) & _concerned_unit_of(scope, "concerned_unit__"),
    # Answered (and the answer corrected) only by the unit that claimed it.
    "answer": lambda user, scope: Q(claimed_by__isnull=False) & _concerned_unit_of(scope, "claimed_by__"),
}
