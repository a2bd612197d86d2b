"""Who is told of what (issue 13): the liaisons of a unit, the members (or leaders) of the
supervision groups over it, the staff of an office. The reminder sweep asks the same questions in
SQL for half a million rows at once (notifications.sweep); these are the one-happening answers,
reading the same tables the same way (GroupAssignment.supervisors: current assignments of active
groups, to the unit or to an ancestor with include_subtree)."""

from django.db.models import Q

from supervision.models import GroupAssignment, GroupMember
from units.models import PATH_SEGMENT, UnitMembership


def liaisons(unit_ids):
    """{unit id: [user id]} of the active liaisons of `unit_ids`."""
    found = {}
    for unit_id, user_id in UnitMembership.objects.filter(
        unit_id__in=list(unit_ids), role=UnitMembership.Role.LIAISON, user__is_active=True
    ).values_list("unit_id", "user_id").order_by("unit_id", "user_id"):
        found.setdefault(unit_id, []).append(user_id)
    return found


def office_staff(unit_id):
    """The active office staff (领导小组办公室) at `unit_id`."""
    return list(UnitMembership.objects.filter(unit_id=unit_id, role=UnitMembership.Role.OFFICE, user__is_active=True)
                .values_list("user_id", flat=True).order_by("user_id"))


def supervisors(unit, leaders_only=False):
    """The active members of the groups currently assigned to `unit` (or to an ancestor with its
    subtree); only the leaders with `leaders_only`."""
    ancestors = [unit.path[:end] for end in range(PATH_SEGMENT, len(unit.path) + 1, PATH_SEGMENT)]
    groups = GroupAssignment.objects.current().filter(
        Q(unit_id=unit.pk) | Q(include_subtree=True, unit__path__in=ancestors), unit__is_active=True)
    members = GroupMember.objects.filter(group_id__in=groups.values("group_id"), user__is_active=True)
    if leaders_only:
        members = members.filter(is_leader=True)
    return sorted(set(members.values_list("user_id", flat=True)))


def group_members(group, leaders_only=False):
    members = GroupMember.objects.filter(group=group, user__is_active=True)
    if leaders_only:
        members = members.filter(is_leader=True)
    return sorted(set(members.values_list("user_id", flat=True)))
