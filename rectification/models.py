"""Rectification and institution-building, and the look-back on them.

Seeds: 003 (rectification plans with 任务书、时间表、责任人; problem lists for
villages; the central special rectifications; 开门整改 with public commitments),
004 (the look-back: six areas, 三查三看, 上下联动).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, ExpressionWrapper, Q, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from access.policy import RestrictedQuerySet
from campaign.models import InCampaignQuerySet
from core import clock, traffic_light
from core.dates import validate_not_in_future, validate_plan_date
from core.templatetags.core_tags import format_day
from units.models import FourWinds


class SpecialRectification(models.Model):
    """A special rectification (专项整治) task set by the centre (003, 004: 中央21项专项整治任务)."""

    ordinal = models.PositiveSmallIntegerField(_("序号"), unique=True)
    name = models.CharField(_("名称"), max_length=200, unique=True)
    source = models.CharField(_("出处"), max_length=200, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("专项整治")
        verbose_name_plural = _("专项整治")
        ordering = ["ordinal"]

    def __str__(self):
        return self.name


class RectificationPlan(models.Model):
    """A unit's rectification plan (整改方案), or a problem list (问题清单) for village-level units (003)."""

    class Kind(models.TextChoices):
        PLAN = "plan", _("整改方案")
        PROBLEM_LIST = "problem_list", _("问题清单")

    campaign = models.ForeignKey("campaign.Campaign", on_delete=models.PROTECT, related_name="rectification_plans")
    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="rectification_plans")
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, default=Kind.PLAN)
    title = models.CharField(_("标题"), max_length=200)
    responsible_person = models.CharField(_("责任人"), max_length=100)
    published_on = models.DateField(_("公布日期"), null=True, blank=True, validators=[validate_not_in_future])
    created_at = models.DateTimeField(default=clock.now, editable=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("整改方案")
        verbose_name_plural = _("整改方案")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "unit", "kind"],
                name="one_plan_per_unit",
                violation_error_message=_("该单位在本次活动中已有此类整改方案。"),
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("rectification:plan", kwargs={"plan_id": self.pk})


class RectificationItemQuerySet(InCampaignQuerySet):
    """An item's traffic light follows its due date (DESIGN rule 4): open until closed (销号),
    overdue once the due date has passed, due soon within core.traffic_light.due_soon_days().
    An item belongs to its plan's campaign."""

    campaign_field = "plan__campaign"

    @staticmethod
    def open_q(prefix=""):
        return ~Q(**{f"{prefix}status": RectificationItem.Status.CLOSED})

    @classmethod
    def overdue_q(cls, today, prefix=""):
        return cls.open_q(prefix) & Q(**{f"{prefix}due_on__lt": today})

    @classmethod
    def due_soon_q(cls, today, prefix=""):
        soon = today + traffic_light.due_soon_window()
        return cls.open_q(prefix) & Q(**{f"{prefix}due_on__gte": today, f"{prefix}due_on__lte": soon})

    def open(self):
        return self.filter(self.open_q())

    def overdue(self, today=None):
        return self.filter(self.overdue_q(today or clock.today()))

    def with_status(self, today=None):
        """is_open, is_overdue, is_due_soon and light as of `today` (default: the clock's date)."""
        today = today or clock.today()
        return self.annotate(
            is_open=ExpressionWrapper(self.open_q(), output_field=models.BooleanField()),
            is_overdue=ExpressionWrapper(self.overdue_q(today), output_field=models.BooleanField()),
            is_due_soon=ExpressionWrapper(self.due_soon_q(today), output_field=models.BooleanField()),
            light=Case(
                When(self.overdue_q(today), then=Value(traffic_light.OVERDUE)),
                When(self.due_soon_q(today), then=Value(traffic_light.DUE_SOON)),
                When(self.open_q(), then=Value(traffic_light.ON_TRACK)),
                default=Value(traffic_light.DONE),
                output_field=models.CharField(),
            ),
        )


class RectificationItem(models.Model):
    """One item of a plan: the problem, measures, owner and timetable; closing it (销号) needs evidence
    and the reviewer's approval (003, 004)."""

    class Status(models.TextChoices):
        OPEN = "open", _("未启动")
        IN_PROGRESS = "in_progress", _("整改中")
        CLOSE_REQUESTED = "close_requested", _("申请销号")
        CLOSED = "closed", _("已销号")

    class MassEvaluation(models.TextChoices):
        SATISFIED = "satisfied", _("满意")
        BASICALLY = "basically", _("基本满意")
        UNSATISFIED = "unsatisfied", _("不满意")
        UNKNOWN = "unknown", _("不了解")

    plan = models.ForeignKey(RectificationPlan, on_delete=models.CASCADE, related_name="items")
    problem = models.TextField(_("问题"))
    four_winds = models.CharField(_("四风归类"), max_length=16, choices=FourWinds.choices, blank=True)
    special_rectification = models.ForeignKey(
        SpecialRectification, verbose_name=_("专项整治"), null=True, blank=True, on_delete=models.PROTECT
    )
    is_institution_building = models.BooleanField(_("建章立制"), default=False)
    measures = models.TextField(_("整改措施"))
    owner = models.CharField(_("责任人"), max_length=100)
    due_on = models.DateField(_("完成时限"), validators=[validate_plan_date])
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.OPEN)
    evidence = models.TextField(_("佐证材料"), blank=True)
    public_commitment = models.TextField(_("整改承诺"), blank=True)
    mass_evaluation = models.CharField(_("群众评价"), max_length=12, choices=MassEvaluation.choices, blank=True)
    needs_upper_level = models.BooleanField(_("需上级牵头（上下联动）"), default=False)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RectificationItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("整改事项")
        verbose_name_plural = _("整改事项")
        ordering = ["plan", "due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="closed") | ~models.Q(evidence=""),
                name="closed_item_has_evidence",
                violation_error_message=_("销号须有佐证材料。"),
            )
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="rect_item_status_due_idx")]

    def __str__(self):
        return self.problem[:40]

    def get_absolute_url(self):
        return reverse("rectification:item", kwargs={"item_id": self.pk})

    def clean(self):
        """A time limit before the campaign began is a typo: rectification follows the campaign's
        examination of problems (003)."""
        super().clean()
        if self.due_on and self.plan_id:
            starts_on = self.plan.campaign.starts_on
            if self.due_on < starts_on:
                raise ValidationError({"due_on": _("完成时限不能早于活动开始日期（%(start)s）。") % {
                    "start": format_day(starts_on)}})

    @property
    def is_decided(self):
        """Closed (销号) on evidence with the reviewer's approval (003, 004): the approval stands."""
        return self.status == self.Status.CLOSED


