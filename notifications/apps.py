from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"
    verbose_name = _("提醒与通知")

    def ready(self):
        # Imported here: models are not ready when this module is imported.
        from access import policy
        from notifications import models, rules, signals  # noqa: F401  (signals: holiday flags)

        policy.register(models.Notification, rules.NOTIFICATION)
        policy.register(models.ReminderPolicy, rules.REQUIREMENT_REMINDERS)
        policy.register(models.Reminder, rules.REQUIREMENT_REMINDERS)
        policy.register(models.DueDateFlag, rules.REQUIREMENT_REMINDERS)
        policy.register(models.OfficeReminderDefaults, rules.OFFICE_DEFAULTS)
        policy.register(models.Delivery, rules.DELIVERY)
        policy.register(models.Event, rules.EVENT)
        register_vocabulary()
        from core.health import register_readiness_check
        from notifications.readiness import reminder_sweep

        register_readiness_check("reminder_sweep", reminder_sweep)
        from core import panels
        from notifications.panels import failures_panel, inbox_panel, office_panel, requirement_panel, todo_panel

        panels.register("unit_workspace", "inbox", template="notifications/_inbox_panel.html", context=inbox_panel, order=10)
        panels.register("requirement_detail", "reminders", template="notifications/_requirement_panel.html",
                        context=requirement_panel, order=10)
        panels.register("unit_detail", "reminders", template="notifications/_office_panel.html", context=office_panel, order=20)
        # Before the office's own section: a mail server that was down is news for the office.
        # The home page leads with the to-do of every role (issue 13).
        panels.register("home", "todo", template="notifications/home/todo.html", context=todo_panel, order=1)
        panels.register("home", "delivery_failures", template="notifications/home/failures.html", context=failures_panel,
                        order=5)


def register_vocabulary():
    """A requirement's trail names the fields of its reminder policy and says who resent its
    reminders (notifications.actions)."""
    # Imported here: apps.py is imported before the models are ready.
    from django.contrib.auth import get_user_model

    from audit import vocabulary
    from campaign.models import Requirement
    from notifications.actions import POLICY_FIELDS, RESEND_DETAILS
    from notifications.models import ReminderPolicy

    vocabulary.register(get_user_model(), actions={"preferences": _("修改通知与语言设置")}, details={
        "language": _("界面与消息语言"), "quiet_channels": _("不接收的渠道"),
    })
    vocabulary.register(Requirement, actions={"resend_deliveries": _("重新发送未送达的提醒")}, details={
        **{name: ReminderPolicy._meta.get_field(name).verbose_name for name in POLICY_FIELDS}, **RESEND_DETAILS,
    })
