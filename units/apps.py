from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "units"
    verbose_name = _("参加单位")

    def ready(self):
        from units import signals  # noqa: F401  (new units get their obligations)
