"""What every page that moves a state does with a refusal (access.transitions.TransitionRefused)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied


def refused(request, exc, page):
    """403 when the person may not do it at all; otherwise the reason, in words, above the page
    again (`page()` renders it) with status 400."""
    if exc.forbidden:
        raise PermissionDenied(exc.message) from exc
    messages.error(request, exc.message)
    response = page()
    response.status_code = 400
    return response
