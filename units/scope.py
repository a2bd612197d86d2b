"""Who sees which units (DESIGN rule 11): the one place that turns a user's roles into a filter.

An office sees its own subtree; a supervision group member sees the units currently
assigned to the group (003: groups 下派到市、督导到县); a liaison sees the liaison's
own unit. Every `visible_to(user)` queryset method calls into here.
"""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone


@dataclass
class Scope:
    everything: bool = False
    office_paths: list = field(default_factory=list)
    liaison_unit_ids: list = field(default_factory=list)
    group_unit_ids: list = field(default_factory=list)
    group_subtree_paths: list = field(default_factory=list)
    anchor_paths: list = field(default_factory=list)

    @property
    def is_empty(self):
        return not (self.everything or self.office_paths or self.liaison_unit_ids or self.group_unit_ids
                    or self.group_subtree_paths)


def scope_for(user):
    """The user's scope, computed once per user object (one request)."""
    cached = getattr(user, "_unit_scope", None)
    if cached is not None:
        return cached
    from supervision.models import GroupAssignment
    from units.models import UnitMembership

    scope = Scope()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return scope
    if user.is_superuser:
        scope.everything = True
    else:
        for role, unit_id, path in UnitMembership.objects.filter(user=user, unit__is_active=True).values_list(
            "role", "unit_id", "unit__path"
        ):
            if role == UnitMembership.Role.OFFICE:
                scope.office_paths.append(path)
            else:
                scope.liaison_unit_ids.append(unit_id)
            scope.anchor_paths.append(path)
        today = timezone.localdate()
        for unit_id, path, subtree in GroupAssignment.objects.current(today).filter(
            group__members__user=user
        ).values_list("unit_id", "unit__path", "include_subtree"):
            if subtree:
                scope.group_subtree_paths.append(path)
            else:
                scope.group_unit_ids.append(unit_id)
            scope.anchor_paths.append(path)
    user._unit_scope = scope
    return scope


def forget_scope(user):
    """Drop the cached scope after roles change within one request."""
    if hasattr(user, "_unit_scope"):
        del user._unit_scope


def visible_unit_filter(user, prefix=""):
    """A Q on `<prefix>path` / `<prefix>id` matching the units `user` may see."""
    scope = scope_for(user)
    if scope.everything:
        return Q()
    condition = Q(**{f"{prefix}pk__in": []})
    for path in scope.office_paths + scope.group_subtree_paths:
        condition |= Q(**{f"{prefix}path__startswith": path})
    ids = scope.liaison_unit_ids + scope.group_unit_ids
    if ids:
        condition |= Q(**{f"{prefix}pk__in": ids})
    return condition


def ancestor_paths(paths):
    """Every path above-or-equal to any of `paths` (materialized-path prefixes)."""
    from units.models import PATH_SEGMENT

    found = set()
    for path in paths:
        for end in range(PATH_SEGMENT, len(path) + 1, PATH_SEGMENT):
            found.add(path[:end])
    return sorted(found)


def directive_filter(user, prefix=""):
    """Directives a user may read: those issued inside an office's subtree, and those issued
    by any unit above the user's units (what came down to them)."""
    scope = scope_for(user)
    if scope.everything:
        return Q()
    condition = Q(**{f"{prefix}pk__in": []})
    for path in scope.office_paths:
        condition |= Q(**{f"{prefix}issuing_unit__path__startswith": path})
    above = ancestor_paths(scope.anchor_paths)
    if above:
        condition |= Q(**{f"{prefix}issuing_unit__path__in": above})
    return condition
