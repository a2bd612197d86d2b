"""Rectification pages (整改落实、建章立制, 003; 回头看, 004).

A unit's page (its plans and look-back report, creating the plan), a plan with its items and
their traffic lights, one item with progress, closing (销号) and the mass evaluation, the
look-back self-inspection report, and the office / supervision overview (上下联动 and items
awaiting close approval).

Objects out of the user's scope are 404 (access.policy.restrict); refused actions are 403
(access.policy.can); refused transitions say why (rectification.workflow.TransitionRefused).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from access.policy import can, restrict
from access.scope import scope_for
from access.views import refused
from audit.services import snapshot
from campaign.current import current_campaign
from core.paging import PER_PAGE
from files.models import Attachment
from files.screening import UploadRefused
from rectification import actions, lookback, workflow
from rectification.forms import (
    CloseRequestForm,
    CloseReviewForm,
    ItemForm,
    LookBackForm,
    MassEvaluationForm,
    PlanForm,
    ProgressForm,
)
from rectification.models import (
    LookBackCheckpoint,
    LookBackFinding,
    LookBackReport,
    RectificationItem,
    RectificationPlan,
)
from units.models import Level, Unit

LIST_LIMIT = 200


def visible_unit(user, unit_id):
    return get_object_or_404(restrict(Unit.objects.all(), user), pk=unit_id)


def visible_plan(user, plan_id):
    return get_object_or_404(restrict(RectificationPlan.objects.select_related("unit", "campaign"), user), pk=plan_id)


def visible_item(user, item_id):
    return get_object_or_404(
        restrict(
            RectificationItem.objects.with_status().select_related(
                "plan__unit", "plan__campaign", "special_rectification", "closed_by"
            ),
            user,
        ),
        pk=item_id,
    )


def plan_kind_for(unit):
    """003: village-level units keep a problem list (问题清单) rather than a plan."""
    return RectificationPlan.Kind.PROBLEM_LIST if unit.level == Level.VILLAGE else RectificationPlan.Kind.PLAN


def may_act_for_unit(user, unit):
    """The unit's liaisons and the offices over it keep its plan and look-back report."""
    return can(user, "keep_records", unit)


# --- unit -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def unit_page(request, unit_id):
    """A unit's rectification work: its plans, its look-back report, and creating its plan."""
    user = request.user
    unit = visible_unit(user, unit_id)
    campaign = current_campaign(request)
    kind = plan_kind_for(unit)
    plans = list(
        RectificationPlan.objects.filter(unit=unit)
        .select_related("campaign")
        .annotate(
            item_count=Count("items"),
            closed_count=Count("items", filter=Q(items__status=RectificationItem.Status.CLOSED)),
        )
        .order_by("-campaign__starts_on", "kind", "pk")
    )
    has_plan = any(plan.campaign_id == getattr(campaign, "pk", None) and plan.kind == kind for plan in plans)
    may_create = campaign is not None and not has_plan and may_act_for_unit(user, unit)
    form = None
    if request.method == "POST":
        if not may_create:
            raise PermissionDenied(_("您不能为该单位创建整改方案，或该单位已有整改方案。"))
        form = PlanForm(request.POST)
        if form.is_valid():
            plan = actions.create_plan(form.instance, unit=unit, campaign=campaign, kind=kind, actor=user)
            messages.success(request, _("整改方案已创建，请逐项添加整改事项。"))
            return redirect(plan)
    elif may_create:
        form = PlanForm(initial={"title": _("%(unit)s整改方案") % {"unit": unit.name}} if kind == "plan" else
                        {"title": _("%(unit)s问题清单") % {"unit": unit.name}})
    report = LookBackReport.objects.filter(unit=unit, campaign=campaign).first() if campaign else None
    return render(request, "rectification/unit.html", {
        "unit": unit,
        "campaign": campaign,
        "plans": plans,
        "kind_label": RectificationPlan.Kind(kind).label,
        "form": form,
        "report": report,
        "may_report": report is None and campaign is not None and may_act_for_unit(user, unit),
    }, status=400 if form is not None and form.is_bound else 200)


# --- plan -------------------------------------------------------------------------------------


