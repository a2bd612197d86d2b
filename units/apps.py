from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "units"
    verbose_name = _("参加单位")

    def ready(self):
        # Imported here: models are not ready when this module is imported.
        from access import policy
        from access.scope import register_role_source
        from units import rules, signals  # noqa: F401  (signals: new units get their obligations)
        from units.models import Opinion, StudyRecord, Unit, UnitImport, UnitMembership
        from units.roles import membership_roles

        register_role_source(membership_roles)
        policy.register(Unit, rules.UNIT)
        policy.register(UnitMembership, rules.MEMBERSHIP)
        policy.register(StudyRecord, rules.STUDY_RECORD)
        policy.register(Opinion, rules.OPINION)
        policy.register(UnitImport, rules.UNIT_IMPORT)
        register_vocabulary()
        from core import jobs
        from units import export

        jobs.register(export.KIND, export.run_export)


def register_vocabulary():
    """The words of units' audit trail (audit.vocabulary)."""
    # Imported here: apps.py is imported before the models are ready.
    from django.utils.translation import gettext_lazy as _

    from audit import vocabulary
    from units.models import Opinion, Unit

    vocabulary.register(Unit, actions={"move": _("移动"), "deactivate": _("撤销")})
    vocabulary.register(Opinion, actions={"claim": _("认领"), "answer": _("答复")})
