"""The roles an office gives an account, as people read and write them (pages, import files).

Each is a row of the table that defines it: office staff and liaisons are UnitMembership rows
(units.roles reads them), group members and leaders GroupMember rows (supervision.roles).
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from supervision.models import GroupMember
from units.models import UnitMembership


class Role(models.TextChoices):
    LIAISON = UnitMembership.Role.LIAISON.value, UnitMembership.Role.LIAISON.label
    OFFICE = UnitMembership.Role.OFFICE.value, UnitMembership.Role.OFFICE.label
    GROUP_MEMBER = "group_member", _("督导组成员")
    GROUP_LEADER = "group_leader", _("督导组组长")


UNIT_ROLES = {Role.LIAISON, Role.OFFICE}
GROUP_ROLES = {Role.GROUP_MEMBER, Role.GROUP_LEADER}


@dataclass(frozen=True)
class Grant:
    """A role at a place: a unit for office staff and liaisons, a group for its members."""

    role: str
    unit: object = None
    group: object = None

    @property
    def place(self):
        return self.unit if self.role in UNIT_ROLES else self.group

    def __str__(self):
        return f"{Role(self.role).label} · {self.place}"


@dataclass(frozen=True)
class Held:
    """One role an account holds now: its row, in words."""

    kind: str  # "unit" or "group": which table the row is in
    row: object
    grant: Grant

    @property
    def key(self):
        return f"{self.kind}-{self.row.pk}"


def held_by(user):
    """Every role `user` holds, units first (two queries)."""
    found = [
        Held("unit", m, Grant(m.role, unit=m.unit))
        for m in UnitMembership.objects.filter(user=user).select_related("unit").order_by("unit__path", "role")
    ]
    found += [
        Held("group", m, Grant(Role.GROUP_LEADER if m.is_leader else Role.GROUP_MEMBER, group=m.group))
        for m in GroupMember.objects.filter(user=user).select_related("group").order_by("group__name")
    ]
    return found
