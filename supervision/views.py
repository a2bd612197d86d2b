"""The supervision workspace (003, 001, 000): assigned units with traffic lights and the review
queue; per unit, visits and findings, evaluations and feedback; attendance and comments at a
unit's democratic life meeting; feedback sign-off by the group leader (DESIGN rule 9)."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from access.policy import can
from access.scope import scope_for
from access.transitions import TransitionRefused
from access.views import refused
from audit.models import AuditEntry
from audit.services import snapshot
from campaign import queues
from campaign import status as obligation_status
from campaign import workflow as obligation_workflow
from campaign.current import current_campaign
from campaign.models import Meeting, ObligationQuerySet
from core import clock, paging, traffic_light
from files.models import Attachment
from files.screening import UploadRefused
from supervision import actions, dossier
from supervision import workflow as feedback_workflow
from supervision.forms import (
    AttendanceForm,
    DossierFilterForm,
    EvaluationForm,
    FeedbackDraftForm,
    FeedbackForm,
    SignOffForm,
    VisitForm,
)
from supervision.models import Feedback, GroupAssignment, SupervisionGroup
from units.models import Unit

# Unsigned feedback the workspace lists (oldest first); a group keeps few drafts open at once.
FEEDBACK_PREVIEW = 50


@login_required
@require_GET
def workspace(request):
    user = request.user
    now = clock.now()
    campaign = current_campaign(request)
    groups = list(SupervisionGroup.objects.in_campaign(campaign).filter(members__user=user, is_active=True).order_by("name", "pk"))
    # The assigned units, one page at a time (a group assigned unit by unit may hold thousands),
    # of one of the user's groups when the home page's card links here (?group=).
    shown_groups = [g for g in groups if str(g.pk) == request.GET.get("group")] or groups
    assigned = GroupAssignment.objects.current(timezone.localdate(now)).filter(group__in=shown_groups)
    assignments = Paginator(assigned.order_by("group__name", "unit__path", "pk").values_list("pk", flat=True),
                            paging.PER_PAGE).get_page(request.GET.get("units_page"))
    # Counted for the page's assignments only (the page is chosen without the counts).
    in_campaign = ObligationQuerySet.campaign_q(campaign, "unit__obligations__")
    counted = {a.pk: a for a in GroupAssignment.objects.filter(pk__in=list(assignments)).select_related("unit", "group").annotate(
        open_count=Count("unit__obligations", filter=obligation_status.open_q("unit__obligations__") & in_campaign),
        overdue_count=Count("unit__obligations", filter=obligation_status.overdue_q(now, "unit__obligations__") & in_campaign),
        due_soon_count=Count("unit__obligations", filter=obligation_status.due_soon_q(now, "unit__obligations__") & in_campaign),
    )}
    assignments.object_list = [counted[pk] for pk in assignments]
    for assignment in assignments:
        assignment.light = traffic_light.worst(assignment.overdue_count, assignment.due_soon_count)
    # What the user's groups review first (004), oldest first, with age and owner, filtered and paged.
    queue = queues.queue_page(request, obligation_workflow.group_review_queue(user).in_campaign(campaign),
                              kept_as="group")
    pending_feedback = paging.window(
        Feedback.objects.filter(group__in=groups).exclude(status=Feedback.Status.SIGNED_OFF).select_related("unit", "group")
        .order_by("created_at", "pk"),
        size=FEEDBACK_PREVIEW,
    )
    units_query = urlencode({"group": request.GET["group"]}) if len(shown_groups) < len(groups) else ""
    context = {**queue, "groups": groups, "assignments": assignments, "units_query": units_query,
               "pending_feedback": pending_feedback}
    return render(request, "supervision/workspace.html", context)


def supervised_unit(user, unit_id):
    """A unit the user may see (else 404) and supervise (else 403), with the user's group for it."""
    unit = get_object_or_404(Unit.objects.restrict(user), pk=unit_id)
    assignments = scope_for(user).assignments_for(unit)
    if not assignments or not can(user, "supervise", unit):
        raise PermissionDenied
    return unit, SupervisionGroup.objects.get(pk=assignments[0].group_id)


