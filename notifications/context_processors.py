"""Template context: the signed-in user's unread notification count and to-do count for the top bar."""

from django.utils.functional import SimpleLazyObject

from notifications import todo


def _lazy(request, count):
    """A count run only when a template reads it, zero for an anonymous visitor."""
    user = getattr(request, "user", None)
    return SimpleLazyObject(lambda: count(request) if getattr(user, "is_authenticated", False) else 0)


def unread_notifications(request):
    """`unread_notification_count`: counted in the one query of the top bar's counts (notifications.todo)."""
    return {"unread_notification_count": _lazy(request, todo.unread_count)}


def todo_count(request):
    """`todo_count`: the badge beside the bell, COUNTs only (notifications.todo), shared with the
    to-do page and the home panel of the request."""
    return {"todo_count": _lazy(request, todo.total)}