@login_required
@require_GET
def plan_detail(request, plan_id):
    user = request.user
    plan = visible_plan(user, plan_id)
    items = list(plan.items.with_status().select_related("special_rectification").order_by("due_on", "pk")[:LIST_LIMIT])
    # Counted over the whole plan, not only the rows shown.
    counts = dict.fromkeys(RectificationItem.Status.values, 0)
    counts.update(plan.items.order_by().values_list("status").annotate(n=Count("id")))
    overdue = plan.items.overdue().count()
    return render(request, "rectification/plan.html", {
        "plan": plan,
        "items": items,
        "counts": [(RectificationItem.Status(status).label, n) for status, n in counts.items()],
        "overdue": overdue,
        "may_edit": can(user, "edit", plan),
    })


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request, plan_id):
    user = request.user
    plan = visible_plan(user, plan_id)
    if not can(user, "edit", plan):
        raise PermissionDenied
    before = snapshot(plan, actions.PLAN_FIELDS)
    form = PlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        actions.edit_plan(form.instance, before, actor=user)
        messages.success(request, _("整改方案已保存。"))
        return redirect(plan)
    return render(request, "rectification/plan_form.html", {"plan": plan, "form": form},
                  status=400 if form.is_bound else 200)


@login_required
@require_http_methods(["GET", "POST"])
def item_create(request, plan_id):
    user = request.user
    plan = visible_plan(user, plan_id)
    if not can(user, "edit", plan):
        raise PermissionDenied
    form = ItemForm(request.POST or None, instance=RectificationItem(plan=plan))  # the plan's campaign bounds due_on
    if request.method == "POST" and form.is_valid():
        actions.add_item(form.instance, plan=plan, actor=user)
        messages.success(request, _("整改事项已添加。"))
        return redirect(plan)
    return render(request, "rectification/item_form.html", {"plan": plan, "item": None, "form": form},
                  status=400 if form.is_bound else 200)


# --- item -------------------------------------------------------------------------------------


def item_context(request, item, **forms):
    user = request.user
    actions = workflow.available_actions(item, user)
    may_evaluate = can(user, "evaluate", item)
    updates = list(item.updates.select_related("author"))
    visible_files = Attachment.objects.restrict(user)
    update_files = visible_files.by_owner(updates)
    for update in updates:
        update.files = update_files[update.pk]
    return {
        "item": item,
        "plan": item.plan,
        # Why the reviewer sent the close request back (退回整改), until the unit asks again.
        "last_return": workflow.last_returns([item]).get(item.pk),
        "updates": updates,
        "evidence_files": list(visible_files.of(item)),
        "actions": actions,
        "transitions": workflow.MACHINE.described(),
        "may_edit": can(user, "edit", item),
        "progress_form": forms.get("progress_form") or (ProgressForm() if "progress" in actions else None),
        "close_form": forms.get("close_form")
        or (CloseRequestForm(initial={"evidence": item.evidence}) if "request_close" in actions else None),
        "review_form": forms.get("review_form")
        or (CloseReviewForm() if {"approve_close", "reject_close"} & set(actions) else None),
        "evaluation_form": forms.get("evaluation_form")
        or (MassEvaluationForm(initial={"mass_evaluation": item.mass_evaluation}) if may_evaluate else None),
    }


def _refused(request, item, exc, **forms):
    return refused(request, exc, lambda: render(request, "rectification/item.html", item_context(request, item, **forms)))


@login_required
@require_GET
def item_detail(request, item_id):
    item = visible_item(request.user, item_id)
    return render(request, "rectification/item.html", item_context(request, item))


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request, item_id):
    user = request.user
    item = visible_item(user, item_id)
    if not can(user, "edit", item):
        raise PermissionDenied
    before = snapshot(item, actions.ITEM_FIELDS)
    form = ItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        actions.edit_item(form.instance, before, actor=user)
        messages.success(request, _("整改事项已保存。"))
        return redirect(item)
    return render(request, "rectification/item_form.html", {"plan": item.plan, "item": item, "form": form},
                  status=400 if form.is_bound else 200)


