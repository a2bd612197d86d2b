"""Campaigns, their directives and what the directives require of units.

Seeds: 000 (forwarding chain and the batch-1 summary deadlines), 001 (colophon,
printed date), 002 and 003 (batches, phases), 004 (look-back deadline and routes).
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from access.policy import RestrictedQuerySet
from campaign import status as obligation_status
from campaign.deadlines import DueEvent, EventDeadline, Precision, deadline_precedes_directive, read_deadline
from campaign.docnumbers import DocumentNumberError, parse_document_number
from campaign.recurrence import Frequency, Rule, read_recurrence
from campaign.status import ObligationStatus
from core import clock
from core.dates import validate_document_date, validate_not_in_future, validate_plan_date
from core.templatetags.core_tags import format_day
from files.models import StoredFile
from units.models import LEVEL_LABELS, TYPE_LABELS, Level, StudyRecord, Unit, UnitType


class InCampaignQuerySet(RestrictedQuerySet):
    """A queryset of rows that belong to one campaign through `campaign_field`: every list, dashboard
    and export of the current campaign (campaign.current) reads its rows through `in_campaign`."""

    campaign_field = "campaign"

    @classmethod
    def campaign_q(cls, campaign, prefix=""):
        """The condition "belongs to `campaign`", for rows reached through `prefix` (a count's filter)."""
        return Q(**{f"{prefix}{cls.campaign_field}": campaign})

    def in_campaign(self, campaign):
        """The rows of `campaign` (none when there is no campaign at all)."""
        if campaign is None:
            return self.none()
        return self.filter(self.campaign_q(campaign))


class CampaignQuerySet(RestrictedQuerySet):
    def launched(self):
        return self.filter(status=Campaign.Status.LAUNCHED)


class Campaign(models.Model):
    """A campaign (教育实践活动). Batches and phases are rows, not code: later campaigns
    (三严三实, 两学一做) had none or different ones (DESIGN).

    A campaign set up by an office in the browser is prepared (筹备中: seen by the offices over
    its `office` only) until it is launched (进行中); one made otherwise (admin, demo, fixtures)
    is launched from the start. Its `office` (the creating office's unit) and the offices above
    it may change it; without one, superusers only.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("筹备中")
        LAUNCHED = "launched", _("进行中")

    name = models.CharField(_("名称"), max_length=200, unique=True,
                            error_messages={"unique": _("已有同名的教育实践活动。")})
    short_name = models.CharField(_("简称"), max_length=60, blank=True)
    starts_on = models.DateField(_("开始日期"), validators=[validate_plan_date])
    ends_on = models.DateField(_("结束日期"), null=True, blank=True, validators=[validate_plan_date])
    description = models.TextField(_("说明"), blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.LAUNCHED)
    office = models.ForeignKey(
        "units.Unit", verbose_name=_("负责的领导小组办公室"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="campaigns_set_up", help_text=_("该单位及其上级的领导小组办公室可以修改此活动。"),
    )

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("教育实践活动")
        verbose_name_plural = _("教育实践活动")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="campaign_ends_after_start",
                violation_error_message=_("结束日期不能早于开始日期。"),
            ),
        ]

    def __str__(self):
        return self.short_name or self.name

    def get_absolute_url(self):
        return reverse("campaign:campaign", args=[self.pk])

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT

    def batches_outside(self, starts_on=None, ends_on=None):
        """The batch names whose dates leave the campaign's (or the given) dates."""
        starts_on, ends_on = starts_on or self.starts_on, ends_on if ends_on is not None else self.ends_on
        if self.pk is None:
            return []
        return [batch.name for batch in self.batches.all() if batch_outside(batch.starts_on, batch.ends_on, starts_on, ends_on)]

    def clean(self):
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("结束日期不能早于开始日期。")})
        if self.starts_on:
            outside = self.batches_outside(self.starts_on, self.ends_on)
            if outside:
                raise ValidationError(_("以下批次的日期不在活动的起止日期内：%(names)s。请先调整批次日期。")
                                      % {"names": "、".join(outside)})


def batch_outside(batch_starts, batch_ends, starts_on, ends_on):
    """Does a batch's time leave its campaign's (003: batches run within the campaign)?"""
    if batch_starts and (batch_starts < starts_on or (ends_on and batch_starts > ends_on)):
        return True
    return bool(batch_ends and (batch_ends < starts_on or (ends_on and batch_ends > ends_on)))


