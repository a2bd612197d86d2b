"""Template context shared by every page of the shell (navbar, role-dependent links)."""

from django.utils.functional import SimpleLazyObject

from units.scope import scope_for


class NavRoles:
    """Which kinds of work the signed-in user has, for navigation links."""

    def __init__(self, user):
        scope = scope_for(user)
        self.is_office = bool(scope.everything or scope.office_paths)
        self.is_liaison = bool(scope.liaison_unit_ids)
        self.is_supervisor = bool(scope.group_unit_ids or scope.group_subtree_paths) or self._is_group_member(user)
        self.is_staff = bool(getattr(user, "is_staff", False))

    @staticmethod
    def _is_group_member(user):
        if not getattr(user, "is_authenticated", False):
            return False
        from supervision.models import GroupMember

        return GroupMember.objects.filter(user=user, group__is_active=True).exists()


def shell(request):
    """`nav_roles`: evaluated (one or two queries) only when a template reads it."""
    user = getattr(request, "user", None)
    return {"nav_roles": SimpleLazyObject(lambda: NavRoles(user))}
