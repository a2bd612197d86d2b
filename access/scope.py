"""Who holds which role where (DESIGN rule 11): a person's scope, read once per request.

A scope lists the units a person works at, by role:

* **office**: staff of a leading-group office, anchored at the office's unit; they see and
  manage the unit's whole subtree;
* **liaison**: a unit's liaison, anchored at that one unit;
* **supervision**: a member of a supervision group, anchored at each unit the group is
  currently assigned to (the unit alone, or its subtree);
* **everything**: a superuser.

The role tables belong to the apps that own them (units: memberships; supervision: groups,
members and assignments). Each app registers a *role source* here in its AppConfig.ready():
a function ``source(user, scope, today)`` that adds the user's roles to the scope, reading its
own tables directly. The tables are the only store of roles, so whatever writes them (a page,
the admin, bulk_create, loaddata, raw SQL, an import) changes what people see at once.
"""

from dataclasses import dataclass, field

from core import clock

_SOURCES = []


def register_role_source(source):
    """Called by an app in AppConfig.ready(); `source(user, scope, today)` adds roles to `scope`."""
    if source not in _SOURCES:
        _SOURCES.append(source)


@dataclass(frozen=True)
class Anchor:
    unit_id: int
    path: str


@dataclass(frozen=True)
class Assignment:
    """One current assignment of one of the user's supervision groups."""

    group_id: int
    group_name: str
    unit_id: int
    path: str
    include_subtree: bool


@dataclass
class Scope:
    everything: bool = False
    offices: list = field(default_factory=list)  # [Anchor]
    liaisons: list = field(default_factory=list)  # [Anchor]
    assignments: list = field(default_factory=list)  # [Assignment]
    groups: dict = field(default_factory=dict)  # {group id: is_leader} for every active group the user is in
    # The same units as group_unit_ids as a query (a role source's own), for the rules to use as a
    # subquery: a group assigned unit by unit to a city holds thousands, and every rule would
    # otherwise repeat them as literals in its SQL (half a second to parse a page's to-do counts).
    group_units_query: object = None

    # --- what the apps' rules read -------------------------------------------------------

    @property
    def office_paths(self):
        return [anchor.path for anchor in self.offices]

    @property
    def office_unit_ids(self):
        return [anchor.unit_id for anchor in self.offices]

    @property
    def liaison_unit_ids(self):
        return [anchor.unit_id for anchor in self.liaisons]

    @property
    def group_unit_ids(self):
        """Units assigned on their own (without their subtree)."""
        return [a.unit_id for a in self.assignments if not a.include_subtree]

    @property
    def group_subtree_paths(self):
        return [a.path for a in self.assignments if a.include_subtree]

    @property
    def anchor_paths(self):
        return [a.path for a in self.offices + self.liaisons] + [a.path for a in self.assignments]

    @property
    def is_office(self):
        return self.everything or bool(self.offices)

    @property
    def is_liaison(self):
        return bool(self.liaisons)

    @property
    def is_supervisor(self):
        return bool(self.groups)

    # --- questions about one unit (already loaded: no query) --------------------------------

    def assignments_for(self, unit):
        """The user's current assignments that reach `unit`, by group id."""
        return sorted(
            (a for a in self.assignments
             if a.unit_id == unit.pk or (a.include_subtree and unit.path.startswith(a.path))),
            key=lambda a: (a.group_id, a.unit_id),
        )

    def is_member(self, group_id):
        return self.everything or group_id in self.groups

    def is_leader(self, group_id):
        return self.everything or self.groups.get(group_id, False)


def scope_for(user):
    """The user's scope, computed once per user object (one request) from the registered sources."""
    cached = getattr(user, "_access_scope", None)
    if cached is not None:
        return cached
    scope = Scope()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return scope
    if user.is_superuser:
        scope.everything = True
    else:
        today = clock.today()
        for source in _SOURCES:
            source(user, scope, today)
    user._access_scope = scope
    return scope


def forget_scope(user):
    """Drop the cached scope after the user's roles changed within one request."""
    if hasattr(user, "_access_scope"):
        del user._access_scope