class Batch(models.Model):
    """A batch (批次): batch 2 ran January to September 2014, each unit at least three months (003)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="batches")
    ordinal = models.PositiveSmallIntegerField(_("序号"))
    name = models.CharField(_("名称"), max_length=100)
    starts_on = models.DateField(_("开始日期"), null=True, blank=True, validators=[validate_plan_date])
    ends_on = models.DateField(_("结束日期"), null=True, blank=True, validators=[validate_plan_date])
    min_months = models.PositiveSmallIntegerField(_("每单位最少月数"), default=3)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("批次")
        verbose_name_plural = _("批次")
        ordering = ["campaign", "ordinal"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "ordinal"], name="unique_batch_ordinal", violation_error_message=_("该活动已有此序号的批次。")
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="batch_ends_after_start",
                violation_error_message=_("批次的结束日期不能早于开始日期。"),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("campaign:batch_edit", args=[self.pk])

    def in_use(self):
        """A batch units take part in, or that a requirement targets, stays (its rows point at it)."""
        return self.pk is not None and (self.participations.exists() or self.requirements.exists())

    def clean(self):
        super().clean()
        campaign = self.campaign if self.campaign_id else None
        if campaign and campaign.starts_on and batch_outside(self.starts_on, self.ends_on, campaign.starts_on, campaign.ends_on):
            raise ValidationError(_("批次的日期须在活动的起止日期（%(starts)s至%(ends)s）内。") % {
                "starts": format_day(campaign.starts_on), "ends": format_day(campaign.ends_on) if campaign.ends_on else _("未定"),
            })


class Participation(models.Model):
    """A unit taking part in a campaign: its batch and the day it started (003: batch 2 ran
    January to September 2014, starting by level, each unit at least three months).

    One row per unit and campaign, so that a unit may be in batch 2 of one campaign and take
    part in the next campaign too; targeting by batch (Requirement.target_batch) reads it.
    """

    campaign = models.ForeignKey(Campaign, verbose_name=_("教育实践活动"), on_delete=models.CASCADE, related_name="participations")
    unit = models.ForeignKey("units.Unit", verbose_name=_("单位"), on_delete=models.CASCADE, related_name="participations")
    batch = models.ForeignKey(
        Batch, verbose_name=_("批次"), null=True, blank=True, on_delete=models.PROTECT, related_name="participations"
    )
    joined_on = models.DateField(_("开展活动起始日"), null=True, blank=True, validators=[validate_plan_date])
    # Rule 8 (003: 一般不少于3个月): "一般" leaves room for an exception the unit's office grants,
    # with its reason (campaign.actions.waive_minimum_stay).
    min_months_waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("准予例外的人员"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    min_months_waived_at = models.DateTimeField(_("准予例外的时间"), null=True, blank=True)
    min_months_waiver_reason = models.TextField(_("不足最少月数的例外理由"), blank=True)

    objects = InCampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("参加单位")
        verbose_name_plural = _("参加单位")
        ordering = ["campaign", "unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "unit"], name="one_participation_per_campaign",
                violation_error_message=_("该单位已参加此次活动。"),
            ),
            models.CheckConstraint(
                condition=Q(min_months_waived_at__isnull=True) | ~Q(min_months_waiver_reason=""),
                name="min_months_waiver_has_reason",
                violation_error_message=_("准予不足最少月数的例外时必须说明理由。"),
            ),
        ]
        indexes = [models.Index(fields=["batch", "unit"], name="participation_batch_unit_idx")]

    def __str__(self):
        return f"{self.unit} · {self.batch or self.campaign}"


class Phase(models.Model):
    """A phase (环节): 学习教育、听取意见 / 查摆问题、开展批评 / 整改落实、建章立制, then 总结 and 回头看 (003, 000, 004)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="phases")
    ordinal = models.PositiveSmallIntegerField(_("顺序"))
    code = models.SlugField(_("代码"), max_length=32)
    name = models.CharField(_("名称"), max_length=100)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("环节")
        verbose_name_plural = _("环节")
        ordering = ["campaign", "ordinal"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "ordinal"], name="unique_phase_ordinal", violation_error_message=_("该活动已有此顺序的环节。")
            ),
            models.UniqueConstraint(
                fields=["campaign", "code"], name="unique_phase_code", violation_error_message=_("该活动已有此代码的环节。")
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("campaign:phase_edit", args=[self.pk])

    def in_use(self):
        """A phase that requirements or units' progress point at stays."""
        return self.pk is not None and (
            self.requirement_set.exists() or self.unit_progress.exists()
        )


class DocumentType(models.TextChoices):
    """The fifteen kinds of official document (党政机关公文处理工作条例, 2012)."""

    RESOLUTION = "决议", _("决议")
    DECISION = "决定", _("决定")
    ORDER = "命令", _("命令")
    COMMUNIQUE = "公报", _("公报")
    ANNOUNCEMENT = "公告", _("公告")
    PUBLIC_NOTICE = "通告", _("通告")
    OPINION = "意见", _("意见")
    NOTICE = "通知", _("通知")
    CIRCULAR = "通报", _("通报")
    REPORT = "报告", _("报告")
    REQUEST = "请示", _("请示")
    REPLY = "批复", _("批复")
    MOTION = "议案", _("议案")
    LETTER = "函", _("函")
    MINUTES = "纪要", _("纪要")


class Urgency(models.TextChoices):
    NORMAL = "", _("普通")
    URGENT = "加急", _("加急")
    EXTRA_URGENT = "特急", _("特急")


class Secrecy(models.TextChoices):
    NONE = "", _("非密")
    CONFIDENTIAL = "秘密", _("秘密")
    SECRET = "机密", _("机密")
    TOP_SECRET = "绝密", _("绝密")


class DirectiveQuerySet(InCampaignQuerySet):
    def by_number(self, text):
        """The directive with this document number, however it is typed (rule 1)."""
        number = parse_document_number(text)
        return self.get(agency_code=number.agency, year=number.year, serial=number.serial)


class Directive(models.Model):
    """An official document (公文) of the campaign, with its forwarding links (转发).

    000 shows the chain: central 群组发〔2013〕29号 and 群办发〔2013〕17号 are forwarded
    by 浙群组发〔2013〕48号; 001 shows the colophon (报送, printed date).
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="directives")
    agency_code = models.CharField(_("机关代字"), max_length=40, blank=True)
    year = models.PositiveSmallIntegerField(_("年份"), null=True, blank=True)
    serial = models.PositiveIntegerField(_("顺序号"), null=True, blank=True)
    number = models.CharField(_("发文字号"), max_length=80, blank=True, db_index=True, editable=False)
    doc_type = models.CharField(_("文种"), max_length=4, choices=DocumentType.choices, default=DocumentType.NOTICE)
    issuing_unit = models.ForeignKey(
        "units.Unit", verbose_name=_("发文单位"), on_delete=models.PROTECT, related_name="issued_directives"
    )
    issuer_name = models.CharField(_("发文机关"), max_length=200)
    title = models.CharField(_("标题"), max_length=500)
    primary_recipients = models.TextField(_("主送"), blank=True)
    copy_recipients = models.TextField(_("抄送/报送"), blank=True)
    signed_on = models.DateField(_("成文日期"), validators=[validate_document_date])
    printed_on = models.DateField(_("印发日期"), null=True, blank=True, validators=[validate_document_date])
    urgency = models.CharField(_("紧急程度"), max_length=4, choices=Urgency.choices, default="", blank=True)
    secrecy = models.CharField(_("密级"), max_length=4, choices=Secrecy.choices, default="", blank=True)
    body = models.TextField(_("正文"), blank=True)
    forwards = models.ManyToManyField(
        "self", verbose_name=_("转发的文件"), symmetrical=False, related_name="forwarded_by", blank=True
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(default=clock.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DirectiveQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("singular", "公文")
        verbose_name_plural = _("公文")
        ordering = ["-signed_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency_code", "year", "serial"],
                condition=Q(serial__isnull=False),
                name="unique_document_number",
                violation_error_message=_("该发文字号已被登记，同一机关代字、年份和顺序号只能有一份公文。"),
            ),
            models.CheckConstraint(
                condition=Q(printed_on__isnull=True) | Q(printed_on__gte=F("signed_on")),
                name="printed_not_before_signed",
                violation_error_message=_("印发日期不能早于成文日期。"),
            ),
        ]
        indexes = [
            models.Index(fields=["issuing_unit", "signed_on"], name="directive_issuer_date_idx"),
            models.Index(fields=["campaign", "year"], name="directive_campaign_year_idx"),
        ]

    def __str__(self):
        return f"{self.number} {self.title}" if self.number else self.title

    def get_absolute_url(self):
        return reverse("campaign:directive", args=[self.pk])

    def set_number(self, text):
        """Set agency code, year and serial from a typed number (raises DocumentNumberError)."""
        if not (text or "").strip():
            self.agency_code, self.year, self.serial, self.number = "", None, None, ""
            return
        parsed = parse_document_number(text)
        self.agency_code, self.year, self.serial = parsed.agency, parsed.year, parsed.serial
        self.number = str(parsed)

    def clean(self):
        if self.serial is not None:
            try:
                self.set_number(f"{self.agency_code}〔{self.year}〕{self.serial}号")
            except DocumentNumberError as exc:
                raise ValidationError({"agency_code": str(exc)}) from exc

    def save(self, *args, **kwargs):
        if self.serial is not None and self.agency_code and self.year:
            self.number = f"{self.agency_code}〔{self.year}〕{self.serial}号"
        super().save(*args, **kwargs)

    def forwarding_chain_up(self):
        """Directives this one forwards, transitively, nearest first."""
        seen, frontier, chain = {self.pk}, [self], []
        while frontier:
            parents = list(Directive.objects.filter(forwarded_by__in=frontier).exclude(pk__in=seen).distinct())
            chain.extend(parents)
            seen.update(p.pk for p in parents)
            frontier = parents
        return chain


class DirectiveAttachment(StoredFile, models.Model):
    """An attachment (附件) of a directive, such as the look-back implementation plan of 004: a title,
    perhaps its text, and perhaps its file, uploaded by an office through files.storage."""

    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="attachments")
    ordinal = models.PositiveSmallIntegerField(_("序号"), default=1)
    title = models.CharField(_("标题"), max_length=300)
    body = models.TextField(_("正文"), blank=True)
    original_name = models.CharField(_("文件名"), max_length=255, blank=True)
    stored_name = models.CharField(max_length=100, blank=True, editable=False)
    content_type = models.CharField(max_length=100, blank=True, editable=False)
    sha256 = models.CharField(max_length=64, blank=True, editable=False)
    size = models.PositiveBigIntegerField(default=0, editable=False)

    objects = RestrictedQuerySet.as_manager()

    preview_url_name = "campaign:attachment_preview"

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["directive", "ordinal"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("campaign:attachment_file", args=[self.pk])


class Route(models.TextChoices):
    """Where a report goes (004): the office; a supervision group that reviews it first (各市情况先报
    省委督查组审核); or the office and, at the same time, the body the unit belongs to by
    Party-organisation affiliation (省直各单位情况按党组织隶属关系同时分别报省直机关工委、省委教育工委、
    省国资委党委), which reviews its part (AffiliationReview) while the office decides."""

    OFFICE = "office", _("直接报送领导小组办公室")
    SUPERVISION_FIRST = "supervision", _("先报督导组审核")
    OFFICE_AND_AFFILIATION = "affiliation", _("报送领导小组办公室，并按党组织隶属关系同时报归口党（工）委")


# The routes on which the office the report is submitted to decides (approve / return / reopen).
OFFICE_DECIDES = (Route.OFFICE, Route.OFFICE_AND_AFFILIATION)


class RequirementQuerySet(InCampaignQuerySet):
    campaign_field = "directive__campaign"


class Requirement(models.Model):
    """A reporting requirement (报送要求) a directive states: what, from whom, by when.

    000: the preliminary written summary reaches the provincial office before
    10 January 2014; 004: look-back reports by the end of February, cities through
    the provincial supervision group first.
    """

    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="requirements")
    title = models.CharField(_("报送事项"), max_length=300)
    description = models.TextField(_("要求"), blank=True)
    phase = models.ForeignKey(Phase, verbose_name=_("环节"), null=True, blank=True, on_delete=models.SET_NULL)
    scope_unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("范围（本级及下级）"),
        on_delete=models.PROTECT,
        related_name="scoped_requirements",
        help_text=_("只约束此单位及其下级单位；默认为发文单位。"),
    )
    submit_to = models.ForeignKey(
        "units.Unit",
        verbose_name=_("报送至"),
        on_delete=models.PROTECT,
        related_name="incoming_requirements",
    )
    target_batch = models.ForeignKey(
        Batch, verbose_name=_("批次"), null=True, blank=True, on_delete=models.PROTECT, related_name="requirements"
    )
    target_levels = models.JSONField(_("层级"), default=list, blank=True)
    target_unit_types = models.JSONField(_("单位类型"), default=list, blank=True)
    explicit_units = models.ManyToManyField(
        "units.Unit", verbose_name=_("指定单位"), blank=True, related_name="explicit_requirements"
    )
    deadline_text = models.CharField(_("期限原文"), max_length=100)
    deadline_inclusive = models.BooleanField(
        _("“X日前”含当日"), default=True, help_text=_("取消勾选则须在前一日结束前报送。")
    )
    deadline_before_signing = models.BooleanField(
        _("期限早于成文日期"), default=False,
        help_text=_("仅用于催报等重申已过期限的情形；勾选后才可保存早于成文日期的期限。"),
    )
    # Empty for a requirement counting from an event (due_event): each obligation's own moment is
    # set when its unit's meeting is held (campaign.event_deadlines.settle_event_deadlines).
    due_at = models.DateTimeField(_("截止时间"), null=True, blank=True, db_index=True)
    due_event = models.CharField(
        _("期限所依据的会议"), max_length=24, choices=DueEvent.choices, blank=True,
        help_text=_("期限从本单位该会议召开之日起算，如“总结会议召开后15日内”，会议召开前截止时间待定；"
                    "选“收到通知”则从报送任务下达本单位之日起算，如“收到通知后10个工作日内”。"),
    )
    due_days = models.PositiveSmallIntegerField(_("会后天数"), null=True, blank=True)
    due_workdays = models.BooleanField(_("按工作日计算"), default=False)
    due_precision = models.CharField(_("期限精度"), max_length=10, choices=Precision.choices, default=Precision.DAY)
    # A recurring duty (每月5日前, 每季度末, 每周五前, campaign.recurrence): one obligation per unit and
    # period, issued `recurrence_horizon_days` ahead (campaign.actions.issue_recurring_periods); due_at
    # is then the first period's due moment. Empty frequency: a one-off requirement.
    recurrence_frequency = models.CharField(
        _("报送周期"), max_length=12, choices=Frequency.choices, blank=True, editable=False,
    )
    recurrence_day = models.PositiveSmallIntegerField(_("周期内的截止日"), null=True, blank=True, editable=False)
    recurrence_weekday = models.PositiveSmallIntegerField(_("截止星期"), null=True, blank=True, editable=False)
    recurrence_month = models.PositiveSmallIntegerField(_("截止月份"), null=True, blank=True, editable=False)
    recurrence_starts_on = models.DateField(
        _("周期报送起始日"), null=True, blank=True, validators=[validate_plan_date],
        help_text=_("从包含此日的周期开始报送；不填则为公文成文日期。"),
    )
    recurrence_ends_on = models.DateField(
        _("周期报送结束日"), null=True, blank=True, validators=[validate_plan_date],
        help_text=_("截止日晚于此日的周期不再生成；不填则长期有效。"),
    )
    recurrence_horizon_days = models.PositiveSmallIntegerField(
        _("提前生成天数"), default=35,
        help_text=_("截止时间在此天数之内的周期提前生成报送任务。"),
    )
    route = models.CharField(_("审核路径"), max_length=16, choices=Route.choices, default=Route.OFFICE)
    review_required = models.BooleanField(_("需要审核"), default=True)
    is_active = models.BooleanField(_("有效"), default=True)
    # Its obligations are being written in the background (生成中, campaign.bulk): until the job has
    # finished, the pages say so instead of showing a half-issued requirement as complete.
    issuing = models.BooleanField(_("生成中"), default=False, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(default=clock.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RequirementQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("singular", "报送要求")
        verbose_name_plural = _("报送要求")
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["is_active", "due_at"], name="requirement_active_due_idx")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(due_event="") & Q(due_at__isnull=False) & Q(due_days__isnull=True))
                | (~Q(due_event="") & Q(due_days__gte=1) & Q(due_at__isnull=True)),
                name="requirement_due_at_or_event_rule",
                violation_error_message=_("报送要求须有截止时间，或写明在哪次会议召开后多少日内报送（二者只能选一）。"),
            ),
            models.CheckConstraint(
                condition=Q(recurrence_ends_on__isnull=True) | Q(recurrence_starts_on__isnull=True)
                | Q(recurrence_ends_on__gte=F("recurrence_starts_on")),
                name="recurrence_ends_after_start",
                violation_error_message=_("周期报送结束日不能早于起始日。"),
            ),
            models.CheckConstraint(
                condition=Q(recurrence_horizon_days__gte=1) & Q(recurrence_horizon_days__lte=400),
                name="recurrence_horizon_in_range",
                violation_error_message=_("提前生成天数须在1至400天之间。"),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def event_deadline(self):
        """The rule of an event-relative deadline (campaign.deadlines.EventDeadline), else None."""
        if not self.due_event or not self.due_days:
            return None
        return EventDeadline(self.deadline_text, self.due_event, self.due_days, self.due_workdays)

    @property
    def recurrence(self):
        """The rule of a recurring requirement (campaign.recurrence.Rule), else None."""
        if not self.recurrence_frequency:
            return None
        return Rule(self.recurrence_frequency, day=self.recurrence_day, weekday=self.recurrence_weekday,
                    month=self.recurrence_month)

    @property
    def recurrence_first_day(self):
        """The day the rule starts from: its own start, else the directive's date."""
        return self.recurrence_starts_on or self.directive.signed_on

    def periods(self, until):
        """The periods of a recurring requirement whose due moment is at most `until` and not after
        its end (campaign.recurrence.Rule.periods); none for a one-off requirement."""
        rule = self.recurrence
        if rule is None:
            return []
        return list(rule.periods(self.recurrence_first_day, until=until, ends_on=self.recurrence_ends_on))

    def recurrence_summary(self):
        """每月5日前（按月，自2014年1月起）, for the pages."""
        rule = self.recurrence
        return rule.summary(self.recurrence_first_day, self.recurrence_ends_on) if rule else ""

    def due_after(self, held_on):
        """The due moment of a unit whose meeting was held on `held_on` (None: not yet held);
        a requirement with a date is due then whatever the meeting."""
        rule = self.event_deadline
        if rule is None:
            return self.due_at
        return rule.due_at_after(held_on) if held_on else None

    def event_held_on(self, unit_ids=None):
        """{unit id: the day its meeting of this requirement's event was first held}, for the
        units of `unit_ids` (default: those with an obligation); empty for a dated requirement
        (and for one counting from the notice: campaign.event_deadlines.counted_from reads that day)."""
        if not self.due_event:
            return {}
        meetings = Meeting.objects.filter(kind=self.due_event, status=Meeting.Status.HELD, held_on__isnull=False)
        if unit_ids is None:
            meetings = meetings.filter(unit__obligations__requirement=self)
        else:
            meetings = meetings.filter(unit_id__in=unit_ids)
        return dict(meetings.order_by().values("unit_id").annotate(first=models.Min("held_on")).values_list("unit_id", "first"))

    def get_absolute_url(self):
        return reverse("campaign:requirement", args=[self.pk])

    def clean(self):
        """Rule 3: a deadline passed before its directive was signed needs saying so. A requirement
        whose periods were issued keeps its kind of period (its obligations are per period)."""
        super().clean()
        if self.recurrence_starts_on and self.recurrence_ends_on and self.recurrence_ends_on < self.recurrence_starts_on:
            raise ValidationError({"recurrence_ends_on": _("周期报送结束日不能早于起始日。")})
        if self.pk:
            stored = Requirement.objects.filter(pk=self.pk).values_list("recurrence_frequency", flat=True).first()
            if stored is not None and stored != self.recurrence_frequency and self.obligations.exists():
                raise ValidationError({"deadline_text": _(
                    "已生成报送任务后，不能改变报送周期（一次性、按周、按月等）。如需改变，请另建报送要求。")})
        if self.due_at and self.directive_id and not self.deadline_before_signing:
            if deadline_precedes_directive(self.due_at, self.directive.signed_on):
                raise ValidationError({"deadline_text": _(
                    "期限早于公文成文日期（%(signed)s）。如系催报等重申已过期限的情形，请勾选“期限早于成文日期”。"
                ) % {"signed": format_day(self.directive.signed_on)}})

    def resolve_deadline(self):
        """Set the due moment and precision from deadline_text, relative to the directive's date
        (rule 3); a deadline counting from a meeting (rule 13, "会后15日内") sets the rule instead,
        with due_at empty, keeping the meeting already chosen when the text names none. A recurring
        text (每月5日前, campaign.recurrence) is tried first: it sets the rule, and due_at to the first
        period's due moment."""
        rule = read_recurrence(self.deadline_text)
        self.set_recurrence(rule)
        if rule is not None:
            self.due_event, self.due_days, self.due_workdays = "", None, False
            self.due_at, self.due_precision = rule.first_period(self.recurrence_first_day).due_at, Precision.DAY
            return rule
        deadline = read_deadline(self.deadline_text, self.directive.signed_on, inclusive=self.deadline_inclusive)
        if isinstance(deadline, EventDeadline):
            # "会后15日内" names no meeting: the meeting chosen stands, never the notice (DueEvent.RECEIVED).
            kept = self.due_event if self.due_event != DueEvent.RECEIVED else ""
            self.due_event = deadline.event or kept
            self.due_days, self.due_workdays = deadline.days, deadline.workdays
        else:
            self.due_event, self.due_days, self.due_workdays = "", None, False
        self.due_at, self.due_precision = deadline.due_at, deadline.precision
        return deadline

    def set_recurrence(self, rule):
        """Keep `rule` (a campaign.recurrence.Rule, or None for a one-off deadline) on the requirement."""
        if rule is None:
            self.recurrence_frequency, self.recurrence_day, self.recurrence_weekday, self.recurrence_month = "", None, None, None
        else:
            self.recurrence_frequency, self.recurrence_day = rule.frequency, rule.day
            self.recurrence_weekday, self.recurrence_month = rule.weekday, rule.month

    def bound_units(self):
        """The units this requirement binds: its targeting, always inside scope_unit's subtree (rule 2)."""

        units = Unit.objects.subtree(self.scope_unit).active()
        explicit = list(self.explicit_units.values_list("pk", flat=True)) if self.pk else []
        if explicit:
            return units.filter(pk__in=explicit)
        if self.target_batch_id:
            units = units.filter(participations__batch_id=self.target_batch_id)
        if self.target_levels:
            units = units.filter(level__in=self.target_levels)
        if self.target_unit_types:
            units = units.filter(unit_type__in=self.target_unit_types)
        return units

    @property
    def target_level_labels(self):
        """The levels it binds, as people read them (省级、市级 …), not their stored codes."""
        return [str(LEVEL_LABELS.get(level, level)) for level in self.target_levels or []]

    @property
    def target_unit_type_labels(self):
        """The unit types it binds, as people read them, not their stored codes."""
        return [str(TYPE_LABELS.get(unit_type, unit_type)) for unit_type in self.target_unit_types or []]



class ObligationQuerySet(InCampaignQuerySet):
    campaign_field = "requirement__directive__campaign"

    def open(self):
        """Waiting for the unit (campaign.status)."""
        return self.filter(obligation_status.open_q())

    def with_status(self, now=None):
        """Each obligation's status as of `now` (default: the clock), as annotations: is_open,
        is_overdue, is_due_soon, was_late, light, days_late. The one definition is campaign.status."""
        return self.annotate(**obligation_status.annotations(now or clock.now()))

    def routed_to_affiliation(self):
        """On the route that also reaches the unit's affiliation body, for units that have one (004)."""
        return self.filter(requirement__route=Route.OFFICE_AND_AFFILIATION, unit__party_affiliation__isnull=False)

    def with_affiliation_status(self):
        """Whether the unit's affiliation body has reviewed the latest version (annotation
        `affiliation_reviewed`; campaign.status.affiliation_reviewed)."""
        return self.annotate(affiliation_reviewed=obligation_status.affiliation_reviewed(AffiliationReview.objects))


class Obligation(models.Model):
    """One unit's duty under one requirement, with its state and every submitted version.

    The table that grows: ~50,000 units × ~10 requirements (DESIGN: scale).
    """

    # Indexed with the id (Meta: obligation_requirement_id_idx), which serves the lookups by requirement too.
    requirement = models.ForeignKey(Requirement, on_delete=models.CASCADE, related_name="obligations", db_index=False)
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="obligations")
    status = models.CharField(_("状态"), max_length=16, choices=ObligationStatus.choices, default=ObligationStatus.PENDING)
    # Empty while the requirement counts from a meeting the unit has not yet held (rule 13).
    due_at = models.DateTimeField(_("截止时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("最近报送时间"), null=True, blank=True)
    first_submitted_at = models.DateTimeField(_("首次报送时间"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("通过时间"), null=True, blank=True)
    submitted_late = models.BooleanField(
        _("逾期报送"), default=False, help_text=_("有一版材料晚于当时有效的截止时间报送（campaign.status）。")
    )
    # The period of a recurring requirement this obligation is for (campaign.recurrence): its first
    # day and its label (2014年1月); empty for a one-off requirement.
    period_start = models.DateField(_("报送周期起始日"), null=True, blank=True)
    period_label = models.CharField(_("报送周期"), max_length=60, blank=True)
    # Who excused the unit from this obligation (免报), when and why, while it is exempt
    # (campaign.workflow: exempt / unexempt; the trail keeps every earlier exemption).
    exempted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("免报决定人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    exempted_at = models.DateTimeField(_("免报时间"), null=True, blank=True)
    exemption_reason = models.TextField(_("免报理由"), blank=True)
    # When the unit was given the obligation, and the first opening by one of its liaisons (签收):
    # the office sees who has not yet signed for it and for how long (campaign.actions.sign_for_obligation).
    assigned_at = models.DateTimeField(_("下达时间"), default=clock.now)
    received_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("签收人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The bulk actions that wrote this row, by the batch key of their one audit row on the
    # requirement (audit.services.record_bulk; campaign.bulk): the fan-out that issued it, and
    # the latest deadline move that carried it along. Its timeline shows those rows.
    issue_batch = models.CharField(_("生成批次"), max_length=36, blank=True, editable=False)
    due_batch = models.CharField(_("截止时间调整批次"), max_length=36, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ObligationQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("singular", "报送任务")
        verbose_name_plural = _("报送任务")
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["requirement", "unit"],
                condition=Q(period_start__isnull=True),
                name="unique_obligation_per_unit",
                violation_error_message=_("该单位在此报送要求下已有一项报送任务。"),
            ),
            models.UniqueConstraint(
                fields=["requirement", "unit", "period_start"],
                condition=Q(period_start__isnull=False),
                name="unique_obligation_per_unit_period",
                violation_error_message=_("该单位在此报送要求的这一周期已有一项报送任务。"),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_at"], name="obligation_status_due_idx"),
            models.Index(fields=["unit", "status"], name="obligation_unit_status_idx"),
            models.Index(fields=["requirement", "status"], name="obligation_req_status_idx"),
            # A requirement's obligations in id order: the bulk writes walk them batch by batch
            # (campaign.bulk.move: keyset on the id); with the requirement alone, each batch read
            # every remaining row of the requirement again and sorted it (quadratic at 500,000).
            models.Index(fields=["requirement", "id"], name="obligation_requirement_id_idx"),
            # Review queues (campaign.workflow.review_queue) read the oldest waiting reports first:
            # in this index's order they stop after a page, instead of sorting every waiting report
            # of a province (65,000 at 50,000 units: 140 ms on every office home page).
            models.Index(fields=["submitted_at", "id"], condition=Q(status="submitted"), name="obligation_waiting_idx"),
        ]

    def __str__(self):
        if self.period_label:
            return f"{self.unit} · {self.requirement}（{self.period_label}）"
        return f"{self.unit} · {self.requirement}"

    def get_absolute_url(self):
        return reverse("campaign:obligation", args=[self.pk])

    @property
    def bulk_batch_keys(self):
        """The batch keys of the bulk actions that wrote it, for its timeline (audit_timeline)."""
        return [key for key in (self.issue_batch, self.due_batch) if key]



class Chase(models.Model):
    """催办: an office, or a supervision group over its units, chasing one unit's open obligation
    by hand, with an optional note (issue 13; the automatic reminders are DESIGN rule 5's). The
    row is the record (who, when, note); its delivery to the unit's liaisons goes through the
    notifications outbox, which writes the channels it went out on, and the liaison's first
    opening of the obligation afterwards signs for it (签收)."""

    obligation = models.ForeignKey(Obligation, on_delete=models.CASCADE, related_name="chases")
    chased_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("催办人"), on_delete=models.PROTECT,
                                  related_name="chases")
    chased_at = models.DateTimeField(_("催办时间"), default=clock.now)
    note = models.TextField(_("催办说明"), blank=True, max_length=500)
    channels = models.JSONField(_("发送渠道"), default=list, blank=True)
    received_at = models.DateTimeField(_("签收时间"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("催办")
        verbose_name_plural = _("催办")
        ordering = ["-chased_at", "-id"]
        indexes = [models.Index(fields=["obligation", "chased_at"], name="chase_obligation_at_idx")]

    def __str__(self):
        return f"{self.obligation} · {self.chased_at:%Y-%m-%d %H:%M}"


class Submission(models.Model):
    """One version of what a unit submitted for an obligation: text plus files. Never overwritten."""

    obligation = models.ForeignKey(Obligation, on_delete=models.PROTECT, related_name="submissions")
    version = models.PositiveIntegerField(_("版本"))
    text = models.TextField(_("说明"), blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="submissions")
    submitted_at = models.DateTimeField(_("报送时间"), default=clock.now)
    due_at = models.DateTimeField(_("报送时有效的截止时间"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("报送材料")
        verbose_name_plural = _("报送材料")
        ordering = ["obligation", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["obligation", "version"], name="unique_submission_version", violation_error_message=_("该版本已存在。")
            )
        ]

    def __str__(self):
        return f"{self.obligation} v{self.version}"

    @property
    def is_decided(self):
        """A filed version is what the unit sent and what its reviewers judged (002, 003):
        correcting it means filing the next version, never editing this one."""
        return True

    def get_absolute_url(self):
        return reverse("campaign:submission", args=[self.pk])


class SubmissionFile(StoredFile, models.Model):
    """A file of a submission, stored under a server-generated name with its SHA-256.

    A liaison may withdraw a wrong file from the unit's latest version before it is reviewed
    (campaign.actions.withdraw_submission_file): the row and the stored file are kept, marked
    withdrawn (who, when, why), so evidence is never lost; pages show it struck through."""

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="files")
    original_name = models.CharField(_("文件名"), max_length=255)
    stored_name = models.CharField(max_length=100, unique=True, editable=False)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("大小"))
    sha256 = models.CharField(max_length=64)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawal_reason = models.CharField(_("撤回理由"), max_length=500, blank=True)

    objects = RestrictedQuerySet.as_manager()

    preview_url_name = "campaign:file_preview"

    class Meta:
        verbose_name = _("材料文件")
        verbose_name_plural = _("材料文件")

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("campaign:file", args=[self.pk])


class Review(models.Model):
    """A review of one submission: approve, or return with a reason and perhaps a new due date (003: groups
    review materials; 004: some reports go to the supervision group first)."""

    class Decision(models.TextChoices):
        APPROVE = "approve", pgettext_lazy("review decision", "通过")
        RETURN = "return", pgettext_lazy("review decision", "退回")

    obligation = models.ForeignKey(Obligation, on_delete=models.CASCADE, related_name="reviews")
    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="reviews")
    # Who reviewed in whose name, as it read at the time (a supervision group, or an office).
    reviewed_for = models.CharField(_("审核方"), max_length=200, blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews")
    decision = models.CharField(_("结论"), max_length=8, choices=Decision.choices)
    reason = models.TextField(_("理由"), blank=True)
    new_due_at = models.DateTimeField(_("新截止时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("审核时间"), default=clock.now)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("审核")
        verbose_name_plural = _("审核")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision="approve") | ~Q(reason=""),
                name="return_needs_reason",
                violation_error_message=_("退回时必须说明理由。"),
            )
        ]

    def __str__(self):
        return f"{self.submission} · {self.get_decision_display()}"

    @property
    def is_decided(self):
        """A review is a decision from the moment it is recorded (003): it stands as made; a
        different view is a new review of a new submission, never an edit."""
        return True


class AffiliationReview(models.Model):
    """The affiliation body's review of its part of a report (004: 省直各单位情况按党组织隶属关系同时
    分别报省直机关工委、省委教育工委、省国资委党委): one per body and submitted version. It records what
    the body thinks of the version; the office's decision (Review, campaign.workflow) is untouched."""

    class Decision(models.TextChoices):
        AGREE = "agree", _("审阅同意")
        OPINION = "opinion", _("提出意见")

    obligation = models.ForeignKey(Obligation, on_delete=models.CASCADE, related_name="affiliation_reviews")
    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="affiliation_reviews")
    body = models.ForeignKey(
        "units.Unit", verbose_name=_("归口党（工）委"), on_delete=models.PROTECT, related_name="affiliation_reviews"
    )
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="affiliation_reviews")
    decision = models.CharField(_("结论"), max_length=8, choices=Decision.choices)
    opinion = models.TextField(_("意见"), blank=True)
    created_at = models.DateTimeField(_("审阅时间"), default=clock.now)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("归口党（工）委审阅")
        verbose_name_plural = _("归口党（工）委审阅")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "body"], name="one_affiliation_review_per_version",
                violation_error_message=_("本单位已审阅过这一版材料。"),
            ),
            models.CheckConstraint(
                condition=Q(decision="agree") | ~Q(opinion=""),
                name="affiliation_opinion_needs_text",
                violation_error_message=_("提出意见时必须填写意见内容。"),
            ),
        ]
        indexes = [models.Index(fields=["obligation", "body"], name="affil_review_obligation_idx")]

    def __str__(self):
        return f"{self.submission} · {self.body} · {self.get_decision_display()}"

    @property
    def is_decided(self):
        """Recorded as made, like a Review: a new view is a review of a new version."""
        return True