def render_unit(request, unit, group, status=200, **forms_):
    """The group's dossier of the unit (supervision.dossier), with the group's forms."""
    user = request.user
    campaign = current_campaign(request)
    filter_form = DossierFilterForm(
        request.GET or None, kinds=dossier.kind_choices(), requirements=dossier.requirement_choices(user, unit, campaign)
    )
    filters = filter_form.filters() if request.GET else {}
    own, panels = dossier.sections(request, unit, campaign, filters, page=request.GET.get("page"))
    meetings = next((s.window.rows for s in own if s.kind == "meetings"), [])
    visits = next((s.window.rows for s in own if s.kind == "visits"), [])
    visit_files = Attachment.objects.restrict(user).by_owner(visits)  # one query for the visits shown
    for visit in visits:
        visit.files = visit_files[visit.pk]
    # The democratic life meetings shown that this user may attend and comment on, once held
    # (supervision.actions.attendance_refusals; one query).
    attendable = set(
        Meeting.objects.restrict(user, "attend").filter(pk__in=[m.pk for m in meetings], kind=Meeting.Kind.DEMOCRATIC_LIFE,
                                                        status=Meeting.Status.HELD)
        .values_list("pk", flat=True)
    ) if meetings else set()
    for meeting in meetings:
        if meeting.pk in attendable:
            mine = next((a for a in meeting.attendance_list if a.attendee_id == user.pk), None)
            meeting.attend_form = AttendanceForm(initial={"comment": mine.comment if mine else ""},
                                                 auto_id=f"id_meeting{meeting.pk}_%s")
    query = {name: value.isoformat() if hasattr(value, "isoformat") else value for name, value in filters.items()
             if name != "kind"}
    context = {
        "unit": unit,
        "group": group,
        "filter_form": filter_form,
        "filters": filters,
        "more_query": urlencode(query),
        "page_query": urlencode({**query, **({"kind": filters["kind"]} if "kind" in filters else {})}),
        "sections": own,
        "panels": panels,
        "visit_form": forms_.get("visit_form") or VisitForm(),
        "evaluation_form": forms_.get("evaluation_form") or EvaluationForm(),
        "feedback_form": forms_.get("feedback_form") or FeedbackForm(),
    }
    return render(request, "supervision/unit.html", context, status=status)


@login_required
@require_GET
def unit_detail(request, unit_id):
    unit, group = supervised_unit(request.user, unit_id)
    return render_unit(request, unit, group)


def _create(request, unit_id, form_class, form_key, actor_field, success):
    """Create one supervision record for a supervised unit, with its audit row; then back to
    the unit's page (or, for feedback, to the new draft)."""
    unit, group = supervised_unit(request.user, unit_id)
    form = form_class(request.POST, request.FILES)
    if not form.is_valid():
        return render_unit(request, unit, group, status=400, **{form_key: form})
    try:
        obj = actions.record_for_unit(form.instance, unit=unit, group=group, actor=request.user, actor_field=actor_field,
                                      files=form.cleaned_data.get("files") or ())
    except UploadRefused as exc:
        form.add_error("files" if "files" in form.fields else None, str(exc))
        return render_unit(request, unit, group, status=400, **{form_key: form})
    messages.success(request, success)
    return redirect(obj) if hasattr(obj, "get_absolute_url") else redirect("supervision:unit", unit_id=unit.pk)


@login_required
@require_POST
def visit_create(request, unit_id):
    """蹲点, 随机调研, 明察暗访, 个别访谈, 座谈会 and their findings (001, 003)."""
    return _create(request, unit_id, VisitForm, "visit_form", "recorded_by", _("已记录督导调研。"))


@login_required
@require_POST
def evaluation_create(request, unit_id):
    """Evaluation of rectification and institution-building with a rating and text (000)."""
    return _create(request, unit_id, EvaluationForm, "evaluation_form", "evaluated_by", _("已记录评估意见。"))


@login_required
@require_POST
def feedback_create(request, unit_id):
    """Any member drafts feedback; the unit does not see it until the leader signs it off (001)."""
    return _create(request, unit_id, FeedbackForm, "feedback_form", "drafted_by", _("已保存反馈意见草稿。"))


def visible_feedback(user, feedback_id):
    return get_object_or_404(Feedback.objects.restrict(user).select_related("group", "unit", "drafted_by", "received_by"), pk=feedback_id)


