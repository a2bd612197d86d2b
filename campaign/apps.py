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
        from files import owners

        policy.register(models.Campaign, rules.CAMPAIGN)
        policy.register(models.Batch, rules.CAMPAIGN_PART)
        policy.register(models.Phase, rules.CAMPAIGN_PART)
        policy.register(models.Directive, rules.DIRECTIVE)
        policy.register(models.DirectiveAttachment, rules.ATTACHMENT)
        policy.register(models.Requirement, rules.REQUIREMENT)
        policy.register(models.Obligation, rules.OBLIGATION)
        policy.register(models.Submission, rules.SUBMISSION)
        policy.register(models.Chase, rules.CHASE)
        policy.register(models.SubmissionFile, rules.SUBMISSION_FILE)
        policy.register(models.Review, rules.REVIEW)
        policy.register(models.AffiliationReview, rules.AFFILIATION_REVIEW)
        policy.register(models.Meeting, rules.MEETING)
        owners.register(models.Meeting)  # meeting materials (会议材料)
        policy.register(models.UnitPhaseProgress, rules.PHASE_PROGRESS)
        policy.register(models.Participation, rules.PARTICIPATION)
        policy.register(models.ExtensionRequest, rules.EXTENSION_REQUEST)
        policy.register(models.StudyThreshold, rules.CAMPAIGN_PART)
        policy.register(models.DirectiveIntake, rules.INTAKE)
        policy.register(models.RequirementDraft, rules.REQUIREMENT_DRAFT)
        register_vocabulary()
        register_panels()
        register_jobs()
        from campaign import extensions, receivers, workflow  # noqa: F401  (units joining requirements; the machines' verbs)


def register_jobs():
    """Fan-outs and deadline moves too large for a request (campaign.bulk, settings.BULK_INLINE_LIMIT),
    and the dashboard's obligations export (campaign.export)."""
    # Imported here: apps.py is imported before the models are ready.
    from campaign import bulk, export
    from core import jobs

    jobs.register(bulk.FAN_OUT_JOB, bulk.run_fan_out)
    jobs.register(bulk.MOVE_JOB, bulk.run_move)
    jobs.register(export.KIND, export.run_progress_export)


def register_panels():
    """campaign's parts of the home page (core.panels)."""
    # Imported here: apps.py is imported before the models are ready.
    from campaign.home import liaison_panel, office_panel
    from campaign.views.participation import unit_panel
    from campaign.views.study import study_panel
    from core import panels

    panels.register("home", "office", template="campaign/home/office.html", context=office_panel, order=10)
    panels.register("home", "liaison", template="campaign/home/liaison.html", context=liaison_panel, order=30)
    panels.register("unit_detail", "campaigns", template="campaign/_unit_panel.html", context=unit_panel, order=10)
    panels.register("unit_study", "thresholds", template="campaign/study/_panel.html", context=study_panel, order=10)


def register_vocabulary():
    """The words of campaign's audit trail (audit.vocabulary); the state machines add their own."""
    # Imported here: apps.py is imported before the models are ready.
    from django.utils.translation import gettext_lazy as _

    from audit import vocabulary
    from campaign import models
    from units.models import LEVEL_LABELS, TYPE_LABELS

    vocabulary.register(models.Obligation, actions={
        "obligation_added": _("纳入报送范围"), "obligation_removed": _("移出报送范围"), "due_moved": _("截止时间随报送要求调整"),
        "due_settled": _("截止时间随会议召开日期确定"),
        "affiliation_review": _("归口党（工）委审阅"), "chase": _("催办"), "sign_for_chases": _("签收催办"),
        "extension_granted": _("批准延期，截止时间调整"), "sign_for": _("签收"),
        "withdraw_file": _("撤回文件"),
    }, details={"version": _("版本"), "files": _("文件"), "affiliation_review": _("审阅结论"), "note": _("催办说明")})
    vocabulary.register(models.Requirement, actions={
        "reminder_policy": _("修改提醒规则"), "obligations_issued": _("批量生成报送任务"),
        "obligations_due_moved": _("批量调整截止时间"),
    }, details={
        "explicit_units": _("指定单位"), "obligations_added": _("新增报送任务"), "obligations_removed": _("移除报送任务"),
        "requirement": _("报送要求"),
    }, value_labels={"target_levels": LEVEL_LABELS, "target_unit_types": TYPE_LABELS})
    vocabulary.register(models.Directive, actions={"attach": _("上传附件")}, details={
        "forwards": _("转发的文件"), "attachments": _("附件"),
    })
    vocabulary.register(models.Campaign, state_field="status", actions={"launch": _("启动活动")}, details={
        "template": _("模板"), "batches": _("批次"), "phases": _("环节"),
    })
    vocabulary.register(models.Phase, actions={"move": _("调整顺序")})
    vocabulary.register(models.DirectiveIntake, state_field="status", actions={
        "register": _("登记为公文"), "abandon": _("放弃登记"),
    }, details={"doc_number": _("识别出的发文字号"), "file": _("文件"), "directive": _("公文"), "deadlines": _("期限")})
    vocabulary.register(models.RequirementDraft, state_field="status", actions={
        "confirm": _("确认为报送要求"), "drop": _("舍弃"),
    })
    vocabulary.register(models.Meeting, actions={"prepare": _("更新准备情况"), "correct_held_on": _("更正召开日期")})
    vocabulary.register(models.Participation, actions={
        "enrol": _("编入批次"), "waive_minimum_stay": _("准予不足最少月数的例外"),
    })
