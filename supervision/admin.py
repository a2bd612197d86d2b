from django import forms
from django.contrib import admin

from access.admin import ScopedAdminMixin
from core.admin import DecidedRecordAdminMixin
from supervision import actions
from supervision.models import (
    Evaluation,
    Feedback,
    GroupAssignment,
    GroupMember,
    MeetingAttendance,
    SpotCheck,
    SupervisionGroup,
    Visit,
)


class MemberInline(admin.TabularInline):
    model = GroupMember
    raw_id_fields = ["user"]
    extra = 0


class AssignmentInline(admin.TabularInline):
    model = GroupAssignment
    raw_id_fields = ["unit"]
    extra = 0


@admin.register(SupervisionGroup)
class SupervisionGroupAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "office", "campaign", "is_active"]
    list_filter = ["kind", "campaign", "is_active"]
    search_fields = ["name", "office__name"]
    raw_id_fields = ["office"]
    inlines = [MemberInline, AssignmentInline]


@admin.register(GroupMember)
class GroupMemberAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["user", "group", "is_leader"]
    list_filter = ["is_leader", "group"]
    search_fields = ["user__username", "group__name"]
    raw_id_fields = ["user"]


@admin.register(GroupAssignment)
class GroupAssignmentAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["group", "unit", "include_subtree", "starts_on", "ends_on"]
    list_filter = ["group", "include_subtree"]
    search_fields = ["group__name", "unit__name"]
    raw_id_fields = ["unit"]


@admin.register(Visit)
class VisitAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["unit", "group", "kind", "visited_on", "recorded_by"]
    list_filter = ["kind", "group"]
    search_fields = ["unit__name", "findings"]
    date_hierarchy = "visited_on"
    raw_id_fields = ["unit", "recorded_by"]


class MeetingAttendanceForm(forms.ModelForm):
    """The guard of supervision.actions.attend_meeting, asked here too: attendance and comments only
    at a democratic life meeting that has been held (003)."""

    class Meta:
        model = MeetingAttendance
        fields = ["meeting", "group", "attendee", "comment"]

    def clean(self):
        cleaned = super().clean()
        meeting = cleaned.get("meeting")
        if meeting is not None:
            for sentence in actions.attendance_refusals(meeting):
                self.add_error("meeting", sentence)
        return cleaned


@admin.register(MeetingAttendance)
class MeetingAttendanceAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = MeetingAttendanceForm
    list_display = ["meeting", "group", "attendee", "created_at"]
    list_filter = ["group"]
    search_fields = ["meeting__unit__name", "comment"]
    raw_id_fields = ["meeting", "attendee"]


@admin.register(Evaluation)
class EvaluationAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["unit", "group", "subject", "rating", "created_at"]
    list_filter = ["subject", "rating", "group"]
    search_fields = ["unit__name", "text"]
    raw_id_fields = ["unit", "evaluated_by"]


@admin.register(Feedback)
class FeedbackAdmin(DecidedRecordAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["subject", "unit", "group", "status", "drafted_by", "signed_off_by", "signed_off_at"]
    list_filter = ["status", "group"]
    search_fields = ["subject", "text", "unit__name"]
    raw_id_fields = ["unit", "drafted_by"]
    # Sign-off happens on the group's page, by the leader (001), never by editing the row; once
    # signed off the feedback is the group's collective word and nobody rewrites it.
    readonly_fields = ["status", "signed_off_by", "signed_off_at", "refusal_reason"]


@admin.register(SpotCheck)
class SpotCheckAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["unit", "office", "checked_on", "checked_by"]
    search_fields = ["unit__name", "findings"]
    date_hierarchy = "checked_on"
    raw_id_fields = ["unit", "office", "checked_by"]
