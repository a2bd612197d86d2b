from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PersonnelConfig(AppConfig):
    """Offices create and deactivate the accounts of their subtree: liaisons, office staff and
    supervision group members, one at a time or by import, each change in the trail.

    Above units and supervision (beside notifications): an account's roles are rows of their
    tables (UnitMembership; GroupMember), and whether an office may touch an account depends on
    where all of them lie. The user model itself stays low, in accounts, since every app points
    at it.
    """

    default_auto_field = "django.db.models.BigAutoField"
    name = "personnel"
    verbose_name = _("人员账号")

    def ready(self):
        # Imported here: models are not ready when this module is imported.
        from django.contrib.auth import get_user_model

        from access import policy
        from personnel import rules

        policy.register(get_user_model(), rules.ACCOUNT)
        register_vocabulary()
        register_panels()


def register_vocabulary():
    """The words of an account's trail (audit.vocabulary)."""
    # Imported here: apps.py is imported before the models are ready.
    from django.contrib.auth import get_user_model

    from audit import vocabulary

    vocabulary.register(get_user_model(), actions={
        "deactivate": _("停用账号"), "reactivate": _("恢复账号"), "role_added": _("增加角色"), "role_removed": _("移除角色"),
        "password_reset": _("重置初始密码"),
    }, details={"role": _("角色"), "is_active": _("有效")})


def register_panels():
    """personnel's parts of a unit's page and of a supervision group's page (core.panels)."""
    # Imported here: apps.py is imported before the models are ready.
    from core import panels
    from personnel.panels import group_panel, unit_panel

    panels.register("unit_detail", "people", template="personnel/_unit_panel.html", context=unit_panel, order=30)
    panels.register("group_detail", "people", template="personnel/_group_panel.html", context=group_panel, order=10)