class ExtensionRequestQuerySet(InCampaignQuerySet):
    campaign_field = "obligation__requirement__directive__campaign"

    def pending(self):
        return self.filter(status=ExtensionRequest.Status.PENDING)


class ExtensionRequest(models.Model):
    """A unit's request for more time on one obligation (延期申请), and its decision: by the office
    the report is submitted to, or, on the supervision-first route, by the unit's supervision group
    (004; campaign.rules "decide_extension"). A grant moves the obligation's own due moment
    (campaign.event_deadlines.move_due), so that reminders and overdue follow the new moment.
    At most one request per obligation waits for a decision (campaign.extensions)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审批")
        GRANTED = "granted", _("已批准")
        REFUSED = "refused", _("未批准")

    obligation = models.ForeignKey(
        Obligation, verbose_name=pgettext_lazy("singular", "报送任务"), on_delete=models.CASCADE,
        related_name="extension_requests",
    )
    requested_due_at = models.DateTimeField(_("申请延至"))
    # The due moment in force when the unit asked (what a grant extends).
    previous_due_at = models.DateTimeField(_("原截止时间"), null=True, blank=True)
    reason = models.TextField(_("申请理由"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("申请时间"), default=clock.now)
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审批人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_reason = models.TextField(_("审批意见"), blank=True)

    objects = ExtensionRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["obligation"], condition=Q(status="pending"), name="one_pending_extension_per_obligation",
                violation_error_message=_("该报送任务已有一项待审批的延期申请，请等待审批结果后再申请。"),
            ),
            models.CheckConstraint(
                condition=~Q(reason=""), name="extension_request_has_reason",
                violation_error_message=_("申请延期时必须说明理由。"),
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(decision_reason=""), name="extension_refusal_has_reason",
                violation_error_message=_("不予批准时必须说明理由。"),
            ),
        ]
        indexes = [models.Index(fields=["status", "requested_at"], name="extension_status_idx")]

    def __str__(self):
        return f"{self.obligation} · {self.get_status_display()}"

    def get_absolute_url(self):
        """Shown, and decided, on its obligation's page."""
        return f"{reverse('campaign:obligation', args=[self.obligation_id])}#extension-{self.pk}"

    @property
    def is_decided(self):
        """A decision stands as made: a new request is a new row, never an edit of this one."""
        return self.status != self.Status.PENDING


