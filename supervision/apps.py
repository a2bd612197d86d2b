from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "supervision"
    verbose_name = _("督导")

    def ready(self):
        # Imported here: models are not ready when this module is imported.
        from access import policy
        from access.scope import register_role_source
        from files import owners
        from supervision import models, rules
        from supervision.roles import group_roles

        register_role_source(group_roles)
        policy.register(models.SupervisionGroup, rules.GROUP)
        policy.register(models.GroupMember, rules.GROUP_PART)
        policy.register(models.GroupAssignment, rules.GROUP_PART)
        policy.register(models.Visit, rules.GROUP_RECORD)
        policy.register(models.Evaluation, rules.GROUP_RECORD)
        policy.register(models.MeetingAttendance, rules.ATTENDANCE)
        policy.register(models.Feedback, rules.FEEDBACK)
        policy.register(models.SpotCheck, rules.SPOT_CHECK)
        owners.register(models.Visit)  # photos and records of a visit
        owners.register(models.Feedback)  # the feedback document (反馈意见) as sent
        register_vocabulary()
        register_panels()


def register_panels():
    """supervision's parts of the home page and of a unit's workspace (core.panels)."""
    # Imported here: apps.py is imported before the models are ready.
    from core import panels
    from supervision.home import feedback_panel, supervision_panel

    panels.register("home", "supervision", template="supervision/home/supervision.html", context=supervision_panel, order=20)
    panels.register("unit_workspace", "feedback", template="supervision/_feedback_panel.html", context=feedback_panel, order=40)


def register_vocabulary():
    """The words of supervision's audit trail (audit.vocabulary); feedback's machine adds its own."""
    # Imported here: apps.py is imported before the models are ready.
    from django.utils.translation import gettext_lazy as _

    from audit import vocabulary
    from supervision import models, workflow  # noqa: F401  (the feedback machine's verbs)

    vocabulary.register(models.SupervisionGroup, actions={
        "member_added": _("增加成员"), "member_changed": _("调整成员"), "member_removed": _("移除成员"), "assigned": _("分配督导单位"),
    }, details={"member": _("成员"), "is_leader": _("组长"), "unit": _("单位"), "include_subtree": _("含下级单位"),
                "starts_on": _("开始日期"), "ends_on": _("结束日期")})
    vocabulary.register(models.Feedback, actions={"sign_for": _("签收")})
    vocabulary.register(models.MeetingAttendance, actions={"attend": _("列席"), "comment": _("点评")})
