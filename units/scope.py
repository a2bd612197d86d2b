"""Unit-anchored conditions for the rules of every app (DESIGN rule 11).

A scope (access.scope) says where a person works; these functions turn it into Q objects
over units reached through a relation `prefix` ("" for units themselves, "unit__" for an
obligation's unit, "plan__unit__" for a rectification item's ...). Subtrees are one indexed
prefix match on the unit's materialized path, so moving a unit moves who sees it at once.
A superuser's scope holds everything: every function returns Q() (all rows).
"""

from django.db.models import Q

from units.models import PATH_SEGMENT, in_subtree

NOTHING = Q(pk__in=[])
# Beyond this many units assigned one by one, supervised() reads them by subquery.
INLINE_IDS = 100


def _subtrees(paths, prefix):
    condition = NOTHING
    for path in paths:
        condition |= in_subtree(path, prefix)
    return condition


def office_over(scope, prefix=""):
    """Units inside the subtree of one of the user's offices."""
    return Q() if scope.everything else _subtrees(scope.office_paths, prefix)


def office_strictly_above(scope, prefix=""):
    """Units strictly below one of the user's offices (a reviewer that is not the unit itself)."""
    if scope.everything:
        return Q()
    condition = NOTHING
    for path in scope.office_paths:
        condition |= in_subtree(path, prefix) & ~Q(**{f"{prefix}path": path})
    return condition


def liaison_of(scope, prefix=""):
    """The user's own units as a liaison."""
    return Q() if scope.everything else Q(**{f"{prefix}pk__in": scope.liaison_unit_ids})


def supervised(scope, prefix=""):
    """Units a supervision group of the user is currently assigned to (alone or with the subtree)."""
    if scope.everything:
        return Q()
    alone = scope.group_unit_ids
    if len(alone) > INLINE_IDS and scope.group_units_query is not None:
        alone = scope.group_units_query  # the same units, as a subquery rather than thousands of literals
    return Q(**{f"{prefix}pk__in": alone}) | _subtrees(scope.group_subtree_paths, prefix)


def supervised_by_own_group(scope, unit_prefix, group_field):
    """Records of one of the user's groups about a unit that very group is assigned to now:
    a member sees their own group's visits and evaluations, never another group's (001: 明察暗访)."""
    if scope.everything:
        return Q()
    condition = NOTHING
    for a in scope.assignments:
        unit = in_subtree(a.path, unit_prefix) if a.include_subtree else Q(**{f"{unit_prefix}pk": a.unit_id})
        condition |= Q(**{group_field: a.group_id}) & unit
    return condition


def affiliated_to_office(scope, prefix=""):
    """Units whose Party organisation belongs to a body the user staffs (004: 按党组织隶属关系):
    the office role at the body itself, not the body's subtree, and not an office above it."""
    if scope.everything:
        return Q()
    return Q(**{f"{prefix}party_affiliation_id__in": scope.office_unit_ids}) if scope.offices else NOTHING


def office_at(scope, prefix=""):
    """The units the user is office staff of, themselves (a body acting in its own name)."""
    if scope.everything:
        return Q()
    return Q(**{f"{prefix}pk__in": scope.office_unit_ids}) if scope.offices else NOTHING


def seen(scope, prefix=""):
    """Every unit the user sees: office subtrees, own units, supervised units."""
    if scope.everything:
        return Q()
    return office_over(scope, prefix) | liaison_of(scope, prefix) | supervised(scope, prefix)


def ancestor_paths(paths):
    """Every path above-or-equal to any of `paths` (materialized-path prefixes)."""
    found = set()
    for path in paths:
        for end in range(PATH_SEGMENT, len(path) + 1, PATH_SEGMENT):
            found.add(path[:end])
    return sorted(found)


def issued_to(scope, prefix=""):
    """Directives (through their issuing unit at `prefix`) a user may read: issued inside one of
    the user's offices' subtrees, or by a unit above any unit the user works at (what came down)."""
    if scope.everything:
        return Q()
    condition = office_over(scope, prefix)
    above = ancestor_paths(scope.anchor_paths)
    if above:
        condition |= Q(**{f"{prefix}path__in": above})
    return condition
