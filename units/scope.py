"""Who sees which units (DESIGN rule 11): the one place that turns a user's roles into a filter.

An office sees its own subtree; a supervision group member sees the units currently
assigned to the group (003: groups 下派到市、督导到县); a liaison sees the liaison's
own unit. Every `visible_to(user)` queryset method calls into here.

The roles are read from django-guardian's direct foreign-key tables (access/models.py):
one row per anchor unit (an office's unit, a liaison's unit, a group's assigned unit),
kept in step by access/grants.py. The anchors are joined to ``Unit`` to get their
current paths, so that moving a unit moves who sees it at once, and a subtree stays one
indexed prefix match. Supervision rows are also filtered by the assignment's dates when
they are read, so an ended assignment stops granting access on its end date without
waiting for anything to run.

`visible(queryset, user)` scopes any model of the project: models with their own
``visible_to`` keep it; the others are listed in SCOPED_MODELS below. A model missing
from both is shown to superusers only (closed by default).
"""

from dataclasses import dataclass, field

from django.db import models
from django.db.models import Exists, OuterRef, Q

from core import clock

OFFICE_PERMISSION = "manage_subtree"
LIAISON_PERMISSION = "act_for_unit"
SUPERVISE_PERMISSION = "supervise_unit"
SUPERVISE_SUBTREE_PERMISSION = "supervise_subtree"


@dataclass
class Scope:
    everything: bool = False
    office_paths: list = field(default_factory=list)
    office_unit_ids: list = field(default_factory=list)
    liaison_unit_ids: list = field(default_factory=list)
    group_unit_ids: list = field(default_factory=list)
    group_subtree_paths: list = field(default_factory=list)
    anchor_paths: list = field(default_factory=list)
    # (supervision group id, unit id, unit path, include_subtree) of each current assignment.
    supervision: list = field(default_factory=list)

    @property
    def is_empty(self):
        return not (self.everything or self.office_paths or self.liaison_unit_ids or self.group_unit_ids
                    or self.group_subtree_paths)

    def is_office_over(self, unit):
        return self.everything or any(unit.path.startswith(path) for path in self.office_paths)

    def is_liaison_of(self, unit):
        return self.everything or unit.pk in self.liaison_unit_ids

    def supervising_group_ids(self, unit):
        """Ids of the user's supervision groups currently assigned to `unit` (directly or by subtree)."""
        return sorted({
            group_id for group_id, unit_id, path, subtree in self.supervision
            if unit_id == unit.pk or (subtree and unit.path.startswith(path))
        })

    def supervises(self, unit):
        return self.everything or bool(self.supervising_group_ids(unit))


def scope_for(user):
    """The user's scope, computed once per user object (one request): two queries at most."""
    cached = getattr(user, "_unit_scope", None)
    if cached is not None:
        return cached
    from access.models import UnitGroupObjectPermission, UnitUserObjectPermission
    from supervision.models import GroupAssignment

    scope = Scope()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return scope
    if user.is_superuser:
        scope.everything = True
        user._unit_scope = scope
        return scope

    for codename, unit_id, path in UnitUserObjectPermission.objects.filter(
        user=user,
        permission__content_type__app_label="units",
        permission__codename__in=[OFFICE_PERMISSION, LIAISON_PERMISSION],
        content_object__is_active=True,
    ).values_list("permission__codename", "content_object_id", "content_object__path"):
        if codename == OFFICE_PERMISSION:
            scope.office_paths.append(path)
            scope.office_unit_ids.append(unit_id)
        else:
            scope.liaison_unit_ids.append(unit_id)
        scope.anchor_paths.append(path)

    current = GroupAssignment.objects.current(clock.today()).filter(
        group__auth_link__auth_group=OuterRef("group"), unit=OuterRef("content_object")
    )
    current_subtree = current.filter(include_subtree=True)
    rows = (
        UnitGroupObjectPermission.objects.filter(
            group__user=user,
            permission__content_type__app_label="units",
            permission__codename__in=[SUPERVISE_PERMISSION, SUPERVISE_SUBTREE_PERMISSION],
        )
        .filter(Exists(current))
        .annotate(subtree_now=Exists(current_subtree))
        .values_list(
            "group__supervision_link__supervision_group_id", "content_object_id", "content_object__path",
            "permission__codename", "subtree_now",
        )
    )
    for group_id, unit_id, path, codename, subtree_now in rows:
        subtree = codename == SUPERVISE_SUBTREE_PERMISSION and subtree_now
        scope.supervision.append((group_id, unit_id, path, subtree))
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


def office_unit_filter(user, prefix=""):
    """Units inside the subtrees of the user's offices only (no liaison or supervision reach)."""
    scope = scope_for(user)
    if scope.everything:
        return Q()
    condition = Q(**{f"{prefix}pk__in": []})
    for path in scope.office_paths:
        condition |= Q(**{f"{prefix}path__startswith": path})
    return condition


