"""Template context: the signed-in user's unread notification count and to-do count for the top bar."""

from django.utils.functional import SimpleLazyObject

from notifications import todo
from notifications.models import Notification


def unread_notifications(request):
    """`unread_notification_count`: one COUNT query, run only when a template reads it."""
    user = getattr(request, "user", None)

    def count():
        if not getattr(user, "is_authenticated", False):
            return 0

        return Notification.objects.restrict(user).unread().count()

    return {"unread_notification_count": SimpleLazyObject(count)}


def todo_count(request):
    """`todo_count`: the badge beside the bell, COUNT queries only (notifications.todo), run only
    when a template reads it, and shared with the to-do page and the home panel of the request."""
    user = getattr(request, "user", None)

    def count():
        if not getattr(user, "is_authenticated", False):
            return 0
        return todo.total(request)

    return {"todo_count": SimpleLazyObject(count)}