def render_feedback(request, feedback, status=200, **forms_):
    user = request.user
    context = {
        "feedback": feedback,
        "edit_form": forms_.get("edit_form") or (FeedbackDraftForm(instance=feedback) if can(user, "edit", feedback) else None),
        "documents": list(Attachment.objects.restrict(user).of(feedback)),
        "may_request": "request_sign_off" in feedback_workflow.MACHINE.available_actions(feedback, user),
        "sign_form": forms_.get("sign_form")
        or (SignOffForm() if "sign_off" in feedback_workflow.MACHINE.available_actions(feedback, user) else None),
        "is_member": scope_for(user).is_member(feedback.group_id),
        # Who refused the sign-off, and when (the reason box): the trail's latest refusal.
        "last_refusal": AuditEntry.objects.latest_for(Feedback, [feedback.pk], "refuse_sign_off").get(feedback.pk)
        if feedback.refusal_reason else None,
    }
    return render(request, "supervision/feedback.html", context, status=status)


@login_required
@require_GET
def feedback_detail(request, feedback_id):
    feedback = visible_feedback(request.user, feedback_id)
    actions.sign_for_feedback(feedback, request.user)  # a liaison's first reading is the unit's receipt
    return render_feedback(request, feedback)


@login_required
@require_POST
def feedback_edit(request, feedback_id):
    feedback = visible_feedback(request.user, feedback_id)
    if not can(request.user, "edit", feedback):
        raise PermissionDenied
    before = snapshot(feedback, ["subject", "text"])
    form = FeedbackDraftForm(request.POST, request.FILES, instance=feedback)
    if not form.is_valid():
        return render_feedback(request, feedback, status=400, edit_form=form)
    try:
        actions.edit_feedback(form.instance, before, actor=request.user, files=form.cleaned_data["files"])
    except UploadRefused as exc:
        form.add_error("files", str(exc))
        return render_feedback(request, visible_feedback(request.user, feedback.pk), status=400, edit_form=form)
    messages.success(request, _("已保存。"))
    return redirect(feedback)


def _move_feedback(request, feedback, action, success, reason="", **forms_):
    """One feedback transition: a refusal for the wrong person is 403, any other refusal is shown."""
    try:
        actions.move_feedback(feedback, action, request.user, reason=reason)
    except TransitionRefused as exc:
        return refused(request, exc, lambda: render_feedback(request, visible_feedback(request.user, feedback.pk), **forms_))
    messages.success(request, success)
    return redirect(feedback)


@login_required
@require_POST
def feedback_request_sign_off(request, feedback_id):
    feedback = visible_feedback(request.user, feedback_id)
    return _move_feedback(request, feedback, "request_sign_off", _("已提请组长签发。"))


@login_required
@require_POST
def feedback_sign_off(request, feedback_id):
    """Leader signs off (delivered to the unit) or refuses with a reason (back to draft)."""
    feedback = visible_feedback(request.user, feedback_id)
    try:
        feedback_workflow.MACHINE.check(feedback, "sign_off", request.user, guards=False)
    except TransitionRefused as exc:
        return refused(request, exc, lambda: render_feedback(request, feedback))
    form = SignOffForm(request.POST)
    if not form.is_valid():
        return render_feedback(request, feedback, status=400, sign_form=form)
    if form.cleaned_data["decision"] == "sign":
        return _move_feedback(request, feedback, "sign_off", _("已签发，单位现在可以看到该反馈意见。"))
    return _move_feedback(request, feedback, "refuse_sign_off", _("未予签发，已退回草稿。"),
                          reason=form.cleaned_data["reason"], sign_form=form)


@login_required
@require_POST
def attend(request, meeting_id):
    """Attendance and comments (点评) at a unit's democratic life meeting (003)."""
    meeting = get_object_or_404(Meeting.objects.restrict(request.user), pk=meeting_id)
    if not can(request.user, "attend", meeting):
        raise PermissionDenied
    missing = actions.attendance_refusals(meeting)
    if missing:
        raise BadRequest(" ".join(str(sentence) for sentence in missing))
    assignments = scope_for(request.user).assignments_for(meeting.unit)
    if not assignments:  # a superuser sees the meeting but attends for no group
        raise PermissionDenied(_("只有联系该单位的督导组成员可以列席点评。"))
    form = AttendanceForm(request.POST)
    if not form.is_valid():
        raise BadRequest(" ".join(error for errors in form.errors.values() for error in errors))
    group = SupervisionGroup.objects.get(pk=assignments[0].group_id)
    try:
        actions.attend_meeting(meeting, group=group, actor=request.user, comment=form.cleaned_data["comment"])
    except TransitionRefused as exc:  # the meeting changed since it was read
        raise BadRequest(exc.message) from exc
    messages.success(request, _("已记录列席和点评。"))
    return redirect(meeting)
