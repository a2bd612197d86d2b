"""Messages to the in-app notification centre outside the reminder sweep."""

from notifications.models import Notification
from units.models import UnitMembership


def notify_unit_liaisons(unit, title, body, url):
    """Tell every liaison of `unit`, in the notification centre, about a decision they must act on
    (a returned report, a rectification item sent back: DESIGN, who uses it)."""
    liaisons = UnitMembership.objects.filter(unit=unit, role=UnitMembership.Role.LIAISON).values_list("user_id", flat=True)
    return Notification.objects.bulk_create(
        [Notification(user_id=user_id, title=str(title)[:200], body=body, url=url) for user_id in liaisons]
    )
