from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("数据接口")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from access import policy  # noqa: PLC0415 (registering at start-up, as every app does)
        from api import rules  # noqa: PLC0415 (the app's own modules, loaded once the registry is ready)
        from api.models import ApiToken  # noqa: PLC0415 (as above)

        policy.register(ApiToken, rules.TOKEN)
