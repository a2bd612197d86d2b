"""Supervision groups (督导组) and what they record.

Seeds: 001 (go to the grassroots, unannounced visits, feedback decided collectively),
003 (groups review plans, self-examination materials and rectification plans and
attend democratic life meetings), 000 (groups evaluate rectification and
institution-building), 004 (the rectification office's spot checks).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from access.policy import RestrictedQuerySet
from campaign.models import InCampaignQuerySet
from core import clock
from core.dates import validate_not_in_future, validate_plan_date


class SupervisionGroup(models.Model):
    """A supervision group such as 省委第一督导组, dispatched by an office (003)."""

    class Kind(models.TextChoices):
        RESIDENT = "resident", _("督导组")
        ROVING = "roving", _("巡回督导组")
        INSPECTION = "inspection", _("督查组")

    campaign = models.ForeignKey("campaign.Campaign", on_delete=models.PROTECT, related_name="supervision_groups")
    office = models.ForeignKey(
        "units.Unit", verbose_name=_("派出单位"), on_delete=models.PROTECT, related_name="dispatched_groups"
    )
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, default=Kind.RESIDENT)
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(default=clock.now, editable=False)

    objects = InCampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("督导组")
        verbose_name_plural = _("督导组")
        ordering = ["office", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "office", "name"], name="unique_group_name", violation_error_message=_("已有同名督导组。")
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("supervision:group", args=[self.pk])


class GroupMember(models.Model):
    """A member of a supervision group; the leader signs off feedback (001)."""

    group = models.ForeignKey(SupervisionGroup, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_memberships")
    is_leader = models.BooleanField(_("组长"), default=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("督导组成员")
        verbose_name_plural = _("督导组成员")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "user"], name="unique_group_member", violation_error_message=_("此人已是该组成员。")
            ),
            models.UniqueConstraint(
                fields=["group"],
                condition=Q(is_leader=True),
                name="one_leader_per_group",
                violation_error_message=_("每个督导组只能有一名组长。"),
            ),
        ]

    def __str__(self):
        return f"{self.group} · {self.user}"


class GroupAssignmentQuerySet(RestrictedQuerySet):
    def current(self, on=None):
        """Assignments in force on `on` (default today): started, not ended, of an active group
        (003: 下派到市、督导到县). A person's scope (supervision.roles) and the reminders'
        recipients (notifications.sweep) both read these."""
        on = on or clock.today()
        return self.filter(Q(starts_on__lte=on), Q(ends_on__isnull=True) | Q(ends_on__gte=on), group__is_active=True)

    def supervisors(self, on=None):
        """(unit_id, unit_path, include_subtree, user_id) of every active member of every group
        assigned on `on`, to an active unit."""
        return (
            self.current(on).filter(unit__is_active=True, group__members__user__is_active=True)
            .values("unit_id", "include_subtree", unit_path=F("unit__path"), user_id=F("group__members__user_id"))
            .order_by()
        )


class GroupAssignment(models.Model):
    """A group's assignment to a unit (optionally its whole subtree) over a period (003: 下派到市、督导到县)."""

    group = models.ForeignKey(SupervisionGroup, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="group_assignments")
    include_subtree = models.BooleanField(_("含下级单位"), default=False)
    starts_on = models.DateField(_("开始日期"), validators=[validate_plan_date])
    ends_on = models.DateField(_("结束日期"), null=True, blank=True, validators=[validate_plan_date])

    objects = GroupAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("督导分工")
        verbose_name_plural = _("督导分工")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="assignment_ends_after_start",
                violation_error_message=_("结束日期不能早于开始日期。"),
            )
        ]
        indexes = [
            models.Index(fields=["group", "starts_on", "ends_on"], name="assignment_group_period_idx"),
            models.Index(fields=["unit", "starts_on", "ends_on"], name="assignment_unit_period_idx"),
        ]

    def __str__(self):
        return f"{self.group} → {self.unit}"


