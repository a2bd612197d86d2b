"""Obligation pages: one obligation with its versions, the submit / review / reopen actions,
one submission version, file downloads and the office's review queue.

Objects out of the user's scope are 404 (visible_to); refused actions are 403 (can());
refused transitions say why (campaign.workflow.TransitionRefused).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from access.rules import can
from audit.models import AuditEntry
from campaign import workflow
from campaign.forms_work import ReopenForm, ReviewForm, SubmitForm
from campaign.models import Obligation, Submission, SubmissionFile
from campaign.uploads import UploadRefused, file_response


def visible_obligation(user, obligation_id):
    return get_object_or_404(
        Obligation.objects.visible_to(user).select_related("requirement__directive", "requirement__phase", "unit"),
        pk=obligation_id,
    )


def obligation_context(request, obligation, **forms):
    user = request.user
    now = timezone.now()
    actions = workflow.available_actions(obligation, user)
    submissions = list(
        obligation.submissions.select_related("submitted_by").prefetch_related("files").order_by("-version")
    )
    reviews = list(obligation.reviews.select_related("reviewer", "submission", "group").order_by("-created_at", "-pk"))
    last_return = next((r for r in reviews if r.decision == "return"), None)
    return {
        "obligation": obligation,
        "light": workflow.traffic_light(obligation, now),
        "countdown": workflow.countdown(obligation, now),
        "submissions": submissions,
        "reviews": reviews,
        "last_return": last_return if obligation.status == workflow.RETURNED else None,
        "audit": AuditEntry.objects.for_object(obligation)[:50],
        "actions": actions,
        "transitions": workflow.TRANSITIONS,
        "submit_form": forms.get("submit_form") or (SubmitForm() if "submit" in actions else None),
        "review_form": forms.get("review_form") or (ReviewForm() if {"approve", "return"} & set(actions) else None),
        "reopen_form": forms.get("reopen_form") or (ReopenForm() if "reopen" in actions else None),
        "allowed_extensions": workflow_extensions(),
    }


def workflow_extensions():
    from campaign.uploads import allowed_extensions

    return sorted(allowed_extensions())


@login_required
@require_GET
def obligation_detail(request, obligation_id):
    obligation = visible_obligation(request.user, obligation_id)
    return render(request, "campaign/work/obligation.html", obligation_context(request, obligation))


def _refused(request, obligation, exc, status=400, **forms):
    """Show a refused transition on the obligation page with its plain reason."""
    if exc.forbidden:
        raise PermissionDenied(exc.message)
    messages.error(request, exc.message)
    context = obligation_context(request, obligation, **forms)
    return render(request, "campaign/work/obligation.html", context, status=status)


@login_required
@require_POST
def obligation_submit(request, obligation_id):
    obligation = visible_obligation(request.user, obligation_id)
    try:
        workflow.check(obligation, "submit", request.user)
    except workflow.TransitionRefused as exc:
        return _refused(request, obligation, exc)
    form = SubmitForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("报送未成功，请按提示修改后重试；未保存任何文件。"))
        return render(
            request, "campaign/work/obligation.html", obligation_context(request, obligation, submit_form=form), status=400
        )
    try:
        workflow.transition(
            obligation, "submit", request.user, text=form.cleaned_data["text"], files=form.cleaned_data["files"]
        )
    except UploadRefused as exc:
        form.add_error("files", str(exc))
        return render(
            request, "campaign/work/obligation.html", obligation_context(request, obligation, submit_form=form), status=400
        )
    except workflow.TransitionRefused as exc:
        return _refused(request, obligation, exc, submit_form=form)
    messages.success(request, _("已报送。"))
    return redirect(obligation)


@login_required
@require_POST
def obligation_review(request, obligation_id):
    obligation = visible_obligation(request.user, obligation_id)
    form = ReviewForm(request.POST)
    action = request.POST.get("decision") if request.POST.get("decision") in {"approve", "return"} else "approve"
    try:
        workflow.check(obligation, action, request.user)
    except workflow.TransitionRefused as exc:
        return _refused(request, obligation, exc)
    if not form.is_valid():
        return render(
            request, "campaign/work/obligation.html", obligation_context(request, obligation, review_form=form), status=400
        )
    try:
        workflow.transition(
            obligation, action, request.user, reason=form.cleaned_data["reason"], new_due_at=form.new_due_at
        )
    except workflow.TransitionRefused as exc:
        return _refused(request, obligation, exc, review_form=form)
    messages.success(request, _("已通过。") if action == "approve" else _("已退回，单位将看到退回理由。"))
    return redirect(obligation)


@login_required
@require_POST
def obligation_reopen(request, obligation_id):
    obligation = visible_obligation(request.user, obligation_id)
    try:
        workflow.check(obligation, "reopen", request.user)
    except workflow.TransitionRefused as exc:
        return _refused(request, obligation, exc)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        return render(
            request, "campaign/work/obligation.html", obligation_context(request, obligation, reopen_form=form), status=400
        )
    try:
        workflow.transition(obligation, "reopen", request.user, reason=form.cleaned_data["reason"])
    except workflow.TransitionRefused as exc:
        return _refused(request, obligation, exc, reopen_form=form)
    messages.success(request, _("已重新打开，单位可再次报送。"))
    return redirect(obligation)


@login_required
@require_GET
def submission_detail(request, submission_id):
    submission = get_object_or_404(
        Submission.objects.filter(obligation__in=Obligation.objects.visible_to(request.user))
        .select_related("obligation__requirement", "obligation__unit", "submitted_by")
        .prefetch_related("files"),
        pk=submission_id,
    )
    if not can(request.user, "view", submission):
        raise PermissionDenied
    reviews = submission.reviews.select_related("reviewer").order_by("-created_at")
    return render(request, "campaign/work/submission.html", {"submission": submission, "reviews": reviews})


@login_required
@require_GET
def file_download(request, file_id):
    file_obj = get_object_or_404(
        SubmissionFile.objects.filter(submission__obligation__in=Obligation.objects.visible_to(request.user)).select_related(
            "submission__obligation__unit"
        ),
        pk=file_id,
    )
    if not can(request.user, "download", file_obj):
        raise PermissionDenied
    return file_response(file_obj)


@login_required
@require_GET
def review_queue(request):
    """Submissions on the office route waiting for this user's office (003, 004: route office)."""
    queue = list(workflow.office_review_queue(request.user)[:200])
    now = timezone.now()
    for obligation in queue:
        obligation.light = workflow.traffic_light(obligation, now)
    return render(request, "campaign/work/review_queue.html", {"queue": queue})
