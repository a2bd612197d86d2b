from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The bottom layer: the clock, the form base, shared template fragments and the traffic
    light's colours. It knows no other app of the project; every app may use it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = _("公共")
