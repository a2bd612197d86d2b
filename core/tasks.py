"""Celery tasks of core: background jobs (core.jobs) and their resumption and purge by beat; beat's
nightly housekeeping of expired sessions."""

import logging

from celery import shared_task
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone
from django.utils.module_loading import import_string

from core import jobs

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


@shared_task(name="core.tasks.run_job", ignore_result=True)
def run_job(job_id):
    """Run a background job, once whoever calls it (core.jobs.run)."""
    jobs.run(job_id)


@shared_task(name="core.tasks.resume_jobs", ignore_result=True)
def resume_jobs():
    """Queue again the jobs nobody took or whose worker died (core.jobs.resume); how many."""
    return sum(jobs.queue(job_id) for job_id in jobs.resume())


@shared_task(name="core.tasks.purge_job_results", ignore_result=True)
def purge_job_results():
    """Delete result files past JOB_RESULT_RETENTION_DAYS (core.jobs.purge_results)."""
    deleted = jobs.purge_results()
    logger.info("background job results purged: %s", deleted)
    return deleted
