"""Who is told of what (issue 13): the liaisons of a unit, the members of the supervision groups
over it, the staff of an office. The reminder sweep asks the same questions in SQL for half a
million rows at once (notifications.sweep); these are the one-happening answers, from the same
querysets (UnitMembership.objects.liaisons / office_staff, GroupAssignment.objects.supervisors)."""

from django.db.models import Q

from supervision.models import GroupAssignment, GroupMember
from units.models import PATH_SEGMENT, UnitMembership


def liaisons(unit_ids):
    """{unit id: [user id]} of the liaisons in force of `unit_ids`."""
    found = {}
    for unit_id, user_id in (UnitMembership.objects.liaisons().filter(unit_id__in=list(unit_ids))
                             .values_list("unit_id", "user_id").order_by("unit_id", "user_id")):
        found.setdefault(unit_id, []).append(user_id)
    return found


def office_staff(unit_id):
    """The office staff (领导小组办公室) in force at `unit_id`."""
    return list(UnitMembership.objects.office_staff().filter(unit_id=unit_id)
                .values_list("user_id", flat=True).order_by("user_id"))


def supervisors(unit):
    """The active members of the groups assigned today to `unit`, or to an ancestor with its subtree."""
    ancestors = [unit.path[:end] for end in range(PATH_SEGMENT, len(unit.path) + 1, PATH_SEGMENT)]
    rows = GroupAssignment.objects.supervisors().filter(Q(unit_id=unit.pk) | Q(include_subtree=True, unit__path__in=ancestors))
    return sorted({row["user_id"] for row in rows})


def group_members(group, leaders_only=False):
    """The active members of `group` (its leader only, with `leaders_only`: 001, the leader signs off)."""
    members = GroupMember.objects.filter(group=group, user__is_active=True)
    if leaders_only:
        members = members.filter(is_leader=True)
    return sorted(set(members.values_list("user_id", flat=True)))
