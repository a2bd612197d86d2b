"""Every entry of beat's schedule names a task the worker has registered (a typo would be queued
every night and never run), and the housekeeping entries are there."""

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils.module_loading import import_string

from config.celery import app
from core.tasks import clear_expired_sessions


@pytest.mark.django_db  # Celery's Django fixup runs the system checks, which read the work calendar
def test_every_beat_entry_names_a_registered_task():
    app.loader.import_default_modules()  # autodiscovery, as a worker does at start
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"core.tasks.clear_expired_sessions", "notifications.tasks.purge_sent_reminders",
            "campaign.tasks.abandon_stale_intakes", "core.tasks.resume_jobs", "core.tasks.purge_job_results"} <= tasks
    assert sorted(tasks - set(app.tasks)) == []


@pytest.mark.django_db
def test_the_session_purge_deletes_expired_sessions_only(client, world):
    client.force_login(world.office_province)
    SessionStore = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    expired = SessionStore()
    expired.set_expiry(-60)
    expired.create()
    assert clear_expired_sessions() == 1
    assert Session.objects.count() == 1  # the signed-in one stays
