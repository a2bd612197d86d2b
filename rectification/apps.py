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
        register_vocabulary()
        register_panels()


def register_panels():
    """rectification's sections of the supervision group's dossier of a unit (core.panels)."""
    # Imported here: apps.py is imported before the models are ready.
    from django.utils.translation import gettext_lazy as _

    from core import panels
    from rectification.dossier import lookback_panel, rectification_panel

    panels.register("unit_dossier", "rectification", template="rectification/dossier/_rectification.html",
                    context=rectification_panel, order=30, label=_("整改方案和整改事项"))
    panels.register("unit_dossier", "lookback", template="rectification/dossier/_lookback.html",
                    context=lookback_panel, order=40, label=_("回头看自查报告"))


def register_vocabulary():
    """The words of rectification's audit trail (audit.vocabulary); the machines add their own."""
    # Imported here: apps.py is imported before the models are ready.
    from django.utils.translation import gettext_lazy as _

    from audit import vocabulary
    from rectification import lookback, models, workflow  # noqa: F401  (the machines' verbs)

    vocabulary.register(models.RectificationItem, actions={"evaluate": _("记录群众评价")}, details={"progress": _("整改进展")})
