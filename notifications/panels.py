"""notifications' parts of pages filled by several apps (core.panels)."""

from notifications.models import Notification

INBOX_LIMIT = 20


def inbox_panel(request, units=None):
    """A unit's workspace: the person's latest reminders and decisions, newest first (DESIGN rule 5)."""
    inbox = Notification.objects.restrict(request.user).order_by("-created_at", "-pk")[:INBOX_LIMIT]
    return {"inbox": list(inbox)}
