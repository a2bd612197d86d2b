from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "campaign"
    verbose_name = _("活动与公文")

    def ready(self):
        # Imported here: models are not ready when this module is imported.
        from access import policy
        from campaign import models, rules

        for model in (models.Campaign, models.Batch, models.Phase):
            policy.register(model, rules.EVERYBODY)
        policy.register(models.Directive, rules.DIRECTIVE)
        policy.register(models.DirectiveAttachment, rules.ATTACHMENT)
        policy.register(models.Requirement, rules.REQUIREMENT)
        policy.register(models.Obligation, rules.OBLIGATION)
        policy.register(models.Submission, rules.SUBMISSION)
        policy.register(models.SubmissionFile, rules.SUBMISSION_FILE)
        policy.register(models.Review, rules.REVIEW)
        policy.register(models.Meeting, rules.MEETING)
        policy.register(models.UnitPhaseProgress, rules.PHASE_PROGRESS)
