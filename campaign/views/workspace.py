"""The unit workspace: a liaison's obligations (most urgent first, with countdown and traffic light),
per phase what is done and what is open, notifications (the notification centre's
reminders plus what reviewers did to the unit's obligations), and the feedback the unit's supervision
group has signed off (DESIGN rules 4 and 9)."""

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import render
from django.views.decorators.http import require_GET

from access.scope import scope_for
from audit.models import AuditEntry
from audit.vocabulary import describe
from campaign.current import current_campaign
from campaign.models import Meeting, Obligation, ObligationStatus, Phase, UnitPhaseProgress
from campaign.status import countdown
from core import clock, panels
from units.models import Unit

OBLIGATION_LIMIT = 200
NOTIFICATION_LIMIT = 20

# Most urgent first: returned, then pending, then waiting for review, then accepted.
URGENCY = Case(
    When(status=ObligationStatus.RETURNED, then=Value(0)),
    When(status=ObligationStatus.PENDING, then=Value(1)),
    When(status=ObligationStatus.SUBMITTED, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)


FINISHED = (ObligationStatus.ACCEPTED, ObligationStatus.EXEMPT)


def phase_summary(obligations):
    """Group obligations by phase: [(phase name, done list, open list)], in phase order. An exempt
    obligation (免报) is with the done ones: nothing is owed."""
    phases = {}
    for obligation in obligations:
        phase = obligation.requirement.phase
        key = (phase.ordinal if phase else 999, phase.name if phase else "")
        done, open_ = phases.setdefault(key, ([], []))
        (done if obligation.status in FINISHED else open_).append(obligation)
    return [(name, done, open_) for (_ordinal, name), (done, open_) in sorted(phases.items())]


@login_required
@require_GET
def workspace(request):
    user = request.user
    now = clock.now()
    unit_ids = scope_for(user).liaison_unit_ids
    units = list(Unit.objects.filter(pk__in=unit_ids).order_by("path"))
    obligations = list(
        Obligation.objects.restrict(user).in_campaign(current_campaign(request))
        .filter(unit_id__in=unit_ids, requirement__is_active=True)
        .with_status(now)
        .select_related("unit", "requirement__phase")
        .annotate(urgency=URGENCY)
        .order_by("urgency", "due_at", "pk")[:OBLIGATION_LIMIT]
    )
    for obligation in obligations:
        obligation.countdown = countdown(obligation.due_at, now)
    notifications = list(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Obligation),
            object_id__in=[o.pk for o in obligations],
        )
        .exclude(actor=user)
        .select_related("actor")
        .order_by("-at", "-pk")[:NOTIFICATION_LIMIT]
    )
    by_id = {o.pk: o for o in obligations}
    for entry in notifications:
        entry.obligation = by_id.get(entry.object_id)
    notifications = [describe(entry) for entry in notifications]
    meetings = list(Meeting.objects.filter(unit_id__in=unit_ids).select_related("unit", "phase").order_by("unit__path", "kind"))
    campaign = current_campaign(request)
    meeting_phases = list(Phase.objects.filter(campaign=campaign).order_by("ordinal")) if campaign else []
    # A new meeting belongs, unless the liaison says otherwise, to the phase the unit is in.
    in_phase = dict(UnitPhaseProgress.objects.filter(unit_id__in=unit_ids, phase__in=meeting_phases)
                    .order_by("unit_id", "phase__ordinal").values_list("unit_id", "phase_id"))
    for unit in units:
        unit.current_phase_id = in_phase.get(unit.pk)
    context = {
        "units": units,
        "obligations": obligations,
        "phases": phase_summary(obligations),
        "notifications": notifications,
        # The notification centre's latest messages and the feedback signed off for the units.
        "panels": panels.fill("unit_workspace", request, units=units),
        "meetings": meetings,
        "meeting_kinds": Meeting.Kind.choices,
        "meeting_phases": meeting_phases,
    }
    return render(request, "campaign/work/workspace.html", context)
