"""Who may see and manage which accounts (registered with access.policy for the user model).

An account belongs to the subtrees its roles lie in: its memberships at units (UnitMembership:
office staff, liaisons) and its places in supervision groups (GroupMember, by the office that
dispatched the group). Office staff see the accounts with a role inside their office's subtree,
and manage (edit, deactivate, give or take roles, reset the password of) those whose every role
lies inside it: never an account that also works above or beside them, never an administrator,
never their own. Superusers see every account and manage every other one.
"""

from django.db.models import Q

from supervision.models import GroupMember
from units import scope as units
from units.models import UnitMembership


def _unit_roles(condition):
    return UnitMembership.objects.filter(condition).values("user_id")


def _group_roles(condition):
    return GroupMember.objects.filter(condition).values("user_id")


def _with_a_role_inside(scope):
    return (Q(pk__in=_unit_roles(units.office_over(scope, "unit__")))
            | Q(pk__in=_group_roles(units.office_over(scope, "group__office__"))))


def _with_a_role_outside(scope):
    return (Q(pk__in=_unit_roles(~units.office_over(scope, "unit__")))
            | Q(pk__in=_group_roles(~units.office_over(scope, "group__office__"))))


def _view(user, scope):
    return Q() if scope.everything else _with_a_role_inside(scope)


def _manage(user, scope):
    if scope.everything:
        return ~Q(pk=user.pk)
    return ~_with_a_role_outside(scope) & Q(is_superuser=False, is_staff=False) & ~Q(pk=user.pk)


ACCOUNT = {"view": _view, "manage": _manage}
