"""Meeting pages: plan a meeting, log its preparation, record it as held once its gates open
(units.gates: DESIGN rules 6 and 7), and show the supervision group's attendance and comments."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from access.policy import can
from audit.models import AuditEntry
from audit.services import record, record_change, snapshot
from campaign.forms_meetings import HeldForm, MeetingForm, PreparationForm
from campaign.gates import missing_conditions
from campaign.models import Meeting
from units.models import Unit


def visible_meeting(user, meeting_id):
    return get_object_or_404(Meeting.objects.restrict(user).select_related("unit"), pk=meeting_id)


def render_meeting(request, meeting, status=200, **forms_):
    user = request.user
    may_record = can(user, "record", meeting)
    context = {
        "meeting": meeting,
        "missing": [] if meeting.held_on else missing_conditions(meeting),
        "may_record": may_record,
        "may_attend": can(user, "attend", meeting),
        "prep_form": forms_.get("prep_form") or (PreparationForm(instance=meeting) if may_record and not meeting.held_on else None),
        "held_form": forms_.get("held_form") or (HeldForm() if may_record and not meeting.held_on else None),
        "gate_refusal": forms_.get("gate_refusal"),
        "attendances": meeting.attendances.select_related("attendee", "group").order_by("created_at"),
        "audit": AuditEntry.objects.for_object(meeting)[:30],
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
    form = MeetingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("会议未创建：%(errors)s") % {"errors": "; ".join(e for errs in form.errors.values() for e in errs)})
        return redirect("campaign:workspace")
    with transaction.atomic():  # the meeting and its audit row together
        meeting = form.save(commit=False)
        meeting.unit = unit
        meeting.held_on = None
        meeting.save()
        record(meeting, "create", actor=request.user, to_state="planned", changes={"kind": meeting.kind})
    return redirect(meeting)


@login_required
@require_POST
def meeting_prepare(request, meeting_id):
    meeting = visible_meeting(request.user, meeting_id)
    if not can(request.user, "record", meeting):
        raise PermissionDenied
    if meeting.held_on:
        messages.error(request, _("会议已召开，准备情况不能再修改。"))
        return render_meeting(request, meeting, status=400)
    before = snapshot(meeting, PreparationForm.Meta.fields)
    form = PreparationForm(request.POST, instance=meeting)
    if not form.is_valid():
        return render_meeting(request, meeting, status=400, prep_form=form)
    with transaction.atomic():
        meeting = form.save()
        record_change(meeting, "prepare", before, actor=request.user)
    messages.success(request, _("已保存准备情况。"))
    return redirect(meeting)


@login_required
@require_POST
def meeting_record_held(request, meeting_id):
    """Record the meeting as held, only when every gate condition holds (rules 6 and 7)."""
    meeting = visible_meeting(request.user, meeting_id)
    if not can(request.user, "record", meeting):
        raise PermissionDenied
    if meeting.held_on:
        messages.error(request, _("会议已记录为召开。"))
        return render_meeting(request, meeting, status=400)
    form = HeldForm(request.POST)
    if not form.is_valid():
        return render_meeting(request, meeting, status=400, held_form=form)
    held_on = form.cleaned_data["held_on"]
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().select_related("unit").get(pk=meeting.pk)
        missing = missing_conditions(locked, held_on)
        if not missing:
            locked.held_on = held_on
            locked.save(update_fields=["held_on"])
            record(locked, "record_held", actor=request.user, from_state="planned", to_state="held",
                   changes={"held_on": held_on.isoformat()})
    if missing:
        return render_meeting(request, meeting, status=400, held_form=form, gate_refusal=missing)
    messages.success(request, _("已记录会议召开。"))
    return redirect(locked)
