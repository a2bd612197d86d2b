from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo campaign (党的群众路线教育实践活动, from its real directives in seeds/): the top
    layer, loading data into every app through their own models and actions."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "demo"
    verbose_name = _("演示数据")
