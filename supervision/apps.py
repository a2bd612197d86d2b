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
