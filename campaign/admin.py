from django import forms
from django.contrib import admin

from access.admin import ScopedAdminMixin
from campaign import actions
from campaign.models import (
    AffiliationReview,
    Batch,
    Campaign,
    Directive,
    DirectiveAttachment,
    Meeting,
    Obligation,
    Participation,
    Phase,
    Requirement,
    Review,
    Submission,
    SubmissionFile,
    UnitPhaseProgress,
)
from core.admin import DecidedRecordAdminMixin, ReadOnlyAdminMixin


class BatchInline(admin.TabularInline):
    model = Batch
    extra = 0


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "short_name", "starts_on", "ends_on"]
    search_fields = ["name", "short_name"]
    inlines = [BatchInline, PhaseInline]


@admin.register(Batch)
class BatchAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "campaign", "ordinal", "starts_on", "ends_on", "min_months"]
    list_filter = ["campaign"]


@admin.register(Phase)
class PhaseAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "campaign", "ordinal", "code"]
    list_filter = ["campaign"]


class AttachmentInline(admin.StackedInline):
    model = DirectiveAttachment
    extra = 0


class RequirementInline(admin.TabularInline):
    model = Requirement
    fields = ["title", "deadline_text", "due_at", "route", "is_active"]
    readonly_fields = ["due_at"]
    show_change_link = True
    extra = 0


@admin.register(Directive)
class DirectiveAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["number", "title", "doc_type", "issuer_name", "signed_on", "printed_on", "urgency", "secrecy"]
    list_filter = ["campaign", "doc_type", "year", "urgency", "secrecy"]
    search_fields = ["number", "agency_code", "title", "issuer_name", "body"]
    date_hierarchy = "signed_on"
    raw_id_fields = ["issuing_unit"]
    filter_horizontal = ["forwards"]
    readonly_fields = ["number", "created_by", "created_at", "updated_at"]
    inlines = [AttachmentInline, RequirementInline]


@admin.register(Requirement)
class RequirementAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "directive", "deadline_text", "due_at", "route", "review_required", "is_active"]
    list_filter = ["route", "review_required", "is_active", "phase", "target_batch"]
    search_fields = ["title", "directive__number", "directive__title"]
    raw_id_fields = ["directive"]
    # Targeting and the deadline carry rules 2 and 3 (fan-out, removals, moving open obligations):
    # they change only on the requirement's page, through campaign.actions.save_requirement.
    readonly_fields = [
        "scope_unit", "submit_to", "target_batch", "target_levels", "target_unit_types", "explicit_units",
        "deadline_text", "deadline_inclusive", "deadline_before_signing", "due_at", "due_event", "due_days", "due_workdays",
        "due_precision", "is_active", "recurrence_frequency", "recurrence_day", "recurrence_weekday", "recurrence_month",
        "recurrence_starts_on", "recurrence_ends_on", "recurrence_horizon_days",
    ]


class SubmissionInline(admin.TabularInline):
    model = Submission
    fields = ["version", "submitted_by", "submitted_at"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True
    extra = 0


@admin.register(Obligation)
class ObligationAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["unit", "requirement", "period_label", "status", "due_at", "submitted_at", "accepted_at"]
    list_filter = ["status", "requirement__directive__campaign", "unit__level"]
    search_fields = ["unit__name", "unit__code", "requirement__title"]
    raw_id_fields = ["requirement", "unit"]
    list_select_related = ["unit", "requirement"]
    # States and due moments move through campaign.workflow and campaign.actions (with their
    # checks and audit rows), not by hand.
    readonly_fields = ["requirement", "unit", "status", "due_at", "submitted_at", "first_submitted_at", "accepted_at",
                       "submitted_late", "period_start", "period_label"]
    inlines = [SubmissionInline]


class SubmissionFileInline(admin.TabularInline):
    model = SubmissionFile
    fields = ["original_name", "size", "sha256", "content_type"]
    readonly_fields = fields
    can_delete = False
    extra = 0


@admin.register(DirectiveAttachment)
class DirectiveAttachmentAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "directive", "ordinal", "original_name"]
    search_fields = ["title", "directive__number", "directive__title"]
    raw_id_fields = ["directive"]


@admin.register(SubmissionFile)
class SubmissionFileAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["original_name", "submission", "size", "sha256", "content_type"]
    search_fields = ["original_name", "sha256", "submission__obligation__unit__name"]
    list_select_related = ["submission__obligation__unit"]


@admin.register(Submission)
class SubmissionAdmin(DecidedRecordAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["obligation", "version", "submitted_by", "submitted_at"]
    search_fields = ["obligation__unit__name", "obligation__requirement__title"]
    raw_id_fields = ["obligation", "submitted_by"]
    list_select_related = ["obligation__unit", "obligation__requirement", "submitted_by"]
    inlines = [SubmissionFileInline]


class UnitPhaseProgressForm(forms.ModelForm):
    """Rule 8 is asked here as on every path (campaign.actions.phase_progress_refusals), so the
    admin shows the refusal on the field instead of saving."""

    class Meta:
        model = UnitPhaseProgress
        fields = actions.PHASE_PROGRESS_FIELDS

    def _post_clean(self):
        super()._post_clean()
        if not self.errors:
            for sentence in actions.phase_progress_refusals(self.instance):
                self.add_error("finished_on", sentence)


@admin.register(UnitPhaseProgress)
class UnitPhaseProgressAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = UnitPhaseProgressForm
    list_display = ["unit", "phase", "started_on", "finished_on"]
    list_filter = ["phase"]
    search_fields = ["unit__name"]
    raw_id_fields = ["unit"]

    def save_model(self, request, obj, form, change):
        # The one action, with its rule (8) and its audit row; not ScopedAdminMixin's plain save.
        actions.record_phase_progress(obj, actor=request.user)


@admin.register(Meeting)
class MeetingAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["unit", "kind", "planned_on", "held_on", "talks_logged"]
    list_filter = ["kind", "talks_logged"]
    search_fields = ["unit__name"]
    raw_id_fields = ["unit"]
    # Recorded as held only through campaign.meetings, past the phase gates (rules 6 and 7).
    readonly_fields = ["status", "held_on"]


@admin.register(Review)
class ReviewAdmin(DecidedRecordAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["obligation", "decision", "reviewer", "reviewed_for", "created_at"]
    list_filter = ["decision"]
    search_fields = ["obligation__unit__name", "reason"]
    raw_id_fields = ["obligation", "submission", "reviewer"]


@admin.register(AffiliationReview)
class AffiliationReviewAdmin(DecidedRecordAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["obligation", "body", "decision", "reviewer", "created_at"]
    list_filter = ["decision"]
    search_fields = ["obligation__unit__name", "body__name", "opinion"]
    raw_id_fields = ["obligation", "submission", "body", "reviewer"]


@admin.register(Participation)
class ParticipationAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["unit", "campaign", "batch", "joined_on"]
    list_filter = ["campaign", "batch"]
    search_fields = ["unit__name", "unit__code"]
    raw_id_fields = ["unit"]
    list_select_related = ["unit", "campaign", "batch"]
    # A changed batch changes what the unit owes (rule 2): campaign.actions.enrol does it, on the
    # campaign's participants page.
    # An exception to the minimum stay (rule 8) is granted on the unit's participation page
    # (campaign.actions.waive_minimum_stay), with its reason.
    readonly_fields = ["unit", "campaign", "batch", "min_months_waived_by", "min_months_waived_at", "min_months_waiver_reason"]

    def has_add_permission(self, request):
        return False