class ProgressUpdate(models.Model):
    """A dated progress note on a rectification item (003: 及时公布整改情况)."""

    item = models.ForeignKey(RectificationItem, on_delete=models.CASCADE, related_name="updates")
    text = models.TextField(_("进展"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(default=clock.now, editable=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("整改进展")
        verbose_name_plural = _("整改进展")
        ordering = ["-created_at"]

    def __str__(self):
        return self.text[:40]


class LookBackCheckpoint(models.Model):
    """One point of the look-back checklist: the six areas and 三查三看 of 004."""

    ordinal = models.PositiveSmallIntegerField(_("序号"), unique=True)
    area = models.CharField(_("方面"), max_length=100)
    question = models.TextField(_("检查内容"))

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("回头看检查项")
        verbose_name_plural = _("回头看检查项")
        ordering = ["ordinal"]

    def __str__(self):
        return f"{self.ordinal}. {self.area}"


class LookBackReport(models.Model):
    """A unit's look-back self-inspection report (整改落实自查情况报告, 004); its states move in
    rectification.lookback."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已报送")
        RETURNED = "returned", _("已退回重报")
        ACCEPTED = "accepted", _("已通过")

    campaign = models.ForeignKey("campaign.Campaign", on_delete=models.PROTECT, related_name="lookback_reports")
    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="lookback_reports")
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    summary = models.TextField(_("自查情况"))
    further_measures = models.TextField(_("深化整改措施"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(default=clock.now, editable=False)
    # The unit's obligation under the look-back requirement (campaign: a requirement of the campaign's
    # look-back phase, 整改落实自查情况报告 of 004): it follows the report (rectification.actions).
    obligation = models.ForeignKey(
        "campaign.Obligation", verbose_name=_("报送任务"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="lookback_reports",
    )
    # 004: 报上级党组织和督查组审核. Each side's acceptance of the version now submitted; cleared
    # when the unit submits again (rectification.lookback).
    office_accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上级党组织审核人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    office_accepted_at = models.DateTimeField(_("上级党组织审核通过时间"), null=True, blank=True)
    group_accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("督查组审核人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    group_accepted_at = models.DateTimeField(_("督查组审核通过时间"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("回头看自查报告")
        verbose_name_plural = _("回头看自查报告")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "unit"], name="one_lookback_per_unit", violation_error_message=_("该单位已提交回头看自查报告。")
            )
        ]

    def __str__(self):
        return f"{self.unit} · {self.campaign}"

    def get_absolute_url(self):
        return reverse("rectification:lookback", kwargs={"report_id": self.pk})

    @property
    def is_decided(self):
        """Accepted by the superior organisation and the supervision group (004): the acceptance stands."""
        return self.status == self.Status.ACCEPTED

    def findings_to_redo(self):
        """The findings that fall short (未达到，需回炉), in checklist order."""
        return self.findings.filter(result=LookBackFinding.Result.NOT_MET).select_related("checkpoint").order_by(
            "checkpoint__ordinal")


class LookBackFinding(models.Model):
    """The answer to one checkpoint in a look-back report."""

    class Result(models.TextChoices):
        MET = "met", _("达到要求")
        PARTLY = "partly", _("基本达到")
        NOT_MET = "not_met", _("未达到，需回炉")

    report = models.ForeignKey(LookBackReport, on_delete=models.CASCADE, related_name="findings")
    checkpoint = models.ForeignKey(LookBackCheckpoint, on_delete=models.PROTECT)
    result = models.CharField(_("结论"), max_length=8, choices=Result.choices)
    notes = models.TextField(_("说明"), blank=True)
    # 004: 分析问题，提出深化整改措施 — for each area that falls short, its own measures.
    measures = models.TextField(_("深化整改措施"), blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("回头看检查结论")
        verbose_name_plural = _("回头看检查结论")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "checkpoint"], name="one_finding_per_checkpoint", violation_error_message=_("此项已有结论。")
            ),
            models.CheckConstraint(
                condition=~models.Q(result="not_met") | (~models.Q(notes="") & ~models.Q(measures="")),
                name="redo_finding_explained",
                violation_error_message=_("结论为“未达到，需回炉”的，须写明说明和深化整改措施。"),
            ),
        ]

    @property
    def is_unexplained_redo(self):
        """A 回炉 finding without its explanation or its deepening measures (004: 分析问题，提出深化整改措施)."""
        return self.result == self.Result.NOT_MET and not (self.notes.strip() and self.measures.strip())

    def __str__(self):
        return f"{self.report} · {self.checkpoint}"
