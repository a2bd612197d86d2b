"""Template context of every page: which kinds of work the signed-in user has (navigation)."""

from django.utils.functional import SimpleLazyObject

from access.scope import scope_for


class NavRoles:
    def __init__(self, user):
        scope = scope_for(user)
        self.is_office = scope.is_office
        self.is_liaison = scope.is_liaison
        self.is_supervisor = scope.is_supervisor
        self.is_staff = bool(getattr(user, "is_staff", False))


def shell(request):
    """`nav_roles`: evaluated (the scope's queries, once per request) only when a template reads it."""
    user = getattr(request, "user", None)
    return {"nav_roles": SimpleLazyObject(lambda: NavRoles(user))}
