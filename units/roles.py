"""Office staff and liaisons: the role source units registers with access (access.scope).

A UnitMembership row is the one record of "this person is office staff (or a liaison) of
this unit"; the scope reads it directly, and django-guardian reads the same rows through a
database view (units.models.UnitPermission), so no copy can fall out of step.
"""

from access.scope import Anchor
from units.models import UnitMembership


def membership_roles(user, scope, today):
    rows = UnitMembership.objects.in_force().filter(user=user).values_list("role", "unit_id", "unit__path")
    for role, unit_id, path in rows:
        if role == UnitMembership.Role.OFFICE:
            scope.offices.append(Anchor(unit_id, path))
        elif role == UnitMembership.Role.LIAISON:
            scope.liaisons.append(Anchor(unit_id, path))
