from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "access"
    verbose_name = _("权限")

    def ready(self):
        # Imported here: models are not ready when this module is imported.
        from access import checks, security_events  # noqa: F401  (register the settings check, the sign-in log)
        from access.audit_rules import register_audit_rules

        register_audit_rules()
        register_calendar_vocabulary()


def register_calendar_vocabulary():
    """The words of the work calendar's audit trail (access.work_calendar)."""
    # Imported here: apps.py is imported before the models are ready.
    from audit import vocabulary
    from core.models import CalendarYear

    vocabulary.register(CalendarYear, actions={"calendar_import": _("导入工作日历")},
                        details={"file": _("文件"), "years": _("年份"), "days": _("日期数")})