def supervised_unit_filter(user, prefix=""):
    """Units the user's supervision groups are currently assigned to."""
    scope = scope_for(user)
    if scope.everything:
        return Q()
    condition = Q(**{f"{prefix}pk__in": scope.group_unit_ids})
    for path in scope.group_subtree_paths:
        condition |= Q(**{f"{prefix}path__startswith": path})
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


def _group_filter(user, prefix=""):
    """Supervision groups: the dispatching office's subtree sees them; members see their own."""
    return office_unit_filter(user, prefix=f"{prefix}office__") | Q(**{f"{prefix}members__user": user})


def _group_record_filter(user, prefix=""):
    """Visits and evaluations: the office over the unit or over the dispatching office, and the
    group's own members while the unit is assigned to them. Not the unit itself (001: 明察暗访)."""
    return (
        office_unit_filter(user, prefix=f"{prefix}unit__")
        | office_unit_filter(user, prefix=f"{prefix}group__office__")
        | (Q(**{f"{prefix}group__members__user": user}) & supervised_unit_filter(user, prefix=f"{prefix}unit__"))
    )


def _opinion_filter(user, prefix=""):
    return visible_unit_filter(user, prefix=f"{prefix}collected_by__") | visible_unit_filter(
        user, prefix=f"{prefix}claimed_by__"
    )


def _unit_owned(path):
    return lambda user: visible_unit_filter(user, prefix=path)


# model label -> function(user) returning a Q; the rule for each table, in one place.
# Filters that join to many-valued relations are applied with .distinct() by `visible()`.
SCOPED_MODELS = {
    "units.Unit": _unit_owned(""),
    "units.UnitMembership": _unit_owned("unit__"),
    "units.UnitPhaseProgress": _unit_owned("unit__"),
    "units.StudyRecord": _unit_owned("unit__"),
    "units.Meeting": _unit_owned("unit__"),
    "units.Opinion": _opinion_filter,
    "campaign.Directive": lambda user: directive_filter(user),
    "campaign.DirectiveAttachment": lambda user: directive_filter(user, prefix="directive__"),
    "campaign.Requirement": lambda user: directive_filter(user, prefix="directive__"),
    "campaign.Obligation": _unit_owned("unit__"),
    "campaign.Submission": _unit_owned("obligation__unit__"),
    "campaign.SubmissionFile": _unit_owned("submission__obligation__unit__"),
    "supervision.SupervisionGroup": _group_filter,
    "supervision.GroupMember": lambda user: _group_filter(user, prefix="group__"),
    "supervision.GroupAssignment": lambda user: _group_filter(user, prefix="group__"),
    "supervision.Review": _unit_owned("obligation__unit__"),
    "supervision.Visit": _group_record_filter,
    "supervision.Evaluation": _group_record_filter,
    "supervision.MeetingAttendance": _unit_owned("meeting__unit__"),
    "supervision.SpotCheck": lambda user: office_unit_filter(user, prefix="unit__")
    | office_unit_filter(user, prefix="office__"),
    "rectification.RectificationPlan": _unit_owned("unit__"),
    "rectification.RectificationItem": _unit_owned("plan__unit__"),
    "rectification.ProgressUpdate": _unit_owned("item__plan__unit__"),
    "rectification.LookBackReport": _unit_owned("unit__"),
    "rectification.LookBackFinding": _unit_owned("report__unit__"),
}
# Filters that go through a many-valued relation and may repeat rows.
_NEEDS_DISTINCT = {"supervision.SupervisionGroup", "supervision.GroupMember", "supervision.GroupAssignment",
                   "supervision.Visit", "supervision.Evaluation"}
# Reference data every signed-in user may read.
PUBLIC_MODELS = {"campaign.Campaign", "campaign.Batch", "campaign.Phase", "rectification.SpecialRectification",
                 "rectification.LookBackCheckpoint"}


def visible(queryset, user):
    """The rows of `queryset` (or of a model) that `user` may see: the single entry point for
    every list, detail, download, export and admin page."""
    if isinstance(queryset, type) and issubclass(queryset, models.Model):
        queryset = queryset._default_manager.all()
    label = queryset.model._meta.label
    if getattr(user, "is_superuser", False) and getattr(user, "is_active", False):
        return queryset
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    rule = SCOPED_MODELS.get(label)
    if rule is not None:
        queryset = queryset.filter(rule(user))
        return queryset.distinct() if label in _NEEDS_DISTINCT else queryset
    if label in PUBLIC_MODELS:
        return queryset
    own = getattr(queryset, "visible_to", None)
    if own is not None and not isinstance(queryset, ScopedQuerySet):
        return own(user)
    return queryset.none()


class ScopedQuerySet(models.QuerySet):
    """A queryset whose `visible_to(user)` applies the model's rule from SCOPED_MODELS."""

    def visible_to(self, user):
        return visible(self, user)
