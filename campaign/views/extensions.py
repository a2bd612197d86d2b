"""Extension requests (延期申请): a liaison asks on the obligation page; whoever decides grants or
refuses there or from the list of requests waiting for them (campaign.extensions).

Objects out of the user's scope are 404; a person who may not act is 403 (the refusal names who
may); a refused request or decision says why on the obligation page (400).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from access.views import refused
from campaign import extensions
from campaign.current import current_campaign
from campaign.forms_extensions import ExtensionDecisionForm, ExtensionRequestForm
from campaign.models import ExtensionRequest
from campaign.views.obligations import obligation_context, visible_obligation

PAGE = "campaign/work/obligation.html"
PER_PAGE = 50


def _page(request, obligation, status=400, **forms):
    return render(request, PAGE, obligation_context(request, obligation, **forms), status=status)


@login_required
@require_POST
def extension_request(request, obligation_id):
    """A liaison asks for more time on one obligation."""
    obligation = visible_obligation(request.user, obligation_id)
    try:
        extensions.precheck_request(obligation, request.user)
    except extensions.TransitionRefused as exc:
        return refused(request, exc, lambda: _page(request, obligation, status=200))
    form = ExtensionRequestForm(request.POST)
    if not form.is_valid():
        return _page(request, obligation, extension_form=form)
    try:
        extensions.request_extension(
            obligation, requested_due_at=form.requested_due_at, reason=form.cleaned_data["reason"], actor=request.user
        )
    except extensions.TransitionRefused as exc:
        return refused(request, exc, lambda: _page(request, obligation, status=200, extension_form=form))
    messages.success(request, _("延期申请已提交，请等待审批；审批前仍以现行截止时间为准。"))
    return redirect(obligation)


@login_required
@require_POST
def extension_decide(request, request_id):
    """Grant or refuse a pending request (the decision comes from the button pressed)."""
    found = get_object_or_404(ExtensionRequest.objects.restrict(request.user), pk=request_id)
    obligation = visible_obligation(request.user, found.obligation_id)
    action = "refuse" if request.POST.get("decision") == "refuse" else "grant"
    try:
        extensions.precheck_decision(found, action, request.user)
    except extensions.TransitionRefused as exc:
        return refused(request, exc, lambda: _page(request, obligation, status=200))
    form = ExtensionDecisionForm(request.POST)
    if not form.is_valid():
        return _page(request, obligation, decision_form=form)
    try:
        extensions.decide_extension(found, action, actor=request.user, reason=form.cleaned_data["reason"])
    except extensions.TransitionRefused as exc:
        return refused(request, exc, lambda: _page(request, obligation, status=200, decision_form=form))
    if action == "grant":
        messages.success(request, _("已批准延期，截止时间已调整，提醒按新的截止时间发送。"))
    else:
        messages.success(request, _("已不予批准，截止时间不变；单位将看到理由。"))
    if request.POST.get("back") == "list":
        return redirect("campaign:extension_requests")
    return redirect(obligation)


@login_required
@require_GET
def extension_requests(request):
    """The requests waiting for this user's decision in the current campaign, oldest first."""
    pending = extensions.pending_for(request.user).in_campaign(current_campaign(request))
    page = Paginator(pending, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "campaign/work/extension_requests.html", {"page": page})
