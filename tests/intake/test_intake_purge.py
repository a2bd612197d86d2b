"""Beat's nightly purge of directive intakes left unfinished (campaign.intake.actions.abandon_stale_intakes):
through abandon_intake, so the file is deleted and the audit row says the system gave up, and why."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEntry
from campaign.intake.actions import abandon_stale_intakes
from campaign.models import DirectiveIntake
from core import clock
from tests.intake.docs import docx_bytes
from tests.intake.test_intake_flow import seed_text, stored_files

pytestmark = pytest.mark.django_db


def test_stale_open_intakes_are_abandoned_with_their_files(client, world, settings, django_capture_on_commit_callbacks):
    settings.INTAKE_RETENTION_DAYS = 30
    client.force_login(world.office_province)
    for name in ("旧.docx", "新.docx"):
        client.post(reverse("campaign:intake"), {"file": SimpleUploadedFile(name, docx_bytes(seed_text().splitlines()))})
    old, recent = DirectiveIntake.objects.order_by("pk")
    DirectiveIntake.objects.filter(pk=old.pk).update(created_at=clock.now() - dt.timedelta(days=31))
    assert len(stored_files(settings)) == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert abandon_stale_intakes() == 1
    old.refresh_from_db(), recent.refresh_from_db()
    assert old.status == DirectiveIntake.Status.ABANDONED and not old.stored_name
    assert recent.status == DirectiveIntake.Status.OPEN and recent.stored_name
    assert [path.name for path in stored_files(settings)] == [recent.stored_name.rsplit("/", 1)[-1]]
    entry = AuditEntry.objects.filter(object_id=old.pk, action="abandon").get()
    assert entry.actor is None and "30" in entry.reason
    with django_capture_on_commit_callbacks(execute=True):
        assert abandon_stale_intakes() == 0  # abandoned once
