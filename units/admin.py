from django.contrib import admin

from access.admin import ScopedAdminMixin
from core.admin import ReadOnlyAdminMixin
from units.models import Opinion, StudyRecord, Unit, UnitImport, UnitMembership, UnitPermission


class MembershipInline(admin.TabularInline):
    model = UnitMembership
    raw_id_fields = ["user"]
    extra = 0


@admin.register(Unit)
class UnitAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "level", "unit_type", "parent", "is_window_unit", "is_contact_point", "is_active"]
    list_filter = ["level", "unit_type", "is_window_unit", "is_contact_point", "is_active"]
    search_fields = ["name", "short_name", "code"]
    raw_id_fields = ["parent", "party_affiliation"]
    readonly_fields = ["path", "depth"]

    def get_readonly_fields(self, request, obj=None):
        # Moving (the subtree's paths) and deactivating (the subtree, with a reason) have their own
        # pages and actions (units.actions); a new unit takes its parent here.
        if obj is not None:
            return [*self.readonly_fields, "parent", "is_active"]
        return self.readonly_fields
    list_select_related = ["parent"]
    inlines = [MembershipInline]


@admin.register(UnitMembership)
class UnitMembershipAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["user", "unit", "role", "created_at"]
    list_filter = ["role", "unit__level"]
    search_fields = ["user__username", "user__full_name", "unit__name"]
    raw_id_fields = ["user", "unit"]


@admin.register(StudyRecord)
class StudyRecordAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["unit", "kind", "held_on", "days", "topic", "participants"]
    list_filter = ["kind"]
    search_fields = ["unit__name", "topic", "speaker"]
    date_hierarchy = "held_on"
    raw_id_fields = ["unit", "created_by"]


@admin.register(Opinion)
class OpinionAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["text", "concerned_unit", "collected_by", "claimed_by", "channel", "four_winds", "collected_on"]
    list_filter = ["channel", "four_winds"]
    search_fields = ["text", "source", "concerned_unit__name", "collected_by__name", "claimed_by__name"]
    raw_id_fields = ["collected_by", "concerned_unit", "claimed_by", "recorded_by", "answered_by"]
    list_select_related = ["concerned_unit", "collected_by", "claimed_by"]


@admin.register(UnitPermission)
class UnitPermissionAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Memberships as django-guardian reads them (a database view): for checking, never editing."""

    list_display = ["user", "permission", "content_object"]
    list_filter = ["permission"]
    search_fields = ["user__username", "content_object__name"]
    list_select_related = ["user", "permission", "content_object"]


@admin.register(UnitImport)
class UnitImportAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Uploaded unit files and how their imports went: for checking, never editing."""

    list_display = ["file_name", "created_by", "status", "rows", "created_at", "finished_at"]
    list_filter = ["status"]
    search_fields = ["file_name", "created_by__username"]
    list_select_related = ["created_by"]
