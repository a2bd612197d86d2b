"""Beat's nightly purge of sent reminders and delivered digests (notifications.actions.purge_sent_reminders):
old sent rows go, pending and failed ones, in-app messages and the audit trail stay, and the sweep
sends nothing again after a purge."""

import datetime as dt

import pytest
from reminders_support import shanghai

from audit.models import AuditEntry
from core import clock
from notifications.actions import purge_sent_reminders
from notifications.models import Delivery, Digest, Notification, Reminder, Sweep
from notifications.sending import send_due
from notifications.sweep import run_sweep

pytestmark = pytest.mark.django_db


def sweep_and_send(at):
    with clock.frozen_at(at):
        result = run_sweep(at, dispatch=False)
        send_due()
    return result


def test_the_purge_removes_old_sent_rows_only_and_the_sweep_does_not_send_them_again(people):
    # The ten-January deadline: 7- and 3-day reminders sent, the escalations of the 13th sent.
    sweep_and_send(shanghai(2014, 1, 3, 9))
    failed_sweep = sweep_and_send(shanghai(2014, 1, 7, 9))
    escalations = sweep_and_send(shanghai(2014, 1, 13, 9))
    # One delivery of the 7 January sweep failed for good (the office may still resend it) …
    failed = Delivery.objects.filter(digest__sweep_id=failed_sweep.sweep_id).order_by("pk").first()
    Delivery.objects.filter(pk=failed.pk).update(status=Delivery.Status.FAILED, last_error="550")
    # … and the 1-day reminders were recorded but never sent.
    with clock.frozen_at(shanghai(2014, 1, 13, 10)):
        pending = run_sweep(shanghai(2014, 1, 9, 9), dispatch=False)
    assert pending.created and escalations.created
    assert Reminder.objects.filter(kind="escalate_group", status="sent").exists()
    notifications, audit = Notification.objects.count(), AuditEntry.objects.count()
    assert notifications and audit

    # Five days on, with a one-day retention: every sent row is old enough, but the escalations'
    # moment (13 January) stays due for 30 days: deleting them would have the sweep send them again.
    at = shanghai(2014, 1, 18, 9)
    with clock.frozen_at(at):
        assert purge_sent_reminders(retention_days=1) == {"reminders": 0, "digests": 0, "sweeps": 0}
        escalated = Reminder.objects.filter(kind__startswith="escalate").count()
        run_sweep(at, dispatch=False)
    assert Reminder.objects.filter(kind__startswith="escalate").count() == escalated

    # Past the horizon the old sent rows go; the failed delivery's digest and the pending sweep stay.
    kept_reminders = set(Digest.objects.get(pk=failed.digest_id).reminders.values_list("pk", flat=True))
    unsent = Reminder.objects.exclude(status="sent")
    pending_reminders = set(unsent.values_list("pk", flat=True))
    pending_sweeps = set(unsent.values_list("sweep_id", flat=True))
    assert pending.sweep_id in pending_sweeps
    sent_rows = Reminder.objects.filter(status="sent").count()
    later = shanghai(2014, 4, 1, 3)
    with clock.frozen_at(later):
        result = purge_sent_reminders(retention_days=30)
        assert run_sweep(later, dispatch=False).created == 0
    assert result["reminders"] == sent_rows - len(kept_reminders) and result["digests"] > 0
    assert set(Reminder.objects.values_list("pk", flat=True)) == kept_reminders | pending_reminders
    assert set(Digest.objects.values_list("sweep_id", flat=True)) == {failed_sweep.sweep_id, *pending_sweeps}
    assert Delivery.objects.filter(pk=failed.pk, status="failed").exists()
    assert not Delivery.objects.filter(digest__sweep_id=pending.sweep_id).exclude(status="pending").exists()
    assert Sweep.objects.filter(pk=escalations.sweep_id).exists() is False
    # The notification centre and the audit trail are untouched.
    assert Notification.objects.count() == notifications and AuditEntry.objects.count() == audit


def test_the_default_retention_keeps_two_years(people):
    sweep_and_send(shanghai(2014, 1, 3, 9))
    count = Reminder.objects.count()
    with clock.frozen_at(shanghai(2014, 1, 3, 9) + dt.timedelta(days=729)):
        assert purge_sent_reminders()["reminders"] == 0
    with clock.frozen_at(shanghai(2014, 1, 3, 10) + dt.timedelta(days=730)):
        assert purge_sent_reminders()["reminders"] == count