def _act(request, item_id, action, form, form_key, params, success):
    """One transition from a posted form: 404 out of scope; the state and the person first (a
    refusal says why); then the form; then rectification.workflow."""
    item = visible_item(request.user, item_id)
    try:
        workflow.precheck(item, action, request.user)
        if not form.is_valid():
            return render(request, "rectification/item.html", item_context(request, item, **{form_key: form}), status=400)
        workflow.transition(item, action, request.user, **params(form.cleaned_data))
    except UploadRefused as exc:
        form.add_error("files", str(exc))
        return render(request, "rectification/item.html", item_context(request, item, **{form_key: form}), status=400)
    except workflow.TransitionRefused as exc:
        return _refused(request, item, exc, **{form_key: form})
    messages.success(request, success)
    return redirect(item)


@login_required
@require_POST
def item_progress(request, item_id):
    return _act(request, item_id, "progress", ProgressForm(request.POST, request.FILES), "progress_form",
                lambda data: {"text": data["text"], "files": data["files"]}, _("整改进展已记录。"))


@login_required
@require_POST
def item_request_close(request, item_id):
    return _act(request, item_id, "request_close", CloseRequestForm(request.POST, request.FILES), "close_form",
                lambda data: {"evidence": data["evidence"], "files": data["files"]}, _("已申请销号，等待审核。"))


@login_required
@require_POST
def item_review(request, item_id):
    action = "reject_close" if request.POST.get("decision") == "return" else "approve_close"
    return _act(request, item_id, action, CloseReviewForm(request.POST), "review_form",
                lambda data: {"reason": data["reason"]},
                _("已同意销号。") if action == "approve_close" else _("已退回整改，单位将看到退回理由。"))


@login_required
@require_POST
def item_evaluation(request, item_id):
    """Record the masses' evaluation of the item (满意/基本满意/不满意/不了解)."""
    user = request.user
    item = visible_item(user, item_id)
    if not can(user, "evaluate", item):
        raise PermissionDenied(_("您无权记录该事项的群众评价。"))
    form = MassEvaluationForm(request.POST)
    if not form.is_valid():
        return render(request, "rectification/item.html", item_context(request, item, evaluation_form=form), status=400)
    actions.record_mass_evaluation(item, form.cleaned_data["mass_evaluation"], actor=user)
    messages.success(request, _("群众评价已记录。"))
    return redirect(item)


# --- look-back --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def lookback_edit(request, unit_id):
    """The unit's look-back self-inspection report (004): one form, a result per checkpoint."""
    user = request.user
    unit = visible_unit(user, unit_id)
    campaign = current_campaign(request)
    if campaign is None:
        raise PermissionDenied(_("尚未设立教育实践活动。"))
    report = (
        LookBackReport.objects.filter(unit=unit, campaign=campaign).prefetch_related("findings").first()
    )
    allowed = can(user, "edit", report) if report is not None else may_act_for_unit(user, unit)
    if not allowed:
        raise PermissionDenied
    if report is not None and not can(user, "revise", report):
        messages.error(request, lookback.REFUSALS[("submit", report.status)])
        return redirect(report)
    checkpoints = list(LookBackCheckpoint.objects.order_by("ordinal"))
    form = LookBackForm(request.POST or None, checkpoints=checkpoints, report=report)
    if request.method == "POST" and form.is_valid():
        report = actions.save_lookback(
            report, unit=unit, campaign=campaign, summary=form.cleaned_data["summary"],
            further_measures=form.cleaned_data["further_measures"], findings=form.findings(), actor=user,
        )
        messages.success(request, _("回头看自查报告已保存；确认无误后请报送。"))
        return redirect(report)
    return render(request, "rectification/lookback_form.html", {
        "unit": unit, "campaign": campaign, "report": report, "form": form,
    }, status=400 if form.is_bound else 200)


@login_required
@require_GET
def lookback_detail(request, report_id):
    user = request.user
    report = _visible_report(user, report_id)
    findings = list(report.findings.select_related("checkpoint").order_by("checkpoint__ordinal"))
    return render(request, "rectification/lookback.html", lookback_context(request, report, findings))


