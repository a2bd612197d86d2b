"""Requirements of a directive: targeting, deadline (with an htmx preview) and fan-out (rules 2, 3)."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
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
from campaign.recurrence import read_recurrence
from campaign.views import chasing
from core import clock, paging, panels
from core.templatetags.core_tags import format_day
from core.workdays import holiday_warning
from units.models import Unit

# The requirement page's filter for late units (beside the obligation states).
OVERDUE = ObligationFilterForm.OVERDUE
# Like every long list (core.paging.PER_PAGE): a page of 100 units spent most of its time rendering.
OBLIGATIONS_PER_PAGE = paging.PER_PAGE


def tell_deadline_warnings(request, requirement, form):
    """After saving: a due moment on a holiday, and what the text says but its date contradicts (a
    wrong weekday, issue 13): saved, and said."""
    warning = holiday_warning(requirement.due_at)
    if warning:
        messages.warning(request, warning)
    for text_warning in getattr(form.resolved, "warnings", ()):
        messages.warning(request, text_warning)


@login_required
def requirement_detail(request, requirement_id):
    requirement = get_object_or_404(
        Requirement.objects.restrict(request.user)
        .select_related("directive", "phase", "target_batch", "scope_unit", "submit_to"),
        pk=requirement_id,
    )
    now = clock.now()
    obligations = Obligation.objects.restrict(request.user).filter(requirement=requirement)
    # Filters by state (已逾期 among them) and by receipt (签收); a refused value shows its reason and
    # filters nothing. `q`: the units whose name or code contains it (UnitQuerySet.search).
    form = ObligationFilterForm(request.GET)
    listed = form.apply(obligations, now)
    filtered = form.is_valid() and any(form.cleaned_data.values())
    status = form.cleaned_data.get("status", "") if form.is_valid() else ""
    q = request.GET.get("q", "").strip()
    if q:
        listed = listed.filter(unit__in=Unit.objects.search(q).values("pk"))
        filtered = True
    periods, period, period_error = [], None, ""
    if requirement.recurrence is not None:
        periods = dashboard.period_rows(obligations)
        period, period_error = _chosen_period(request, requirement, periods)
        if period is not None:
            listed = listed.filter(period_start=period.start)
    # 只看逾期: the most overdue on top.
    order = ("due_at", "unit__path", "period_start") if status == OVERDUE else ("unit__path", "period_start")
    listed = listed.with_status(now).select_related("unit", "requirement", "received_by").order_by(*order)
    # The counts by state over every obligation the reader sees: an office's are the dashboard's
    # kept figures (campaign.dashboard.reader_counts_by_requirement).
    by_requirement, exact = dashboard.reader_counts_by_requirement(request.user, [requirement.pk],
                                                                   requirement.directive.campaign_id, now=now)
    counts = by_requirement.get(requirement.pk) or dashboard.Counts()
    # Unfiltered, the list's length is already counted (the period's, or the whole requirement's
    # when the kept figures are as of now).
    known = None if filtered else (period.counts.total if period is not None else counts.total if exact else None)
    page = paging.capped_page(listed, request.GET.get("page"), OBLIGATIONS_PER_PAGE, known_count=known, narrow=True)
    page.object_list = chasing.decorate(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    can_edit = can(request.user, "edit", requirement)
    remindable = chasing.remindable_among(request.user, page.object_list)
    return render(
        request,
        "campaign/requirement_detail.html",
        {
            "requirement": requirement,
            "counts": counts,
            "page": page,
            "status": status,
            "filter_form": form,
            "q": q,
            "query": query.urlencode(),
            "remindable": remindable,
            # The "chase all late units" form, on the late units' list, for whoever may chase some of them.
            "overdue_remindable": status == OVERDUE and (bool(remindable) or Obligation.objects.restrict(
                request.user, "remind").filter(requirement=requirement).exists()),
            "periods": periods,
            "period": period,
            "period_error": period_error,
            "explicit_units": requirement.explicit_units.order_by("path")[:200],
            "can_edit": can_edit,
            "deadline_warnings": _text_warnings(requirement) if can_edit else (),
            "panels": panels.fill("requirement_detail", request, requirement=requirement),
        },
    )


def _text_warnings(requirement):
    """What the deadline text says but its date contradicts (issue 13: a wrong weekday), for the
    office that can correct it; the text was read when saved, so an error now (a calendar since
    changed) is the form's to say, not this page's."""
    try:
        deadline = read_deadline(requirement.deadline_text, requirement.directive.signed_on,
                                 inclusive=requirement.deadline_inclusive)
    except DeadlineError:
        return ()
    return getattr(deadline, "warnings", ())


def _chosen_period(request, requirement, periods):
    """The period whose obligations the page lists: `?period=2014-01-01` (its first day), `all`
    for every period, by default the current one (containing today; else the latest issued
    before today, else the first). Returns (PeriodRow or None for all, message for a bad value)."""
    if not periods:
        return None, ""
    wanted = request.GET.get("period", "").strip()
    if wanted == "all":
        return None, ""
    by_start = {row.start: row for row in periods}
    if wanted:
        try:
            return by_start[dt.date.fromisoformat(wanted)], ""
        except (ValueError, KeyError):
            message = _("没有这一报送周期，已显示当前周期。")
    else:
        message = ""
    current = requirement.recurrence.period_start(clock.today())
    started = [row for row in periods if row.start <= current]
    return by_start.get(current) or (started[-1] if started else periods[0]), message


def _form_page(request, form, directive, requirement=None):
    if request.method == "POST" and form.is_valid():
        try:
            requirement, added, removed = actions.save_requirement(
                form.instance, actor=request.user, explicit_units=form.cleaned_data["explicit_codes"], in_background=True
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
            tell_deadline_warnings(request, requirement, form)
            if requirement.background_jobs:
                # Too many to write in the request (settings.BULK_INLINE_LIMIT): the job page shows the progress.
                for job in requirement.background_jobs:
                    messages.info(request, job.title)
                return redirect(requirement.background_jobs[-1])
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
            rule = read_recurrence(text)
            deadline = None if rule else read_deadline(text, directive.signed_on, inclusive=inclusive)
        except DeadlineError as exc:
            context["error"] = str(exc)
        else:
            if rule is not None:
                return _recurring_preview(request, rule, directive, context)
            if isinstance(deadline, EventDeadline):
                # Rule 13: no date yet; each unit's follows its meeting, or the day the notice reaches it.
                event = deadline.event or (chosen if chosen in DueEvent.values else "")
                if event == DueEvent.RECEIVED and not deadline.event:
                    event = ""
                context["pending"] = pending_due_label(event, deadline.days, deadline.workdays)
                if event == DueEvent.RECEIVED:
                    context["received"] = True
                    context["if_issued_today"] = deadline.due_at_after(clock.today())
                if not event:
                    context["error"] = _("请选择期限所依据的会议。")
                return render(request, "campaign/_deadline_preview.html", context)
            context["deadline"] = deadline
            context["warning"] = holiday_warning(context["deadline"].due_at)
            context["text_warnings"] = deadline.warnings
            if deadline_precedes_directive(context["deadline"].due_at, directive.signed_on):
                context["precedes"] = _(
                    "期限早于公文成文日期（%(signed)s），仅催报等重申已过期限时可用，须勾选“期限早于成文日期”。"
                ) % {"signed": format_day(directive.signed_on)}
    return render(request, "campaign/_deadline_preview.html", context)


def _preview_day(request, name):
    """A date typed in the form (2014-01-31), or None when empty or not a date (the form says why on saving)."""
    try:
        return dt.date.fromisoformat(request.GET.get(name, "").strip())
    except ValueError:
        return None


def _recurring_preview(request, rule, directive, context):
    """A recurring deadline in words, from the start the form names (default: the directive's
    date): 每月5日前（按月，自2014年1月起）, and the first period's due moment."""
    starts_on = _preview_day(request, "recurrence_starts_on") or directive.signed_on
    ends_on = _preview_day(request, "recurrence_ends_on")
    first = rule.first_period(starts_on)
    context["recurrence"] = rule.summary(starts_on, ends_on)
    context["first_period"] = first
    context["warning"] = holiday_warning(first.due_at)
    if ends_on and ends_on < first.due_on:
        context["error"] = _("结束日早于首个周期的截止日（%(day)s），不会生成任何报送任务。") % {"day": format_day(first.due_on)}
    return render(request, "campaign/_deadline_preview.html", context)
