"""Template context of every page: which kinds of work the signed-in user has (navigation)."""

from django.utils.functional import SimpleLazyObject

from access.scope import scope_for
from core.checks import missing_years
from core.workdays import not_entered_message


class NavRoles:
    def __init__(self, user):
        scope = scope_for(user)
        self.is_office = scope.is_office
        self.is_liaison = scope.is_liaison
        self.is_supervisor = scope.is_supervisor
        self.is_staff = bool(getattr(user, "is_staff", False))


def calendar_notices(user, nav_roles):
    """The banner of an unentered work calendar (core.checks.missing_years: this year, and next
    year from 1 November), for superusers and offices only: they are the ones who set due dates
    and can enter the State Council's notice. [(message, link to the import page or "")]"""
    if not getattr(user, "is_authenticated", False) or not (user.is_superuser or nav_roles.is_office):
        return []
    return [(not_entered_message(year), user.is_superuser) for year in missing_years()]


def shell(request):
    """`nav_roles`: evaluated (the scope's queries, once per request) only when a template reads it;
    `calendar_notices` likewise (one query per process, core.workdays)."""
    user = getattr(request, "user", None)
    nav_roles = SimpleLazyObject(lambda: NavRoles(user))
    return {"nav_roles": nav_roles, "calendar_notices": SimpleLazyObject(lambda: calendar_notices(user, nav_roles))}
