"""Supervision group members: the role source supervision registers with access (access.scope).

Membership (GroupMember) says who is in an active group and who leads it; the group's
assignments (GroupAssignment) say where it works and when, so an assignment counts from its
start date and stops on its end date without anything having to run (003: 下派到市、督导到县).
"""

from access.scope import Assignment
from supervision.models import GroupAssignment, GroupMember


def group_roles(user, scope, today):
    scope.groups.update(
        GroupMember.objects.filter(user=user, group__is_active=True).values_list("group_id", "is_leader")
    )
    if not scope.groups:
        return
    current = GroupAssignment.objects.current(today).filter(group_id__in=list(scope.groups), unit__is_active=True)
    scope.group_units_query = current.filter(include_subtree=False).values("unit_id")
    for group_id, name, unit_id, path, subtree in (
        current
        .values_list("group_id", "group__name", "unit_id", "unit__path", "include_subtree")
        .order_by("group_id", "unit__path")
    ):
        scope.assignments.append(Assignment(group_id, name, unit_id, path, subtree))
