from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RectificationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "rectification"
    verbose_name = _("整改落实")

    def ready(self):
        # Imported here: models are not ready when this module is imported.
        from access import policy
        from rectification import models, rules

        policy.register(models.SpecialRectification, rules.EVERYBODY)
        policy.register(models.LookBackCheckpoint, rules.EVERYBODY)
        policy.register(models.RectificationPlan, rules.PLAN)
        policy.register(models.RectificationItem, rules.ITEM)
        policy.register(models.ProgressUpdate, rules.PROGRESS)
        policy.register(models.LookBackReport, rules.LOOKBACK)
        policy.register(models.LookBackFinding, rules.FINDING)
