"""The notification centre and the office's reminder log of a requirement (issue points 4 and 7)."""

import pytest
from django.urls import reverse
from reminders_support import shanghai

from notifications.models import Delivery, Notification
from notifications.sending import send_due
from notifications.sweep import run_sweep

pytestmark = pytest.mark.django_db


@pytest.fixture
def reminded(people):
    run_sweep(shanghai(2014, 1, 3, 9), dispatch=False)
    people.liaison_organ2.email = ""
    people.liaison_organ2.save()
    send_due()
    return people


def test_unread_count_in_the_top_bar_list_and_mark_as_read(client, reminded):
    client.force_login(reminded.liaison_organ)
    page = client.get(reverse("notifications:list")).content.decode()
    assert 'id="notification-badge"' in page and 'data-unread="1"' in page
    assert "初步书面总结" in page and "距截止还有 7 天" in page
    notification = Notification.objects.get(user=reminded.liaison_organ)
    detail = client.get(reverse("notifications:detail", args=[notification.pk])).content.decode()
    assert reminded.obligation_organ.get_absolute_url() in detail
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert 'data-unread="' not in client.get(reverse("notifications:list")).content.decode()
    Notification.objects.update(read_at=None)
    client.post(reverse("notifications:mark_read", args=[notification.pk]))
    assert not Notification.objects.filter(user=reminded.liaison_organ, read_at__isnull=True).exists()


def test_mark_all_read_and_nobody_reads_anyone_elses(client, reminded):
    theirs = Notification.objects.get(user=reminded.liaison_organ2)
    client.force_login(reminded.liaison_organ)
    assert client.get(reverse("notifications:detail", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("notifications:mark_read", args=[theirs.pk])).status_code == 404
    client.post(reverse("notifications:mark_all_read"))
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert not Notification.objects.filter(user=reminded.liaison_organ, read_at__isnull=True).exists()


def test_the_office_sees_who_was_reminded_how_and_what_failed(client, reminded):
    client.force_login(reminded.office_province)
    url = reverse("notifications:requirement_log", args=[reminded.requirement.pk])
    page = client.get(url).content.decode()
    assert "liaison_fgw" in page and "liaison_jyt" in page and "省发展改革委" in page
    assert "2014年1月3日 09:00" in page
    assert 'data-channel="email" data-delivery-status="sent"' in page
    assert 'data-channel="email" data-delivery-status="skipped"' in page and "未登记电子邮箱" in page
    assert Delivery.objects.filter(status="skipped").count() == 1


def test_the_office_can_change_the_policy_of_a_requirement(client, reminded):
    client.force_login(reminded.office_province)
    client.post(reverse("notifications:requirement_policy", args=[reminded.requirement.pk]),
                {"enabled": "on", "before_offsets": "5，2", "non_workday_rule": "previous"})
    assert reminded.requirement.reminder_policy.before_offsets == [5, 2]
    from audit.models import AuditEntry

    entry = AuditEntry.objects.for_object(reminded.requirement).get(action="reminder_policy")
    assert entry.actor == reminded.office_province and "before_offsets" in entry.changes


@pytest.mark.parametrize("persona,status", [("liaison_organ", 403), ("group_leader", 403), ("office_ningbo", 403)])
def test_only_the_office_sees_the_reminder_log(client, reminded, persona, status):
    client.force_login(getattr(reminded, persona))
    for name in ("requirement_log", "requirement_policy"):
        response = client.post(reverse(f"notifications:{name}", args=[reminded.requirement.pk])) if name.endswith(
            "policy") else client.get(reverse(f"notifications:{name}", args=[reminded.requirement.pk]))
        assert response.status_code == status


def test_a_stranger_gets_404_and_anonymous_is_sent_to_login(client, reminded, django_user_model):
    url = reverse("notifications:requirement_log", args=[reminded.requirement.pk])
    assert client.get(url).status_code == 302
    client.force_login(django_user_model.objects.create_user("stranger", password="Correct-Horse-42"))
    assert client.get(url).status_code == 404


def test_an_office_sets_its_reminder_defaults_and_its_requirements_follow(client, people):
    from audit.models import AuditEntry
    from notifications.models import OfficeReminderDefaults

    client.force_login(people.office_province)
    url = reverse("notifications:office_defaults", args=[people.province.pk])
    unit_page = client.get(people.province.get_absolute_url()).content.decode()
    assert 'id="office-reminders"' in unit_page and url in unit_page
    response = client.post(url, {"before_offsets": "10，5", "send_time": "08:30", "non_workday_rule": ""})
    assert response.status_code == 302
    assert OfficeReminderDefaults.objects.get(office=people.province).before_offsets == [10, 5]
    page = client.get(people.requirement.get_absolute_url()).content.decode()
    assert 'id="requirement-reminders"' in page and "10、5" in page and "08:30" in page
    entry = AuditEntry.objects.for_object(people.province).get(action="reminder_policy")
    assert entry.changes["before_offsets"] == {"before": None, "after": [10, 5]}
    # A bad value is refused with the field's own words, nothing saved.
    response = client.post(url, {"before_offsets": "十天"})
    assert response.status_code == 400 and "请填写整数天数" in response.content.decode()


def test_only_the_offices_staff_set_its_defaults(client, people):
    client.force_login(people.liaison_organ)
    assert client.get(reverse("notifications:office_defaults", args=[people.province.pk])).status_code == 404
