"""Meeting pages: plan a meeting, log its preparation, record it as held once its gates open
(campaign.gates, the guards of campaign.meetings: DESIGN rules 6 and 7), and show the supervision group's attendance and comments."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from access.policy import can
from access.transitions import TransitionRefused
from access.views import refused
from campaign import actions, meetings
from campaign.current import current_campaign
from campaign.forms_meetings import AnotherMeetingForm, CorrectHeldForm, HeldForm, MeetingForm, PreparationForm
from campaign.gates import phase_gates_open
from campaign.models import Meeting
from files.forms import AttachForm
from files.models import Attachment
from files.views import post_attachments
from units.models import Unit

MATERIALS = gettext_lazy("会议材料")


def visible_meeting(user, meeting_id):
    return get_object_or_404(Meeting.objects.restrict(user).select_related("unit", "phase", "allowed_by"), pk=meeting_id)


def render_meeting(request, meeting, status=200, **forms_):
    user = request.user
    planned = meeting.status == Meeting.Status.PLANNED
    may_record = planned and can(user, "record", meeting)
    # An office over the unit may allow it another meeting of this kind in this phase (002: 回炉).
    may_allow = meeting.phase_id is not None and can(user, "manage", meeting.unit)
    context = {
        "meeting": meeting,
        "missing": phase_gates_open(meeting, {}) if planned else [],
        "may_record": may_record,
        # 003: the group attends the meeting and comments on it once it has been held.
        "may_attend": meeting.status == Meeting.Status.HELD and can(user, "attend", meeting),
        "another_form": forms_.get("another_form") or (AnotherMeetingForm() if may_allow else None),
        "prep_form": forms_.get("prep_form") or (PreparationForm(instance=meeting) if may_record else None),
        "held_form": forms_.get("held_form") or (HeldForm() if may_record else None),
        "correct_form": forms_.get("correct_form") or (
            CorrectHeldForm(initial={"held_on": meeting.held_on})
            if meeting.status == Meeting.Status.HELD and can(user, "record", meeting) else None),
        "gate_refusal": forms_.get("gate_refusal"),
        "attendances": meeting.attendances.select_related("attendee", "group").order_by("created_at"),
        "materials": list(Attachment.objects.restrict(user).of(meeting)),
        "materials_form": forms_.get("materials_form") or (
            AttachForm(label=MATERIALS) if can(user, "record", meeting) else None),
    }
    return render(request, "campaign/work/meeting.html", context, status=status)


@login_required
@require_GET
def meeting_detail(request, meeting_id):
    return render_meeting(request, visible_meeting(request.user, meeting_id))


@login_required
@require_POST
def meeting_create(request, unit_id):
    unit = get_object_or_404(Unit.objects.restrict(request.user), pk=unit_id)
    if not can(request.user, "keep_records", unit):
        raise PermissionDenied
    form = MeetingForm(request.POST, campaign=current_campaign(request))
    if not form.is_valid():
        messages.error(request, _("会议未创建：%(errors)s") % {"errors": form.error_text()})
        return redirect("campaign:workspace")
    try:
        meeting = actions.plan_meeting(form.instance, unit=unit, actor=request.user)
    except TransitionRefused as exc:
        if exc.forbidden:
            raise PermissionDenied(exc.message) from exc
        messages.error(request, _("会议未创建：%(errors)s") % {"errors": exc.message})
        return redirect("campaign:workspace")
    return redirect(meeting)


@login_required
@require_POST
def meeting_another(request, meeting_id):
    """An office over the unit allows it another meeting of this one's kind in its phase, with the
    reason (002: 不合标准的要抓紧“回炉”); the new meeting is planned for the day given."""
    meeting = visible_meeting(request.user, meeting_id)
    if meeting.phase_id is None or not can(request.user, "manage", meeting.unit):
        raise PermissionDenied
    form = AnotherMeetingForm(request.POST)
    if not form.is_valid():
        return render_meeting(request, meeting, status=400, another_form=form)
    another = Meeting(kind=meeting.kind, phase_id=meeting.phase_id, planned_on=form.cleaned_data["planned_on"])
    try:
        another = actions.plan_meeting(another, unit=meeting.unit, actor=request.user, allowed_reason=form.cleaned_data["reason"])
    except TransitionRefused as exc:
        return refused(request, exc, lambda: render_meeting(request, meeting, another_form=form))
    messages.success(request, _("已准许另开一次会议。"))
    return redirect(another)


@login_required
@require_POST
def meeting_prepare(request, meeting_id):
    meeting = visible_meeting(request.user, meeting_id)
    if not can(request.user, "record", meeting):
        raise PermissionDenied
    form = PreparationForm(request.POST, instance=meeting)
    if meeting.status != Meeting.Status.PLANNED:
        messages.error(request, _("会议已召开，准备情况不能再修改。"))
        return render_meeting(request, visible_meeting(request.user, meeting_id), status=400)
    if not form.is_valid():
        return render_meeting(request, meeting, status=400, prep_form=form)
    try:
        actions.prepare_meeting(form.instance, actor=request.user)
    except TransitionRefused as exc:
        return refused(request, exc, lambda: render_meeting(request, visible_meeting(request.user, meeting_id)))
    messages.success(request, _("已保存准备情况。"))
    return redirect(meeting)


@login_required
@require_POST
def meeting_record_held(request, meeting_id):
    """Record the meeting as held, only when its phase gate is open (rules 6 and 7)."""
    meeting = visible_meeting(request.user, meeting_id)
    try:
        meetings.MACHINE.check(meeting, "record_held", request.user, guards=False)
    except TransitionRefused as exc:
        return refused(request, exc, lambda: render_meeting(request, meeting))
    form = HeldForm(request.POST)
    if not form.is_valid():
        return render_meeting(request, meeting, status=400, held_form=form)
    try:
        meeting = actions.record_held(meeting, form.cleaned_data["held_on"], actor=request.user)
    except TransitionRefused as exc:
        return render_meeting(request, meeting, status=400, held_form=form, gate_refusal=exc.missing or [exc.message])
    messages.success(request, _("已记录会议召开。"))
    return redirect(meeting)


@login_required
@require_POST
def meeting_correct_held(request, meeting_id):
    """Correct the day a held meeting was held, with a reason; deadlines counting from it follow (rule 13)."""
    meeting = visible_meeting(request.user, meeting_id)
    if not can(request.user, "record", meeting):
        raise PermissionDenied
    form = CorrectHeldForm(request.POST)
    if not form.is_valid():
        return render_meeting(request, meeting, status=400, correct_form=form)
    try:
        actions.correct_held_date(meeting, form.cleaned_data["held_on"], actor=request.user, reason=form.cleaned_data["reason"])
    except TransitionRefused as exc:
        return render_meeting(request, meeting, status=400, correct_form=form, gate_refusal=exc.missing or [exc.message])
    messages.success(request, _("已更正召开日期。"))
    return redirect(meeting)


@login_required
@require_POST
def meeting_materials(request, meeting_id):
    """会议材料: the unit (or its office) uploads the meeting's materials, before or after it is held."""
    meeting = visible_meeting(request.user, meeting_id)
    return post_attachments(request, meeting, permission="record", label=MATERIALS,
                            page=lambda form: render_meeting(request, meeting, status=400, materials_form=form))