def lookback_context(request, report, findings, **forms_):
    user = request.user
    actions_ = lookback.MACHINE.available_actions(report, user)
    # A reviewer whose side has accepted waits for the other side: no form for them (the page says so).
    side = lookback.side_to_decide(report, user) if "accept" in actions_ else None
    return {
        "report": report,
        "findings": findings,
        "redo": [f for f in findings if f.result == LookBackFinding.Result.NOT_MET],
        "may_edit": can(user, "revise", report),
        "may_submit": "submit" in actions_,
        # 004: 报上级党组织和督查组审核 — where each side stands.
        "sides": [{"code": code, "label": lookback.SIDE_LABELS[code], "by": getattr(report, f"{code}_accepted_by"),
                   "at": getattr(report, f"{code}_accepted_at")} for code in (lookback.OFFICE, lookback.GROUP)],
        # Why it came back (回炉), in a box the unit cannot miss.
        "last_return": lookback.last_returns([report]).get(report.pk),
        "review_side": lookback.SIDE_LABELS[side] if side else "",
        "review_form": forms_.get("review_form") or (CloseReviewForm() if side else None),
    }


def _visible_report(user, report_id):
    return get_object_or_404(
        restrict(LookBackReport.objects.select_related(
            "unit", "campaign", "created_by", "office_accepted_by", "group_accepted_by", "obligation__requirement",
        ), user), pk=report_id
    )


def _move_report(request, report, action, success, reason="", **forms_):
    try:
        actions.move_lookback(report, action, request.user, reason=reason)
    except workflow.TransitionRefused as exc:
        findings = list(report.findings.select_related("checkpoint").order_by("checkpoint__ordinal"))
        return refused(request, exc, lambda: render(request, "rectification/lookback.html",
                                                    lookback_context(request, report, findings, **forms_)))
    messages.success(request, success)
    return redirect(report)


@login_required
@require_POST
def lookback_submit(request, report_id):
    """The unit reports its look-back to its superior Party organisation and the supervision group (004)."""
    report = _visible_report(request.user, report_id)
    return _move_report(request, report, "submit", _("回头看自查报告已报送，等待上级党组织和督查组审核。"))


@login_required
@require_POST
def lookback_review(request, report_id):
    """The reviewer accepts the report or returns it for a redo (回炉), with a reason."""
    report = _visible_report(request.user, report_id)
    form = CloseReviewForm(request.POST)
    if not form.is_valid():
        findings = list(report.findings.select_related("checkpoint").order_by("checkpoint__ordinal"))
        return render(request, "rectification/lookback.html", lookback_context(request, report, findings, review_form=form),
                      status=400)
    if form.cleaned_data["decision"] == "approve":
        return _move_report(request, report, "accept", _("已审核通过；上级党组织和督查组均通过后，报告即为通过。"))
    return _move_report(request, report, "return", _("已退回重报，单位将看到退回理由。"), reason=form.cleaned_data["reason"],
                        review_form=form)


# --- overview ---------------------------------------------------------------------------------


@login_required
@require_GET
def overview(request):
    """上下联动 items in the user's scope, items awaiting the user's close approval, and the
    liaison's own units."""
    user = request.user
    items = restrict(RectificationItem.objects.in_campaign(current_campaign(request)).with_status().select_related("plan__unit"), user)
    # Each list one page at a time, with its total (a group assigned to thousands of units).
    upper = Paginator(items.open().filter(needs_upper_level=True).order_by("due_on", "pk"), PER_PAGE).get_page(
        request.GET.get("page"))
    awaiting = Paginator(
        restrict(items, user, "approve_close").filter(status__in=workflow.MACHINE.by_action["approve_close"].sources)
        .order_by("updated_at", "pk"),
        PER_PAGE,
    ).get_page(request.GET.get("awaiting_page"))
    my_units = list(Unit.objects.filter(pk__in=scope_for(user).liaison_unit_ids).order_by("path")[:LIST_LIMIT])
    return render(request, "rectification/overview.html", {
        "upper": list(upper.object_list), "upper_page": upper, "awaiting": list(awaiting.object_list), "awaiting_page": awaiting,
        "my_units": my_units,
    })
