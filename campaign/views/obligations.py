"""Obligation pages: one obligation with its versions, the submit / review / reopen / exempt actions,
one submission version, file downloads and the office's review queue.

Objects out of the user's scope are 404 (visible_to); refused actions are 403 (can());
refused transitions say why (campaign.workflow.TransitionRefused).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from access.policy import can
from access.views import refused
from campaign import actions, chases, queues, workflow
from campaign.current import current_campaign
from campaign.forms_extensions import ExemptionForm
from campaign.forms_work import AffiliationReviewForm, ReopenForm, ReviewForm, SubmitForm, WithdrawFileForm
from campaign.models import Obligation, Route, Submission, SubmissionFile
from campaign.status import countdown
from campaign.views import affiliation
from campaign.views.extension_panel import extension_context
from core import clock
from core.templatetags.core_tags import format_moment
from files.responses import file_response, preview_response
from files.screening import UploadRefused

# How many reports waiting for an affiliation body the review queue shows (the body's page lists all).
AFFILIATION_PREVIEW = 20


def visible_obligation(user, obligation_id):
    return get_object_or_404(
        Obligation.objects.restrict(user).with_status().select_related(
            "requirement__directive", "requirement__phase", "requirement__submit_to", "unit__party_affiliation",
            "received_by",
        ),
        pk=obligation_id,
    )


def obligation_context(request, obligation, **forms):
    user = request.user
    now = clock.now()
    actions = workflow.available_actions(obligation, user)
    submissions = list(
        obligation.submissions.select_related("submitted_by").prefetch_related("files").order_by("-version")
    )
    reviews = list(obligation.reviews.select_related("reviewer", "submission").order_by("-created_at", "-pk"))
    last_return = next((r for r in reviews if r.decision == "return"), None)
    return {
        **affiliation_context(user, obligation, submissions, forms.get("affiliation_form")),
        **extension_context(user, obligation, actions, forms),
        "obligation": obligation,
        "countdown": countdown(obligation.due_at, now),
        "submissions": submissions,
        "reviews": reviews,
        "last_return": last_return if obligation.status == workflow.RETURNED else None,
        "last_return_extra": _("新截止时间 %(moment)s") % {"moment": format_moment(last_return.new_due_at)}
        if last_return is not None and last_return.new_due_at else "",
        "actions": actions,
        "transitions": workflow.MACHINE.described(),
        "submit_form": forms.get("submit_form") or (SubmitForm() if "submit" in actions else None),
        "review_form": forms.get("review_form") or (ReviewForm() if {"approve", "return"} & set(actions) else None),
        "reopen_form": forms.get("reopen_form") or (ReopenForm() if "reopen" in actions else None),
        "withdrawable": set(
            SubmissionFile.objects.restrict(user, "withdraw").filter(submission__obligation=obligation).values_list("pk", flat=True)
        ) if submissions else set(),
    }


def affiliation_context(user, obligation, submissions, form=None):
    """The affiliation body's part on the obligation page (004): its reviews, and its form while
    the latest version waits for the body's staff. Nothing (and no query) on the other routes."""
    if obligation.requirement.route != Route.OFFICE_AND_AFFILIATION:
        return {"affiliation_route": False}
    reviews = list(
        obligation.affiliation_reviews.select_related("reviewer", "body", "submission").order_by("-created_at", "-pk")
    )
    body_id = obligation.unit.party_affiliation_id
    reviewed = bool(submissions) and any(r.submission_id == submissions[0].pk and r.body_id == body_id for r in reviews)
    may_review = not reviewed and can(user, "review_affiliation", obligation)
    return {
        "affiliation_route": True,
        "affiliation_reviews": reviews,
        "affiliation_form": (form or AffiliationReviewForm()) if may_review else None,
    }


@login_required
@require_GET
def obligation_detail(request, obligation_id):
    obligation = visible_obligation(request.user, obligation_id)
    actions.sign_for_obligation(obligation, request.user)  # a liaison's first opening is the unit's receipt
    chases.sign_for_chases(obligation, request.user)  # and of the chases since
    return render(request, "campaign/work/obligation.html", obligation_context(request, obligation))


def _refused(request, obligation, exc, **forms):
    """Show a refused transition on the obligation page with its plain reason."""
    return refused(request, exc, lambda: render(request, "campaign/work/obligation.html",
                                                obligation_context(request, obligation, **forms)))


def _act(request, obligation_id, action, form, form_key, params, success, invalid=None):
    """One transition from a posted form: 404 out of scope; the state and the person first (a
    refusal says why); then the form (errors shown, nothing saved); then campaign.workflow."""
    obligation = visible_obligation(request.user, obligation_id)
    try:
        workflow.precheck(obligation, action, request.user)
    except workflow.TransitionRefused as exc:
        return _refused(request, obligation, exc)
    page = "campaign/work/obligation.html"
    if not form.is_valid():
        if invalid:
            messages.error(request, invalid)
        return render(request, page, obligation_context(request, obligation, **{form_key: form}), status=400)
    try:
        workflow.transition(obligation, action, request.user, **params(form.cleaned_data))
    except UploadRefused as exc:
        form.add_error("files", str(exc))
        return render(request, page, obligation_context(request, obligation, **{form_key: form}), status=400)
    except workflow.TransitionRefused as exc:
        return _refused(request, obligation, exc, **{form_key: form})
    messages.success(request, success)
    return redirect(obligation)


