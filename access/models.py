"""Object permissions on units, stored in django-guardian's direct foreign-key tables.

Each role is granted once, on its anchor unit (DESIGN rule 11):

* office staff get ``units.manage_subtree`` on their office's unit: they see and manage
  everything whose path starts with that unit's path;
* liaisons get ``units.act_for_unit`` on their own unit;
* a supervision group's auth group gets ``units.supervise_unit`` (or
  ``units.supervise_subtree`` for an assignment that includes the subtree) on each
  assigned unit.

Anchors are rows keyed by the unit's primary key, never by its path, so moving a unit
moves who can see it at once; the subtree is still one indexed prefix query on
``Unit.path`` (units/scope.py). Obligations, submissions and the other growing tables get
no rows of their own: their visibility follows their unit.
"""

from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

# codename -> human name; created for units.Unit by access.apps (post_migrate).
UNIT_PERMISSIONS = {
    "manage_subtree": _("管理本级及下级单位（领导小组办公室）"),
    "act_for_unit": _("代表本单位报送（单位联络员）"),
    "supervise_unit": _("督导本单位（督导组）"),
    "supervise_subtree": _("督导本单位及下级单位（督导组）"),
}


class UnitUserObjectPermission(UserObjectPermissionBase):
    """A user's permission on one unit (office staff, liaisons)."""

    content_object = models.ForeignKey("units.Unit", on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("单位人员权限")
        verbose_name_plural = _("单位人员权限")


class UnitGroupObjectPermission(GroupObjectPermissionBase):
    """An auth group's permission on one unit (supervision groups)."""

    content_object = models.ForeignKey("units.Unit", on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("督导组权限")
        verbose_name_plural = _("督导组权限")


class SupervisionAuthGroup(models.Model):
    """The auth group that carries a supervision group's object permissions; its users are the
    group's members."""

    supervision_group = models.OneToOneField(
        "supervision.SupervisionGroup", on_delete=models.CASCADE, related_name="auth_link"
    )
    auth_group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="supervision_link")

    class Meta:
        verbose_name = _("督导组权限组")
        verbose_name_plural = _("督导组权限组")

    def __str__(self):
        return str(self.auth_group)
