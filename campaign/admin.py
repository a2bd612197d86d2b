from django import forms
from django.contrib import admin
from django.forms.models import construct_instance
from django.utils.translation import gettext_lazy as _

from access.admin import ScopedAdminMixin
from access.transitions import TransitionRefused
from campaign import actions, extensions, meetings
from campaign.models import (
    AffiliationReview,
    Batch,
    Campaign,
    Chase,
    Directive,
    DirectiveAttachment,
    DirectiveIntake,
    ExtensionRequest,
    Meeting,
    Obligation,
    Participation,
    Phase,
    Requirement,
    RequirementDraft,
    Review,
    StudyThreshold,
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
                       "submitted_late", "period_start", "period_label", "exempted_by", "exempted_at",
                       "exemption_reason"]
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


class MeetingForm(forms.ModelForm):
    """One meeting of each kind per unit and phase (campaign.meetings.planning_refusals), asked here
    as on every path, so the admin shows the refusal instead of saving (or failing on the constraint)."""

    class Meta:
        model = Meeting
        fields = ["unit", "kind", "phase", "planned_on", "talks_logged", "notes"]

    def _post_clean(self):
        super()._post_clean()
        if not self.errors and self.instance.unit_id:
            for sentence in meetings.planning_refusals(self.instance):
                self.add_error(None, sentence)


@admin.register(Meeting)
class MeetingAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = MeetingForm
    list_display = ["unit", "kind", "phase", "planned_on", "held_on", "talks_logged"]
    list_filter = ["kind", "talks_logged", "phase"]
    search_fields = ["unit__name"]
    raw_id_fields = ["unit"]
    # Recorded as held only through campaign.meetings, past the phase gates (rules 6 and 7); another
    # meeting in a phase is allowed on the meeting's page by an office (campaign.meetings.plan_meeting).
    readonly_fields = ["status", "held_on", "allowed_by", "allowed_reason"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:  # the one action, with its rule and its audit row
            meetings.plan_meeting(obj, unit=obj.unit, actor=request.user)


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


class ExtensionRequestAdminForm(forms.ModelForm):
    """A request made here, or the decision on a pending one, goes through campaign.extensions like
    on the pages: its rules are asked while the form is validated (refusals shown on the form);
    save_model then applies the action. Nothing else on a request is edited by hand."""

    decision = forms.ChoiceField(
        label=_("审批结论"), required=False,
        choices=[("", _("暂不审批")), ("grant", _("批准")), ("refuse", _("不予批准"))],
    )

    class Meta:
        model = ExtensionRequest
        fields = ["obligation", "requested_due_at", "reason", "decision_reason"]

    user = None  # set by the admin (get_form)

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            if self.instance.pk is None:
                obligation = cleaned["obligation"]
                extensions.precheck_request(obligation, self.user)
                probe = ExtensionRequest(obligation=obligation, requested_due_at=cleaned["requested_due_at"],
                                         reason=(cleaned.get("reason") or "").strip(), requested_by=self.user)
                missing = extensions.MACHINE.missing(probe, "request", {"reason": probe.reason})
            elif cleaned.get("decision"):
                extensions.precheck_decision(self.instance, cleaned["decision"], self.user)
                missing = extensions.MACHINE.missing(self.instance, cleaned["decision"],
                                                     {"reason": (cleaned.get("decision_reason") or "").strip()})
            else:
                missing = []
        except TransitionRefused as exc:
            missing = [exc.message]
        if missing:
            raise forms.ValidationError([str(m) for m in missing])
        return cleaned

    def validate_unique(self):
        # The one-pending-request constraint is asked by the action's guard, in its words.
        pass

    def _post_clean(self):
        # The instance is not saved from this form (save_model calls campaign.extensions): its
        # values are copied onto it, and the model's validation of a half-made row is left to
        # the action.
        construct_instance(self, self.instance, self._meta.fields, self._meta.exclude)


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(DecidedRecordAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    form = ExtensionRequestAdminForm
    list_display = ["obligation", "requested_due_at", "status", "requested_by", "requested_at", "decided_by", "decided_at"]
    list_filter = ["status"]
    search_fields = ["obligation__unit__name", "obligation__requirement__title", "reason"]
    raw_id_fields = ["obligation"]
    list_select_related = ["obligation__unit", "obligation__requirement", "requested_by", "decided_by"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user
        return form

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["obligation", "requested_due_at", "reason"]
        return ["obligation", "requested_due_at", "previous_due_at", "reason", "requested_by", "requested_at", "status",
                "decided_by", "decided_at", "decision", "decision_reason"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["obligation", "requested_due_at", "previous_due_at", "reason", "requested_by", "requested_at", "status",
                "decided_by", "decided_at"]

    def save_model(self, request, obj, form, change):
        # The actions, with their rules and audit rows; not ScopedAdminMixin's plain save.
        data = form.cleaned_data
        if not change:
            made = extensions.request_extension(
                data["obligation"], requested_due_at=data["requested_due_at"], reason=data["reason"], actor=request.user
            )
            # The admin logs and redirects to `obj`: it becomes the row the action made.
            obj.pk, obj.status, obj.requested_at, obj.previous_due_at = made.pk, made.status, made.requested_at, made.previous_due_at
            obj._state.adding = False
        elif data.get("decision"):
            extensions.decide_extension(obj, data["decision"], actor=request.user, reason=data.get("decision_reason") or "")

    def save_related(self, request, form, formsets, change):
        pass


@admin.register(Chase)
class ChaseAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """The chases (催办), as recorded: a chase is made on the requirement's page or the list of late
    units (campaign.chases), never here."""

    list_display = ["obligation", "chased_by", "chased_at", "note", "received_at"]
    search_fields = ["obligation__unit__name", "obligation__requirement__title", "note"]
    list_select_related = ["obligation__unit", "obligation__requirement", "chased_by"]


@admin.register(StudyThreshold)
class StudyThresholdAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """002's study thresholds of a campaign, as data: changed here, audited (ScopedAdminMixin)."""

    list_display = ["label", "campaign", "level", "unit_type", "kind", "measure", "minimum", "ordinal"]
    list_filter = ["campaign", "level", "kind"]


@admin.register(DirectiveIntake)
class DirectiveIntakeAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """从文件登记: written by campaign.intake.actions only."""

    list_display = ["__str__", "campaign", "status", "created_by", "created_at", "directive"]
    list_filter = ["status"]


@admin.register(RequirementDraft)
class RequirementDraftAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Deadlines found in a directive's text: confirmed or dropped on the pages (campaign.intake.actions)."""

    list_display = ["__str__", "directive", "status", "due_date", "decided_by", "decided_at"]
    list_filter = ["status"]
