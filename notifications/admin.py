from django.contrib import admin

from access.admin import ScopedAdminMixin
from core.admin import ReadOnlyAdminMixin
from notifications.models import (
    Delivery,
    Digest,
    DueDateFlag,
    Notification,
    OfficeReminderDefaults,
    Reminder,
    ReminderPolicy,
    Sweep,
)

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


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["recipient", "kind", "offset_days", "requirement", "unit", "scheduled_for", "status", "sent_at"]
    list_filter = ["kind", "status"]
    search_fields = ["recipient__username", "unit__name", "requirement__title"]
    list_select_related = ["recipient", "requirement", "unit"]


@admin.register(Digest)
class DigestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["recipient", "sweep", "created_at"]
    search_fields = ["recipient__username"]
    list_select_related = ["recipient", "sweep"]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["digest", "channel", "status", "attempts", "sent_at", "next_attempt_at", "last_error"]
    list_filter = ["channel", "status"]
    search_fields = ["digest__recipient__username", "last_error"]
    list_select_related = ["digest__recipient"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["user", "title", "created_at", "read_at"]
    search_fields = ["user__username", "title"]
    date_hierarchy = "created_at"
    list_select_related = ["user"]
