"""notifications' parts of pages filled by several apps (core.panels)."""

from django.urls import reverse

from access.policy import can
from access.scope import scope_for
from campaign.current import current_campaign
from notifications import outcomes, todo
from notifications.models import Delivery, EffectivePolicy, Notification

INBOX_LIMIT = 20


def inbox_panel(request, units=None):
    """A unit's workspace: the person's latest reminders and decisions, newest first (DESIGN rule 5)."""
    inbox = Notification.objects.restrict(request.user).order_by("-created_at", "-pk")[:INBOX_LIMIT]
    return {"inbox": list(inbox)}


def requirement_panel(request, requirement):
    """A requirement's page: the reminder policy in force (the one place it is edited is the
    reminder log's form, for the issuing office) and, for those who may read the log, the
    reminders that could not be delivered or wait for a retry (issue 11)."""
    may_edit = can(request.user, "edit", requirement)
    failures = None
    if may_edit:
        failures = outcomes.totals(requirement, statuses=[Delivery.Status.FAILED, Delivery.Status.RETRY])
    return {
        "policy": EffectivePolicy.for_requirement(requirement),
        "requirement": requirement,
        "may_edit": may_edit,
        "failures": failures,
    }


def office_panel(request, unit):
    """A unit's page, for the staff of its office: the reminder defaults of the office."""
    scope = scope_for(request.user)
    if not (scope.everything or unit.pk in scope.office_unit_ids):
        return None
    return {"policy": EffectivePolicy.for_office(unit), "office": unit}


def failures_panel(request, now=None):
    """The home page of an office: its requirements with reminders that failed for good, so that
    an outage of the mail server is seen without opening every log (issue 11). Nothing when
    there are none, and nothing at all for people who keep no reminder log."""
    if not scope_for(request.user).is_office:
        return None
    rows, truncated = outcomes.requirements_with_failures(request.user)
    if not rows:
        return None
    for row in rows:
        row.log_url = reverse("notifications:requirement_log", args=[row.requirement.pk]) + "?delivery=failed"
    return {"failures": {"rows": rows, "truncated": truncated}}


def todo_panel(request, now):
    """The home page leads with the person's to-do (issue 13): how many items of each kind, the
    first few, and the way to all of them. Nothing for a person without a role."""
    if not todo.kinds_for(request.user):
        return None
    counts = todo.request_counts(request)
    kinds = [(kind, counts.get(kind.name, 0)) for kind in todo.kinds_for(request.user) if counts.get(kind.name)]
    return {"todo": {
        "total": sum(counts.values()),
        "kinds": kinds,
        "items": todo.panel_items(request.user, now, current_campaign(request), counts),
    }}