class UnitPhaseProgress(models.Model):
    """When a unit entered and finished each phase (环节) of the campaign (003: staggered start).

    No row: the unit has not entered the phase; a row is made when it enters (进行中) and moves
    to finished (已完成) once (campaign.phases, on access.transitions).
    """

    class Status(models.TextChoices):
        STARTED = "started", _("进行中")
        FINISHED = "finished", _("已完成")

    unit = models.ForeignKey("units.Unit", verbose_name=_("单位"), on_delete=models.CASCADE, related_name="phase_progress")
    phase = models.ForeignKey(Phase, verbose_name=_("环节"), on_delete=models.PROTECT, related_name="unit_progress")
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.STARTED)
    started_on = models.DateField(_("开始日期"), null=True, blank=True, validators=[validate_not_in_future])
    finished_on = models.DateField(_("完成日期"), null=True, blank=True, validators=[validate_not_in_future])
    note = models.TextField(_("说明"), blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("环节进度")
        verbose_name_plural = _("环节进度")
        indexes = [models.Index(fields=["phase", "status"], name="phase_progress_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="finished", finished_on__isnull=False) | Q(status="started", finished_on__isnull=True),
                name="phase_progress_status_matches_finish",
                violation_error_message=_("环节已完成时须有完成日期，进行中的环节不能有完成日期。"),
            ),
            models.UniqueConstraint(
                fields=["unit", "phase"], name="unique_unit_phase", violation_error_message=_("该单位的此环节已有记录。")
            ),
            models.CheckConstraint(
                condition=Q(finished_on__isnull=True) | Q(started_on__isnull=False, finished_on__gte=F("started_on")),
                name="phase_finished_after_started",
                violation_error_message=_("完成日期不能早于开始日期。"),
            ),
        ]

    def __str__(self):
        return f"{self.unit} · {self.phase}"

    def get_absolute_url(self):
        """Shown on its unit's timeline (campaign.phases), at its own card."""
        return f"{reverse('campaign:unit_phases', args=[self.unit_id])}#progress-{self.pk}"


class Meeting(models.Model):
    """A unit's meeting whose timing the rules gate: the democratic life meeting (001, 003)
    and the summary meeting (000)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("筹备中")
        HELD = "held", _("已召开")

    class Kind(models.TextChoices):
        DEMOCRATIC_LIFE = "democratic_life", _("专题民主生活会")
        ORGANISATIONAL_LIFE = "organisational_life", _("专题组织生活会")
        SUMMARY = "summary", _("总结会议")

    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(_("会议类型"), max_length=24, choices=Kind.choices)
    # The phase the meeting belongs to: one meeting of each kind per unit and phase
    # (campaign.meetings.plan_meeting), unless its office allows another (allowed_by).
    # Required in every form; empty only on rows from before phases were asked.
    phase = models.ForeignKey(Phase, verbose_name=_("所属环节"), null=True, blank=False, on_delete=models.PROTECT,
                              related_name="meetings")
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.PLANNED)
    planned_on = models.DateField(_("计划日期"), validators=[validate_plan_date],
                                  error_messages={"required": _("请填写计划日期。"), "null": _("请填写计划日期。")})
    held_on = models.DateField(_("召开日期"), null=True, blank=True, validators=[validate_not_in_future])
    talks_logged = models.BooleanField(_("谈心谈话已全覆盖"), default=False)
    notes = models.TextField(_("情况"), blank=True)
    # Another meeting of a kind the unit already has in the phase, allowed by an office over it
    # with its reason (002: 不合标准的要抓紧“回炉”; campaign.meetings.plan_meeting).
    allowed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("准许另开的人员"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    allowed_reason = models.TextField(_("准许另开的理由"), blank=True)
    created_at = models.DateTimeField(default=clock.now, editable=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["-planned_on"]
        indexes = [models.Index(fields=["unit", "kind"], name="meeting_unit_kind_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "kind", "phase"], condition=Q(allowed_by__isnull=True),
                name="one_meeting_per_kind_and_phase",
                violation_error_message=_("本单位在该环节已有一次此类会议；如需另开，须由上级领导小组办公室准许并说明理由。"),
            ),
            models.CheckConstraint(
                condition=Q(allowed_by__isnull=True) | ~Q(allowed_reason=""), name="meeting_allowance_has_reason",
                violation_error_message=_("准许另开会议时必须说明理由。"),
            ),
        ]

    def __str__(self):
        return f"{self.unit} · {self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse("campaign:meeting", args=[self.pk])



class StudyThreshold(models.Model):
    """What a campaign asks of the units' study (学习教育), as data: which units (by level and unit
    type, blank for any), which kind of study record counts, and how much of it.

    002 (群组发〔2014〕7号, 一、采取务实有效办法抓好学习教育) set them for the second batch:
    “市、县领导班子集中学习时间一般5天左右”; “党员领导干部……至少为基层党员、干部讲1次党课”;
    “每个基层党组织至少要开展1次集中学习讨论、看1次专题教育片、上1次党课”. The demo campaign is
    seeded with them (campaign.study.THRESHOLDS_OF_002); offices change them in the admin.
    """

    class Measure(models.TextChoices):
        DAYS = "days", _("累计天数")
        COUNT = "count", _("次数")
        # 002: each leading cadre gives a lecture. The tracker holds no roll of leading cadres, so the
        # lectures are counted by their distinct speakers (主讲人) against the minimum.
        SPEAKERS = "speakers", _("主讲人数（每位领导干部至少一次）")

    campaign = models.ForeignKey(Campaign, verbose_name=_("教育实践活动"), on_delete=models.CASCADE,
                                 related_name="study_thresholds")
    level = models.CharField(_("适用层级"), max_length=16, choices=Level.choices, blank=True,
                             help_text=_("留空表示所有层级。"))
    unit_type = models.CharField(_("适用单位类型"), max_length=16, choices=UnitType.choices, blank=True,
                                 help_text=_("留空表示所有类型。"))
    kind = models.CharField(_("学习形式"), max_length=16, choices=StudyRecord.Kind.choices)
    measure = models.CharField(_("计量方式"), max_length=16, choices=Measure.choices, default=Measure.COUNT)
    minimum = models.DecimalField(_("最低要求"), max_digits=5, decimal_places=1,
                                  validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("999"))])
    label = models.CharField(_("要求"), max_length=200, help_text=_("页面上显示的要求，如“集中学习5天左右”。"))
    source = models.CharField(_("依据"), max_length=200, blank=True, help_text=_("文件及原文，如“群组发〔2014〕7号”。"))
    ordinal = models.PositiveSmallIntegerField(_("排序"), default=0)

    objects = InCampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("学习要求")
        verbose_name_plural = _("学习要求")
        ordering = ["campaign", "ordinal", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(minimum__gt=0), name="study_threshold_minimum_positive",
                                   violation_error_message=_("最低要求必须大于零。")),
        ]

    def __str__(self):
        return self.label

    def applies_to(self, unit):
        """Does the threshold bind `unit`: its level (or any level) and its type (or any type)?
        (campaign.study._applies is the same condition in SQL.)"""
        return self.level in ("", unit.level) and self.unit_type in ("", unit.unit_type)


class DirectiveIntake(models.Model):
    """A directive being registered from its file or pasted text (从文件登记, campaign.intake): the
    text read, what the extractor found in it and where, and the uploaded file, kept through
    files.storage until the clerk saves the directive (then it becomes the directive's first
    attachment) or gives up. A half-done intake is never lost: it waits on the intake page."""

    class Status(models.TextChoices):
        OPEN = "open", _("待核对")
        REGISTERED = "registered", _("已登记")
        ABANDONED = "abandoned", _("已放弃")

    campaign = models.ForeignKey(Campaign, verbose_name=_("教育实践活动"), on_delete=models.PROTECT,
                                 related_name="intakes")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("创建时间"), default=clock.now, editable=False)
    # The uploaded file (blank for pasted text, and for .txt/.html, read but not kept).
    original_name = models.CharField(_("文件名"), max_length=255, blank=True)
    stored_name = models.CharField(max_length=100, blank=True, editable=False)
    content_type = models.CharField(max_length=100, blank=True, editable=False)
    sha256 = models.CharField(max_length=64, blank=True, editable=False)
    size = models.PositiveBigIntegerField(default=0, editable=False)
    text = models.TextField(_("文本"))
    extraction = models.JSONField(_("识别结果"), default=dict, blank=True)
    directive = models.ForeignKey(Directive, verbose_name=pgettext_lazy("singular", "公文"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="intakes")
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.OPEN)

    objects = InCampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("从文件登记")
        verbose_name_plural = _("从文件登记")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="registered") | Q(directive__isnull=False),
                name="registered_intake_has_directive",
                violation_error_message=_("已登记的文件须关联所登记的公文。"),
            ),
            models.CheckConstraint(
                condition=~Q(text=""), name="intake_has_text",
                violation_error_message=_("登记的文件须有正文文本。"),
            ),
        ]

    def __str__(self):
        return self.extraction.get("record", {}).get("doc_number") or self.original_name or str(_("粘贴的文本"))

    def get_absolute_url(self):
        return reverse("campaign:intake_review", args=[self.pk])

    @property
    def has_file(self):
        return bool(self.stored_name)

    @property
    def record(self):
        """What the extractor found (Record.as_json()), as stored."""
        return self.extraction.get("record", {})


class RequirementDraft(models.Model):
    """A deadline found in a directive's text (what, to whom, by when), waiting for the clerk: confirmed
    through the standard requirement form (then the requirement exists and fans out) or dropped with
    a reason. No obligation exists before a draft is confirmed."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待确认")
        CONFIRMED = "confirmed", _("已确认")
        DROPPED = "dropped", _("已舍弃")

    directive = models.ForeignKey(Directive, verbose_name=pgettext_lazy("singular", "公文"), on_delete=models.CASCADE,
                                  related_name="requirement_drafts")
    intake = models.ForeignKey(DirectiveIntake, verbose_name=_("从文件登记"), on_delete=models.CASCADE,
                               related_name="drafts")
    ordinal = models.PositiveSmallIntegerField(_("序号"), default=1)
    what = models.CharField(_("报送事项"), max_length=300, blank=True)
    to_text = models.CharField(_("报送至（原文）"), max_length=300, blank=True)
    deadline_text = models.CharField(_("期限原文"), max_length=100)
    due_date = models.DateField(_("截止日期"), null=True, blank=True)
    excerpt = models.TextField(_("原文"), blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.PENDING)
    requirement = models.ForeignKey(Requirement, verbose_name=pgettext_lazy("singular", "报送要求"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="drafts")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("处理人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    drop_reason = models.TextField(_("舍弃理由"), blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("待确认的报送要求")
        verbose_name_plural = _("待确认的报送要求")
        ordering = ["directive", "ordinal", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["intake", "ordinal"], name="one_draft_per_intake_ordinal",
                                    violation_error_message=_("同一文件的期限序号不能重复。")),
            models.CheckConstraint(
                condition=~Q(status="confirmed") | Q(requirement__isnull=False),
                name="confirmed_draft_has_requirement",
                violation_error_message=_("已确认的期限须关联所建立的报送要求。"),
            ),
            models.CheckConstraint(
                condition=~Q(status="dropped") | ~Q(drop_reason=""),
                name="dropped_draft_has_reason",
                violation_error_message=_("舍弃时必须说明理由。"),
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(decided_at__isnull=False),
                name="decided_draft_has_time",
                violation_error_message=_("已处理的期限须记录处理时间。"),
            ),
        ]

    def __str__(self):
        return f"{self.what or self.deadline_text}（{self.deadline_text}）"

    def get_absolute_url(self):
        return f"{reverse('campaign:intake_drafts', args=[self.directive_id])}#draft-{self.pk}"

    @property
    def is_pending(self):
        return self.status == self.Status.PENDING
