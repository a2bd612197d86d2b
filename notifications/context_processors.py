"""Template context: the signed-in user's unread notification count for the top bar."""

from django.utils.functional import SimpleLazyObject

from notifications.models import Notification


def unread_notifications(request):
    """`unread_notification_count`: one COUNT query, run only when a template reads it."""
    user = getattr(request, "user", None)

    def count():
        if not getattr(user, "is_authenticated", False):
            return 0

        return Notification.objects.restrict(user).unread().count()

    return {"unread_notification_count": SimpleLazyObject(count)}