@login_required
@require_POST
def obligation_submit(request, obligation_id):
    return _act(
        request, obligation_id, "submit", SubmitForm(request.POST, request.FILES), "submit_form",
        lambda data: {"text": data["text"], "files": data["files"]},
        _("已报送。"), invalid=_("报送未成功，请按提示修改后重试；未保存任何文件。"),
    )


@login_required
@require_POST
def obligation_review(request, obligation_id):
    decision = request.POST.get("decision")
    action = decision if decision in {"approve", "return"} else "approve"
    form = ReviewForm(request.POST)
    return _act(
        request, obligation_id, action, form, "review_form",
        lambda data: {"reason": data["reason"], "new_due_at": form.new_due_at},
        _("已通过。") if action == "approve" else _("已退回，单位将看到退回理由。"),
    )


@login_required
@require_POST
def obligation_reopen(request, obligation_id):
    return _act(
        request, obligation_id, "reopen", ReopenForm(request.POST), "reopen_form",
        lambda data: {"reason": data["reason"]}, _("已重新打开，单位可再次报送。"),
    )


@login_required
@require_POST
def obligation_exempt(request, obligation_id):
    """免报: the office excuses the unit from this obligation, with a reason (campaign.workflow)."""
    return _act(
        request, obligation_id, "exempt", ExemptionForm(request.POST), "exempt_form",
        lambda data: {"reason": data["reason"]}, _("已免报：该单位此项无需报送，不再提醒，也不计逾期。"),
    )


@login_required
@require_POST
def obligation_unexempt(request, obligation_id):
    """撤销免报: the unit owes the obligation again (待报送), with a reason."""
    return _act(
        request, obligation_id, "unexempt", ExemptionForm(request.POST), "unexempt_form",
        lambda data: {"reason": data["reason"]}, _("已撤销免报，该单位须按期报送。"),
    )


@login_required
@require_POST
def obligation_affiliation_review(request, obligation_id):
    """The affiliation body reviews its part (004): campaign.actions.review_affiliation_part."""
    obligation = visible_obligation(request.user, obligation_id)
    form = AffiliationReviewForm(request.POST)
    page = "campaign/work/obligation.html"
    if not can(request.user, "review_affiliation", obligation):
        raise PermissionDenied
    if not form.is_valid():
        return render(request, page, obligation_context(request, obligation, affiliation_form=form), status=400)
    try:
        actions.review_affiliation_part(
            obligation, actor=request.user, decision=form.cleaned_data["decision"], opinion=form.cleaned_data["opinion"]
        )
    except workflow.TransitionRefused as exc:
        return _refused(request, obligation, exc, affiliation_form=form)
    messages.success(request, _("审阅结论已记录，领导小组办公室和报送单位可以看到。"))
    return redirect(obligation)


@login_required
@require_GET
def submission_detail(request, submission_id):
    submission = get_object_or_404(
        Submission.objects.filter(obligation__in=Obligation.objects.restrict(request.user))
        .select_related("obligation__requirement", "obligation__unit", "submitted_by")
        .prefetch_related("files"),
        pk=submission_id,
    )
    if not can(request.user, "view", submission):
        raise PermissionDenied
    reviews = submission.reviews.select_related("reviewer").order_by("-created_at")
    return render(request, "campaign/work/submission.html", {"submission": submission, "reviews": reviews})


def visible_file(user, file_id):
    file_obj = get_object_or_404(
        SubmissionFile.objects.filter(submission__obligation__in=Obligation.objects.restrict(user)).select_related(
            "submission__obligation__unit"
        ),
        pk=file_id,
    )
    if not can(user, "download", file_obj):
        raise PermissionDenied
    return file_obj


@login_required
@require_GET
def file_download(request, file_id):
    return file_response(visible_file(request.user, file_id))


@login_required
@require_GET
def file_preview(request, file_id):
    """A PDF or an image shown in the browser, sandboxed (files.responses.preview_response)."""
    return preview_response(visible_file(request.user, file_id))


@login_required
@require_POST
def file_withdraw(request, file_id):
    """撤回文件: campaign.attachments.withdraw_submission_file (rule campaign.rules.withdrawable)."""
    file_obj = visible_file(request.user, file_id)
    obligation = file_obj.submission.obligation
    form = WithdrawFileForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(obligation)
    try:
        actions.withdraw_submission_file(file_obj, actor=request.user, reason=form.cleaned_data["reason"])
    except workflow.TransitionRefused as exc:
        return _refused(request, visible_obligation(request.user, obligation.pk), exc)
    messages.success(request, _("已撤回文件“%(name)s”；文件仍保留在记录中，审核方可以看到撤回情况。") % {"name": file_obj.original_name})
    return redirect(obligation)


@login_required
@require_GET
def review_queue(request):
    """Submissions on the office route waiting for this user's office (003, 004: route office), in the
    current campaign."""
    campaign = current_campaign(request)
    # Oldest first, with age and owner, filtered and paged (campaign.queues).
    queue = queues.queue_page(request, workflow.office_review_queue(request.user).in_campaign(campaign),
                              kept_as="office")
    # Staff of an affiliation body (004) find the reports waiting for their part here too.
    bodies = list(affiliation.staffed_bodies(request.user))
    awaiting = list(affiliation.awaiting(request.user).in_campaign(campaign)[:AFFILIATION_PREVIEW]) if bodies else []
    return render(request, "campaign/work/review_queue.html", {**queue, "bodies": bodies, "affiliation_queue": awaiting})
