"""Keeping guardian's object permissions in step with memberships and assignments.

The rows (access/models.py) are derived data: each `sync_*` function recomputes what one
user or one supervision group should hold and applies the difference, so running it twice
changes nothing. access/signals.py calls them on every save and delete of UnitMembership,
GroupMember, GroupAssignment and SupervisionGroup; bulk loads that bypass signals end with
`sync_everything()` (``manage.py sync_access``).

Moving a unit needs no work here: the rows point at units by primary key and
units/scope.py reads the current path (DESIGN rule 11).
"""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from access.models import UNIT_PERMISSIONS, SupervisionAuthGroup, UnitGroupObjectPermission, UnitUserObjectPermission
from core import clock
from units.scope import LIAISON_PERMISSION, OFFICE_PERMISSION, SUPERVISE_PERMISSION, SUPERVISE_SUBTREE_PERMISSION

USER_CODENAMES = (OFFICE_PERMISSION, LIAISON_PERMISSION)
GROUP_CODENAMES = (SUPERVISE_PERMISSION, SUPERVISE_SUBTREE_PERMISSION)


def ensure_unit_permissions():
    """Create the unit permissions of access.models.UNIT_PERMISSIONS; returns {codename: Permission}."""
    from units.models import Unit

    content_type = ContentType.objects.get_for_model(Unit)
    found = {p.codename: p for p in Permission.objects.filter(content_type=content_type, codename__in=UNIT_PERMISSIONS)}
    for codename, name in UNIT_PERMISSIONS.items():
        if codename not in found:
            found[codename], _created = Permission.objects.get_or_create(
                content_type=content_type, codename=codename, defaults={"name": str(name)[:255]}
            )
    return found


def _apply(model, owner_field, owner_id, codenames, desired):
    """Make `model`'s rows for one owner and `codenames` equal `desired` {(codename, unit_id)}."""
    permissions = ensure_unit_permissions()
    by_id = {permissions[c].pk: c for c in codenames}
    existing = {
        (by_id[permission_id], unit_id): pk
        for pk, permission_id, unit_id in model.objects.filter(
            **{owner_field: owner_id}, permission_id__in=list(by_id)
        ).values_list("pk", "permission_id", "content_object_id")
    }
    stale = [pk for key, pk in existing.items() if key not in desired]
    if stale:
        model.objects.filter(pk__in=stale).delete()
    missing = [
        model(**{f"{owner_field}": owner_id}, permission=permissions[codename], content_object_id=unit_id)
        for codename, unit_id in desired
        if (codename, unit_id) not in existing
    ]
    model.objects.bulk_create(missing, ignore_conflicts=True)


@transaction.atomic
def sync_user(user_id):
    """A user's office and liaison grants: one row per UnitMembership."""
    from units.models import UnitMembership

    codename = {UnitMembership.Role.OFFICE: OFFICE_PERMISSION, UnitMembership.Role.LIAISON: LIAISON_PERMISSION}
    desired = {
        (codename[role], unit_id)
        for role, unit_id in UnitMembership.objects.filter(user_id=user_id).values_list("role", "unit_id")
        if role in codename
    }
    _apply(UnitUserObjectPermission, "user_id", user_id, USER_CODENAMES, desired)


def auth_group_for(supervision_group):
    """The auth group that carries `supervision_group`'s permissions (created on first use)."""
    link = SupervisionAuthGroup.objects.filter(supervision_group_id=supervision_group.pk).select_related("auth_group").first()
    if link is not None:
        return link.auth_group
    group, _created = Group.objects.get_or_create(name=f"supervision-group-{supervision_group.pk}")
    SupervisionAuthGroup.objects.create(supervision_group_id=supervision_group.pk, auth_group=group)
    return group


@transaction.atomic
def sync_group(supervision_group_id):
    """A supervision group's members and its grants on the units assigned to it.

    Assignments that have ended lose their rows here; units/scope.py also checks the dates
    when reading, so an assignment stops counting on its end date even before this runs.
    """
    from supervision.models import GroupAssignment, GroupMember, SupervisionGroup

    group = SupervisionGroup.objects.filter(pk=supervision_group_id).first()
    if group is None:
        return
    auth_group = auth_group_for(group)
    members = set(GroupMember.objects.filter(group=group).values_list("user_id", flat=True))
    current = set(auth_group.user_set.values_list("pk", flat=True))
    if current - members:
        auth_group.user_set.remove(*(current - members))
    if members - current:
        auth_group.user_set.add(*(members - current))

    desired = set()
    if group.is_active:
        today = clock.today()
        for unit_id, subtree, ends_on in GroupAssignment.objects.filter(group=group).values_list(
            "unit_id", "include_subtree", "ends_on"
        ):
            if ends_on is None or ends_on >= today:
                desired.add((SUPERVISE_SUBTREE_PERMISSION if subtree else SUPERVISE_PERMISSION, unit_id))
    _apply(UnitGroupObjectPermission, "group_id", auth_group.pk, GROUP_CODENAMES, desired)


def sync_everything():
    """Rebuild every grant from memberships and assignments (after bulk loads or imports)."""
    from django.contrib.auth import get_user_model

    from supervision.models import SupervisionGroup
    from units.models import UnitMembership

    user_ids = set(UnitMembership.objects.values_list("user_id", flat=True))
    user_ids |= set(UnitUserObjectPermission.objects.values_list("user_id", flat=True))
    for user_id in get_user_model().objects.filter(pk__in=user_ids).values_list("pk", flat=True):
        sync_user(user_id)
    for group_id in SupervisionGroup.objects.values_list("pk", flat=True):
        sync_group(group_id)
