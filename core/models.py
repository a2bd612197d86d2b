"""The work calendar as data (DESIGN rule 5: reminders and due dates follow official working days).

The State Council publishes each year's holidays and make-up working days (调休) in a notice
late in the year before. The table holds only the exceptions to "Monday to Friday": a
weekday off (`holiday`, 休息日) or a weekend day worked (`workday`, 调休上班). A year counts
as entered only when a `CalendarYear` row declares it complete: a year without exceptions
would otherwise look the same as a year nobody entered, and core.workdays must never fall
back to Monday–Friday silently. Entering and importing (audited) live in access.work_calendar:
core knows no other app, and the audit trail sits above it.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


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
