from django.contrib import admin

from access.admin import ScopedAdminMixin
from core.admin import DecidedRecordAdminMixin
from rectification.models import (
    LookBackCheckpoint,
    LookBackFinding,
    LookBackReport,
    ProgressUpdate,
    RectificationItem,
    RectificationPlan,
    SpecialRectification,
)


@admin.register(SpecialRectification)
class SpecialRectificationAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["ordinal", "name", "source"]
    search_fields = ["name"]


class ItemInline(admin.TabularInline):
    model = RectificationItem
    fields = ["problem", "owner", "due_on", "status"]
    show_change_link = True
    extra = 0


@admin.register(RectificationPlan)
class RectificationPlanAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "unit", "kind", "responsible_person", "published_on"]
    list_filter = ["kind", "campaign"]
    search_fields = ["title", "unit__name", "responsible_person"]
    raw_id_fields = ["unit"]
    inlines = [ItemInline]


class ProgressInline(admin.TabularInline):
    model = ProgressUpdate
    raw_id_fields = ["author"]
    extra = 0


@admin.register(RectificationItem)
class RectificationItemAdmin(DecidedRecordAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["problem", "plan", "four_winds", "owner", "due_on", "status", "mass_evaluation", "needs_upper_level"]
    list_filter = ["status", "four_winds", "special_rectification", "is_institution_building", "needs_upper_level"]
    search_fields = ["problem", "measures", "owner", "plan__unit__name"]
    raw_id_fields = ["plan"]
    # Closing (销号) goes through rectification.workflow: evidence and the reviewer's approval.
    readonly_fields = ["status", "closed_by", "closed_at"]
    inlines = [ProgressInline]


@admin.register(LookBackCheckpoint)
class LookBackCheckpointAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["ordinal", "area", "question"]
    search_fields = ["area", "question"]


class FindingInline(admin.TabularInline):
    model = LookBackFinding
    extra = 0


@admin.register(LookBackReport)
class LookBackReportAdmin(DecidedRecordAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["unit", "campaign", "created_by", "created_at"]
    list_filter = ["campaign"]
    search_fields = ["unit__name", "summary"]
    raw_id_fields = ["unit", "created_by"]
    # Submitted, accepted or returned only through rectification.lookback.
    readonly_fields = ["status"]
    inlines = [FindingInline]


@admin.register(LookBackFinding)
class LookBackFindingAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["report", "checkpoint", "result"]
    list_filter = ["result", "checkpoint"]
    search_fields = ["report__unit__name", "notes"]
    raw_id_fields = ["report"]


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["item", "author", "created_at"]
    search_fields = ["text"]
    raw_id_fields = ["item", "author"]
