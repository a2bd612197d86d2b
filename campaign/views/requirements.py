"""Requirements of a directive: targeting, deadline (with an htmx preview) and fan-out (rules 2, 3)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from access.policy import can
from campaign import actions, dashboard
from campaign.deadlines import (
    DeadlineError,
    DueEvent,
    EventDeadline,
    deadline_precedes_directive,
    pending_due_label,
    read_deadline,
)
from campaign.forms import ObligationFilterForm, RequirementForm
from campaign.models import Directive, Obligation, Requirement
from core import clock, panels
from core.templatetags.core_tags import format_day
from core.workdays import holiday_warning


@login_required
def requirement_detail(request, requirement_id):
    requirement = get_object_or_404(
        Requirement.objects.restrict(request.user).select_related("directive", "phase", "target_batch", "scope_unit", "submit_to"),
        pk=requirement_id,
    )
    obligations = Obligation.objects.restrict(request.user).filter(requirement=requirement)
    now = clock.now()
    # Filters by state and by receipt (签收); a refused value shows its reason and filters nothing.
    form = ObligationFilterForm(request.GET)
    listed = form.apply(obligations, now)
    listed = listed.with_status(now).select_related("unit", "requirement", "received_by").order_by("unit__path")
    page = Paginator(listed, 100).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    rows = dashboard.requirement_rows([requirement.pk], obligations)
    counts = dashboard.counts_from(rows[0]) if rows else dashboard.Counts()
    return render(
        request,
        "campaign/requirement_detail.html",
        {
            "requirement": requirement,
            "counts": counts,
            "page": page,
            "status": form.cleaned_data.get("status", "") if form.is_valid() else "",
            "filter_form": form,
            "query": query.urlencode(),
            "explicit_units": requirement.explicit_units.order_by("path")[:200],
            "can_edit": can(request.user, "edit", requirement),
            "panels": panels.fill("requirement_detail", request, requirement=requirement),
        },
    )


def _form_page(request, form, directive, requirement=None):
    if request.method == "POST" and form.is_valid():
        try:
            requirement, added, removed = actions.save_requirement(
                form.instance, actor=request.user, explicit_units=form.cleaned_data["explicit_codes"]
            )
        except actions.RefusedRemoval as refused:
            form.add_error(
                None,
                _("以下单位已报送材料，不能从本要求中移除：%(names)s。请保留这些单位后再保存。")
                % {"names": "、".join(refused.units[:20])},
            )
        else:
            messages.success(
                request, _("报送要求已保存：新增 %(added)s 项报送任务，移除 %(removed)s 项。") % {"added": added, "removed": removed}
            )
            warning = holiday_warning(requirement.due_at)
            if warning:
                messages.warning(request, warning)
            return redirect(requirement)
    return render(request, "campaign/requirement_form.html", {"form": form, "directive": directive, "requirement": requirement})


@login_required
def requirement_create(request, directive_id):
    directive = get_object_or_404(Directive.objects.restrict(request.user).select_related("issuing_unit"), pk=directive_id)
    if not can(request.user, "add_requirement", directive):
        raise PermissionDenied
    form = RequirementForm(request.POST or None, directive=directive, user=request.user)
    return _form_page(request, form, directive)


@login_required
def requirement_edit(request, requirement_id):
    requirement = get_object_or_404(
        Requirement.objects.restrict(request.user).select_related("directive", "scope_unit"), pk=requirement_id
    )
    if not can(request.user, "edit", requirement):
        raise PermissionDenied
    form = RequirementForm(request.POST or None, instance=requirement, directive=requirement.directive, user=request.user)
    return _form_page(request, form, requirement.directive, requirement)


@login_required
@require_GET
def deadline_preview(request, directive_id):
    """htmx: the resolved due moment of a typed deadline, or the parser's message."""
    directive = get_object_or_404(Directive.objects.restrict(request.user), pk=directive_id)
    text = request.GET.get("deadline", "")
    inclusive = request.GET.get("deadline_inclusive") in ("on", "true", "1")
    chosen = request.GET.get("due_event", "")
    context = {"text": text}
    if text.strip():
        try:
            deadline = read_deadline(text, directive.signed_on, inclusive=inclusive)
        except DeadlineError as exc:
            context["error"] = str(exc)
        else:
            if isinstance(deadline, EventDeadline):
                # Rule 13: no date yet; each unit's follows its meeting.
                event = deadline.event or (chosen if chosen in DueEvent.values else "")
                context["pending"] = pending_due_label(event, deadline.days, deadline.workdays)
                if not event:
                    context["error"] = _("请选择期限所依据的会议。")
                return render(request, "campaign/_deadline_preview.html", context)
            context["deadline"] = deadline
            context["warning"] = holiday_warning(context["deadline"].due_at)
            if deadline_precedes_directive(context["deadline"].due_at, directive.signed_on):
                context["precedes"] = _(
                    "期限早于公文成文日期（%(signed)s），仅催报等重申已过期限时可用，须勾选“期限早于成文日期”。"
                ) % {"signed": format_day(directive.signed_on)}
    return render(request, "campaign/_deadline_preview.html", context)
