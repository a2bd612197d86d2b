"""催办 with the real Redis broker and a real Celery worker (issue 13): a chase of every late unit
reaches exactly the late units' liaisons, once, on every channel."""

from collections import Counter

import pytest
from django.urls import reverse
from reminders_support import wait_for_deliveries, wait_until

from campaign import workflow
from campaign.models import Chase
from notifications.models import Event, Notification
from tests.workspace.workspace_helpers import PDF, upload

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]


def test_a_chase_of_the_late_units_reaches_their_liaisons_once_on_every_channel(people, workers, client, settings):
    settings.SITE_URL = "https://qzlx.example.gov.cn"
    workers.start(SITE_URL=settings.SITE_URL)
    # 省教育厅 has reported; 省发展改革委 has not (and 浙江省 itself has no liaison).
    workflow.transition(people.obligation_organ2, "submit", people.liaison_organ2, text="总结", files=[upload("总结.pdf", PDF)])
    Event.objects.all().delete()  # the fan-out's and the submission's news are another test's

    client.force_login(people.office_province)
    response = client.post(reverse("campaign:chase"), {
        "all_overdue": "on", "requirement": people.requirement.pk, "note": "请于今日下班前报送",
        "next": reverse("campaign:requirement", args=[people.requirement.pk]) + "?status=overdue",
    })
    assert response.status_code == 302
    chased = Chase.objects.select_related("obligation__unit")
    assert sorted(c.obligation.unit.name for c in chased) == ["浙江省", "省发展改革委"]

    from notifications.tasks import flush_events

    flush_events.delay()
    wait_until(lambda: Event.objects.filter(sweep__isnull=False).exists(), message="the flush")
    wait_for_deliveries()

    mails = workers.emails()
    assert Counter(to for to, _subject, _body in mails) == Counter({"liaison_fgw@example.org": 1})
    [(_to, subject, body)] = mails
    assert subject.strip().startswith("【催办】省发展改革委 · “初步书面总结”：请于今日下班前报送（催办人：")
    assert "请于今日下班前报送" in body
    assert f"https://qzlx.example.gov.cn{people.obligation_organ.get_absolute_url()}" in body
    [note] = Notification.objects.filter(user=people.liaison_organ)
    assert note.url == people.obligation_organ.get_absolute_url()  # relative in the notification centre
    assert "请于今日下班前报送" in note.items[0]["text"]
    assert not Notification.objects.exclude(user=people.liaison_organ).exists()
    assert set(map(tuple, Chase.objects.values_list("channels", flat=True))) == {("inapp", "email")}

    # Flushed and sent again: nothing more.
    flush_events.delay()
    wait_for_deliveries()
    assert len(workers.emails()) == 1 and Notification.objects.count() == 1
