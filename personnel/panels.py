"""personnel's panels (core.panels): the people of a unit on its page, and a way to give a
supervision group a new member's account on the group's page, for whoever manages them."""

from access.policy import can
from units.models import UnitMembership


def unit_panel(request, unit):
    if not can(request.user, "manage", unit):
        return None
    memberships = (
        UnitMembership.objects.restrict(request.user).filter(unit=unit).select_related("user").order_by("role", "user__full_name")
    )
    return {"unit": unit, "memberships": memberships}


def group_panel(request, group):
    if not can(request.user, "manage", group):
        return None
    return {"group": group}
