from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Count
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from access.admin import ScopedAdminMixin
from core.admin import ReadOnlyAdminMixin
from notifications.actions import resend_deliveries
from notifications.forms import ResendForm
from notifications.models import (
    Delivery,
    Digest,
    DueDateFlag,
    Event,
    Notification,
    OfficeReminderDefaults,
    Reminder,
    ReminderPolicy,
    Sweep,
    SweepHeartbeat,
)
from notifications.outcomes import channel_label

POLICY_FIELDS = [
    "before_offsets",
    "send_time",
    "escalate_group_after_days",
    "escalate_office_after_days",
    "repeat_every_days",
    "repeat_max",
    "non_workday_rule",
]


@admin.register(OfficeReminderDefaults)
class OfficeReminderDefaultsAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["office", *POLICY_FIELDS]
    search_fields = ["office__name"]
    raw_id_fields = ["office"]


@admin.register(ReminderPolicy)
class ReminderPolicyAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["requirement", "enabled", *POLICY_FIELDS]
    list_filter = ["enabled", "non_workday_rule"]
    search_fields = ["requirement__title"]
    raw_id_fields = ["requirement"]


@admin.register(DueDateFlag)
class DueDateFlagAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["requirement", "due_at", "message", "created_at"]
    search_fields = ["requirement__title", "message"]


@admin.register(Sweep)
class SweepAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["started_at", "finished_at", "as_of", "created", "digests"]
    date_hierarchy = "started_at"


@admin.register(SweepHeartbeat)
class SweepHeartbeatAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["finished_at"]


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["recipient", "kind", "offset_days", "requirement", "unit", "scheduled_for", "status", "sent_at"]
    list_filter = ["kind", "status"]
    search_fields = ["recipient__username", "unit__name", "requirement__title"]
    list_select_related = ["recipient", "requirement", "unit"]


@admin.register(Event)
class EventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The outbox's news rows (notifications.events): who is told what, and which flush took it."""

    list_display = ["recipient", "kind", "created_at", "sweep"]
    list_filter = ["kind"]
    search_fields = ["recipient__username", "key"]
    list_select_related = ["recipient", "sweep"]


@admin.register(Digest)
class DigestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["recipient", "sweep", "created_at"]
    search_fields = ["recipient__username"]
    list_select_related = ["recipient", "sweep"]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The outbox's deliveries, for superusers. The one action resends failed ones: filter by
    channel and status "失败" and select all of them to resend a channel's after an outage."""

    list_display = ["digest", "channel", "status", "attempts", "sent_at", "next_attempt_at", "resend_count", "last_error"]
    list_filter = ["channel", "status"]
    search_fields = ["digest__recipient__username", "last_error"]
    list_select_related = ["digest__recipient"]
    actions = ["resend_failed"]

    def has_resend_permission(self, request):
        return self.has_view_permission(request)

    @admin.action(description=_("重新发送所选的失败记录"), permissions=["resend"])
    def resend_failed(self, request, queryset):
        """Ask why on a page of its own, then resend (notifications.actions.resend_deliveries)."""
        resendable = queryset.restrict(request.user, "resend")
        form = ResendForm(request.POST if "reason" in request.POST else None)
        if form.is_bound and form.is_valid():
            resent = resend_deliveries(resendable, actor=request.user, reason=form.cleaned_data["reason"])
            self.message_user(request, ngettext(
                "已重新发送 %(count)s 条提醒。", "已重新发送 %(count)s 条提醒。", resent.count
            ) % {"count": resent.count}, messages.SUCCESS if resent.count else messages.WARNING)
            return None
        by_channel = resendable.order_by().values_list("channel").annotate(n=Count("pk")).order_by("channel")
        return TemplateResponse(request, "admin/notifications/delivery/resend.html", {
            **self.admin_site.each_context(request),
            "title": _("重新发送失败的提醒"),
            "opts": self.model._meta,
            "form": form,
            "count": sum(n for _channel, n in by_channel),
            "by_channel": [(channel_label(channel), n) for channel, n in by_channel],
            "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
            "select_across": request.POST.get("select_across", "0"),
            "action": "resend_failed",
        })


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["user", "title", "created_at", "read_at"]
    search_fields = ["user__username", "title"]
    date_hierarchy = "created_at"
    list_select_related = ["user"]
