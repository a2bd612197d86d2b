from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def create_unit_permissions(sender, using="default", **kwargs):
    """After migrate (and after test flushes): the unit permissions access.models names."""
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    from access.models import UNIT_PERMISSIONS

    content_type = ContentType.objects.db_manager(using).get_for_model(sender.apps.get_model("units", "Unit"))
    for codename, name in UNIT_PERMISSIONS.items():
        Permission.objects.using(using).get_or_create(
            content_type=content_type, codename=codename, defaults={"name": str(name)[:255]}
        )


class AccessConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "access"
    verbose_name = _("权限")

    def ready(self):
        from access import signals  # noqa: F401  (grants follow memberships and assignments)

        post_migrate.connect(create_unit_permissions, sender=self, dispatch_uid="access_unit_permissions")
