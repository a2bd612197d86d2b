"""notifications' parts of pages filled by several apps (core.panels)."""

from access.policy import can
from access.scope import scope_for
from notifications.models import EffectivePolicy, Notification

INBOX_LIMIT = 20


def inbox_panel(request, units=None):
    """A unit's workspace: the person's latest reminders and decisions, newest first (DESIGN rule 5)."""
    inbox = Notification.objects.restrict(request.user).order_by("-created_at", "-pk")[:INBOX_LIMIT]
    return {"inbox": list(inbox)}


def requirement_panel(request, requirement):
    """A requirement's page: the reminder policy in force (the one place it is edited is the
    reminder log's form, for the issuing office)."""
    return {
        "policy": EffectivePolicy.for_requirement(requirement),
        "requirement": requirement,
        "may_edit": can(request.user, "edit", requirement),
    }


def office_panel(request, unit):
    """A unit's page, for the staff of its office: the reminder defaults of the office."""
    scope = scope_for(request.user)
    if not (scope.everything or unit.pk in scope.office_unit_ids):
        return None
    return {"policy": EffectivePolicy.for_office(unit), "office": unit}
