"""The work calendar as data (DESIGN rule 5: reminders and due dates follow official working days).

The State Council publishes each year's holidays and make-up working days (调休) in a notice
late in the year before. The table holds only the exceptions to "Monday to Friday": a
weekday off (`holiday`, 休息日) or a weekend day worked (`workday`, 调休上班). A year counts
as entered only when a `CalendarYear` row declares it complete: a year without exceptions
would otherwise look the same as a year nobody entered, and core.workdays must never fall
back to Monday–Friday silently. Entering and importing (audited) live in access.work_calendar:
core knows no other app, and the audit trail sits above it.

Also the background jobs (BackgroundJob, core.jobs): work the worker does for a person.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from core import clock


class CalendarDay(models.Model):
    """One exception to Monday–Friday in the official calendar."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("休息日")
        WORKDAY = "workday", _("调休上班")

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=40, blank=True, help_text=_("如：春节、国庆节"))

    class Meta:
        ordering = ["date"]
        verbose_name = _("工作日历日期")
        verbose_name_plural = _("工作日历日期")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["holiday", "workday"]),
                name="calendar_day_kind_known",
                violation_error_message=_("类型只能是“休息日”或“调休上班”。"),
            ),
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.name}".strip()

    def clean(self):
        """A 休息日 on a weekend or 上班 on a weekday changes nothing: almost surely a typo."""
        if self.date is None:
            return
        weekend = self.date.weekday() >= 5
        if self.kind == self.Kind.HOLIDAY and weekend:
            raise ValidationError({"kind": _("该日本来就是周末，不必登记为休息日。")})
        if self.kind == self.Kind.WORKDAY and not weekend:
            raise ValidationError({"kind": _("该日本来就是工作日，不必登记为调休上班。")})


class CalendarYear(models.Model):
    """A year whose calendar is complete: the table's days of that year are the whole notice."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    source = models.CharField(_("来源"), max_length=200, help_text=_("如：chinesecalendar 1.11.0、导入：文件名、管理员录入"))
    entered_by = models.CharField(_("录入人"), max_length=150, blank=True)
    entered_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("已录入的年度工作日历")
        verbose_name_plural = _("已录入的年度工作日历")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year__gte=1949, year__lte=2200),
                name="calendar_year_plausible",
                violation_error_message=_("年份应在1949年至2200年之间。"),
            ),
        ]

    def __str__(self):
        return _("%(year)s年工作日历") % {"year": self.year}


class BackgroundJob(models.Model):
    """A piece of work too long for a request (a large export, a write to 50,000 units), run by
    the worker (core.jobs) while its owner watches a progress bar on /jobs/<id>/.

    The row is the job's truth: `start` writes it before the message is queued, the worker claims
    it with a guarded UPDATE (queued → running, `attempt` + 1) and only the claim that holds the
    current attempt may report progress or finish it; beat queues again a job whose message never
    arrived and hands back one whose worker stopped beating (core.jobs.resume). Moments are real
    time (core.clock.wall_now): the web, the worker and beat compare them."""

    class State(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("进行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    kind = models.CharField(_("类型"), max_length=60)
    # The person it runs for, who alone sees it. An id, not a foreign key: core sits below the
    # user model's app (tests/core/test_layering.py); `owner` reads the user.
    owner_id = models.BigIntegerField(_("发起人"), null=True, blank=True)
    title = models.CharField(_("名称"), max_length=200)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.QUEUED)
    total = models.PositiveIntegerField(_("总数"), null=True, blank=True)
    done = models.PositiveIntegerField(_("已完成数"), default=0)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    # The campaign's clock and the language when the job was asked for: the worker runs it there.
    as_of = models.DateTimeField(_("发起时的业务时间"), null=True, blank=True)
    language = models.CharField(_("界面语言"), max_length=16, blank=True)
    result_name = models.CharField(_("下载文件名"), max_length=200, blank=True)
    result_file = models.CharField(_("存储文件名"), max_length=300, blank=True)
    message = models.TextField(_("结果"), blank=True)
    error = models.TextField(_("错误"), blank=True)
    created_at = models.DateTimeField(_("发起时间"), default=clock.wall_now)
    queued_at = models.DateTimeField(_("排队时间"), null=True, blank=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("最近心跳"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    attempt = models.PositiveSmallIntegerField(_("第几次运行"), default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        indexes = [
            models.Index(fields=["owner_id", "-created_at"], name="job_owner_created_idx"),
            models.Index(fields=["state"], condition=models.Q(state__in=["queued", "running"]), name="job_unfinished_idx"),
            models.Index(fields=["finished_at"], condition=~models.Q(result_file=""), name="job_result_idx"),
        ]

    def __str__(self):
        return f"{self.title}（{self.get_state_display()}）"

    def get_absolute_url(self):
        return reverse("core:job", args=[self.pk])

    @cached_property
    def owner(self):
        """The user the job runs for (None when it has none, or their account is gone)."""
        if self.owner_id is None:
            return None
        return get_user_model().objects.filter(pk=self.owner_id).first()

    @property
    def is_finished(self):
        return self.state in (self.State.DONE, self.State.FAILED)
