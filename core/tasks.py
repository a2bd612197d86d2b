"""Celery tasks of core: beat's nightly housekeeping of expired sessions."""

import logging

from celery import shared_task
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


@shared_task(name="core.tasks.clear_expired_sessions", ignore_result=True)
def clear_expired_sessions():
    """What `manage.py clearsessions` does: delete the sessions past their expiry (SESSION_COOKIE_AGE).
    Returns how many were deleted where the session engine keeps them in the database."""
    database = settings.SESSION_ENGINE in ("django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cached_db")
    # Django's own expiry test (real time, like the session cookie), not the campaign's clock.
    expired = Session.objects.filter(expire_date__lt=timezone.now()).count() if database else None
    import_string(f"{settings.SESSION_ENGINE}.SessionStore").clear_expired()
    logger.info("expired sessions cleared: %s", expired if expired is not None else settings.SESSION_ENGINE)
    return expired