class Visit(models.Model):
    """A visit and its findings (001: 蹲点, 随机调研, 明察暗访; 003: 个别访谈, 座谈会)."""

    class Kind(models.TextChoices):
        STAY = "stay", _("蹲点")
        RANDOM = "random", _("随机调研")
        UNANNOUNCED = "unannounced", _("明察暗访")
        INTERVIEW = "interview", _("个别访谈")
        FORUM = "forum", _("座谈会")

    group = models.ForeignKey(SupervisionGroup, on_delete=models.CASCADE, related_name="visits")
    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="visits")
    kind = models.CharField(_("方式"), max_length=16, choices=Kind.choices)
    visited_on = models.DateField(_("日期"), validators=[validate_not_in_future])
    findings = models.TextField(_("发现的问题"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="visits")
    created_at = models.DateTimeField(default=clock.now, editable=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("督导调研")
        verbose_name_plural = _("督导调研")
        ordering = ["-visited_on"]
        indexes = [models.Index(fields=["unit", "visited_on"], name="visit_unit_date_idx")]

    def __str__(self):
        return f"{self.unit} · {self.get_kind_display()} · {self.visited_on}"


class MeetingAttendance(models.Model):
    """A group's attendance at a unit's democratic life meeting, with its comments (点评) (003)."""

    meeting = models.ForeignKey("campaign.Meeting", on_delete=models.CASCADE, related_name="attendances")
    group = models.ForeignKey(SupervisionGroup, on_delete=models.CASCADE, related_name="attendances")
    attendee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="attendances")
    comment = models.TextField(_("点评"), blank=True)
    created_at = models.DateTimeField(default=clock.now, editable=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("列席点评")
        verbose_name_plural = _("列席点评")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "attendee"], name="unique_attendance", violation_error_message=_("已记录此人列席。")
            )
        ]

    def __str__(self):
        return f"{self.meeting} · {self.attendee}"


class Evaluation(models.Model):
    """A group's evaluation of a unit's rectification or institution-building (000)."""

    class Subject(models.TextChoices):
        RECTIFICATION = "rectification", _("整改落实")
        INSTITUTIONS = "institutions", _("建章立制")

    class Rating(models.TextChoices):
        GOOD = "good", _("好")
        FAIR = "fair", _("较好")
        AVERAGE = "average", _("一般")
        POOR = "poor", _("差")

    group = models.ForeignKey(SupervisionGroup, on_delete=models.CASCADE, related_name="evaluations")
    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="evaluations")
    subject = models.CharField(_("评估内容"), max_length=16, choices=Subject.choices)
    rating = models.CharField(_("评价"), max_length=8, choices=Rating.choices)
    text = models.TextField(_("评估意见"))
    evaluated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="evaluations")
    created_at = models.DateTimeField(default=clock.now, editable=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("评估")
        verbose_name_plural = _("评估")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.unit} · {self.get_subject_display()} · {self.get_rating_display()}"


class FeedbackQuerySet(RestrictedQuerySet):
    def signed_off(self):
        return self.filter(status=Feedback.Status.SIGNED_OFF)



class Feedback(models.Model):
    """Feedback to a unit: drafted by any member, delivered only after the leader signs it off (001:
    给督导单位反馈的意见，要集体研究，不能个人擅自答复)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PENDING = "pending", _("待组长签发")
        SIGNED_OFF = "signed_off", _("已签发")

    group = models.ForeignKey(SupervisionGroup, on_delete=models.CASCADE, related_name="feedback")
    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="feedback")
    subject = models.CharField(_("主题"), max_length=200)
    text = models.TextField(_("反馈意见"))
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="drafted_feedback")
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="signed_feedback"
    )
    signed_off_at = models.DateTimeField(_("签发时间"), null=True, blank=True)
    refusal_reason = models.TextField(_("未签发理由"), blank=True)
    # The unit's first reading of the signed-off feedback by one of its liaisons (签收,
    # supervision.actions.sign_for_feedback).
    received_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("签收人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now, editable=False)

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        verbose_name = _("反馈意见")
        verbose_name_plural = _("反馈意见")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="signed_off") | Q(signed_off_by__isnull=False, signed_off_at__isnull=False),
                name="signed_feedback_has_signer",
                violation_error_message=_("已签发的反馈必须记录签发人和时间。"),
            )
        ]
        indexes = [models.Index(fields=["unit", "status"], name="feedback_unit_status_idx")]

    def __str__(self):
        return self.subject

    def get_absolute_url(self):
        return reverse("supervision:feedback", args=[self.pk])

    @property
    def is_decided(self):
        """Signed off, the feedback is the group's collective word to the unit (001): nobody
        rewrites or withdraws it afterwards."""
        return self.status == self.Status.SIGNED_OFF


class SpotCheck(models.Model):
    """A spot check (抽查) of a unit's look-back by a rectification office (004)."""

    office = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="spot_checks_made")
    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="spot_checks")
    checked_on = models.DateField(_("抽查日期"), validators=[validate_not_in_future])
    findings = models.TextField(_("抽查情况"))
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="spot_checks")
    created_at = models.DateTimeField(default=clock.now, editable=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("抽查")
        verbose_name_plural = _("抽查")
        ordering = ["-checked_on"]

    def __str__(self):
        return f"{self.unit} · {self.checked_on}"
