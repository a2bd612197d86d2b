from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "access"
    verbose_name = _("权限")

    def ready(self):
        # Imported here: models are not ready when this module is imported.
        from access import checks  # noqa: F401  (registers the settings check)
        from access.audit_rules import register_audit_rules

        register_audit_rules()
