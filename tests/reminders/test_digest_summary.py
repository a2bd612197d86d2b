"""Offices get a summary, not a dump (issue "province scale"): a digest names at most
summary.LISTED items and counts the rest per requirement and per unit level, with links to the
overdue list; the e-mail and the stored notification stay the same size however many items the
digest has; the notification's page reads the items from the database, page by page."""

import importlib
import re

import pytest
from django.apps import apps
from django.conf import settings
from django.core import mail
from django.urls import reverse
from reminders_support import shanghai

from campaign.actions import fan_out
from campaign.models import Obligation, Requirement, Route
from core import clock
from notifications.models import Digest, Notification, Reminder, Sweep
from notifications.sending import send_due
from notifications.summary import LISTED, overdue_list_url
from notifications.sweep import run_sweep
from supervision.models import GroupAssignment
from tests.conftest import make_unit
from units.models import Level, UnitType

pytestmark = pytest.mark.django_db

ESCALATIONS = shanghai(2014, 1, 13, 9)  # the group's and the office's escalation of the 10 January deadline


@pytest.fixture
def province(people):
    """Two requirements due on 10 January with the province office to report to; the second
    supervision group watches Hangzhou and everything below it."""
    people.summary_report = Requirement(
        directive=people.zj_48, title="整改落实情况", phase=people.phase_summary, scope_unit=people.province,
        submit_to=people.province, target_batch=people.batch1, deadline_text="2014年1月10日前",
        route=Route.SUPERVISION_FIRST,
    )
    people.summary_report.resolve_deadline()
    people.summary_report.save()
    fan_out(people.summary_report, actor=None)
    GroupAssignment.objects.create(group=people.other_group, unit=people.hangzhou, include_subtree=True,
                                   starts_on=people.assignment.starts_on)
    people.grown = 0
    return people


def grow(world, total):
    """Units under Hangzhou (a county, townships and villages in turn) up to `total`, with their obligations."""
    parents = {Level.COUNTY: world.hangzhou, Level.TOWNSHIP: world.xihu, Level.VILLAGE: world.street}
    kinds = {Level.COUNTY: UnitType.ORGAN, Level.TOWNSHIP: UnitType.TOWNSHIP, Level.VILLAGE: UnitType.VILLAGE}
    levels = list(parents)
    for n in range(world.grown, total):
        level = levels[n % len(levels)]
        make_unit(batch=world.batch1, code=f"9{n:05d}", name=f"增补单位{n}", parent=parents[level], level=level,
                  unit_type=kinds[level])
    world.grown = total
    for requirement in (world.requirement, world.summary_report):
        fan_out(requirement, actor=None)


def escalate():
    """The 13 January sweep, sent in this process; afresh each time (the earlier sweeps forgotten)."""
    Sweep.objects.all().delete()
    Notification.objects.all().delete()
    mail.outbox = []
    with clock.frozen_at(ESCALATIONS):
        run_sweep(ESCALATIONS, dispatch=False)
        send_due()


def office_message(world):
    notification = Notification.objects.get(user=world.office_province)
    [email] = [message for message in mail.outbox if message.to == [world.office_province.email]]
    return notification, email


def expected_counts(world):
    """Open obligations the office is escalated of, per requirement and per level."""
    rows = Obligation.objects.open().filter(requirement__in=[world.requirement, world.summary_report])
    per_requirement = {r.pk: rows.filter(requirement=r).count() for r in (world.requirement, world.summary_report)}
    per_level = {level: rows.filter(unit__level=level).count() for level in Level.values}
    return per_requirement, {level: count for level, count in per_level.items() if count}


def test_an_office_digest_is_a_bounded_summary_with_counts_and_links(client, province):
    grow(province, 30)
    escalate()
    small, small_mail = office_message(province)
    grow(province, 120)
    escalate()
    big, big_mail = office_message(province)
    per_requirement, per_level = expected_counts(province)
    total = sum(per_requirement.values())
    assert total > 240
    assert Reminder.objects.filter(recipient=province.office_province).count() == total

    # Named: the first LISTED items; counted: all of them.
    assert len(big.items) == LISTED and big.item_count == total and big.unlisted == total - LISTED
    assert f"及其他 {total - LISTED} 项" in big.body
    # The same size for 60 or 240 items: only the figures' digits differ.
    assert small.item_count < big.item_count
    assert abs(len(big.body) - len(small.body)) < 100
    assert abs(len(big_mail.body) - len(small_mail.body)) < 100
    assert len(big_mail.body.encode()) < 8000
    assert big_mail.body == big.body and big_mail.subject == big.title
    assert f"报送提醒：{total} 项待办（含 {total} 项逾期）" == big.title

    # Counts per requirement and per level, each requirement linked to its overdue list.
    assert "本次提醒涉及" in big.body
    for requirement_id, count in per_requirement.items():
        title = Requirement.objects.get(pk=requirement_id).title
        assert re.search(rf"- {title}：{count} 项（", big.body)
        assert settings.SITE_URL.rstrip("/") + overdue_list_url(requirement_id) in big_mail.body
    labels = dict(Level.choices)
    for level, count in per_level.items():
        assert f"{labels[level]} {count}" in big.body.split("按层级合计：")[1].split("\n")[0]

    # The link's list shows exactly the office's escalated obligations of that requirement.
    client.force_login(province.office_province)
    shown = set()
    with clock.frozen_at(ESCALATIONS):
        for page in (1, 2):
            listed = client.get(f"{overdue_list_url(province.summary_report.pk)}&page={page}")
            assert listed.status_code == 200
            assert listed.context["total"] == per_requirement[province.summary_report.pk]
            shown |= {obligation.pk for obligation in listed.context["page"].object_list}
    escalated = set(Reminder.objects.filter(recipient=province.office_province, requirement=province.summary_report)
                    .values_list("obligation_id", flat=True))
    assert shown == escalated


def test_a_supervision_groups_digest_is_summarised_too_and_a_liaisons_stays_a_list(province):
    grow(province, 60)
    escalate()
    group = Notification.objects.get(user=province.other_member)
    assert len(group.items) == LISTED and group.item_count > LISTED
    assert "本次提醒涉及" in group.body and "按层级合计：" in group.body
    Sweep.objects.all().delete()
    Notification.objects.all().delete()
    with clock.frozen_at(shanghai(2014, 1, 3, 9)):
        run_sweep(shanghai(2014, 1, 3, 9), dispatch=False)
        send_due()
    liaison = Notification.objects.get(user=province.liaison_organ)
    assert liaison.item_count == len(liaison.items) == 2
    assert "本次提醒涉及" not in liaison.body and "及其他" not in liaison.body


@pytest.mark.parametrize("size", [30, 120])
def test_the_digest_page_pages_its_items_in_a_bounded_number_of_queries(client, province, size,
                                                                         django_assert_max_num_queries):
    grow(province, size)
    escalate()
    notification = Notification.objects.get(user=province.office_province)
    digest = Digest.objects.get(recipient=province.office_province)
    total = digest.reminders.count()
    client.force_login(province.office_province)
    url = reverse("notifications:detail", args=[notification.pk])
    with django_assert_max_num_queries(13):
        first = client.get(url)
    page = first.content.decode()
    assert 'id="digest-summary"' in page
    assert page.count('<tr data-requirement="') == 2
    assert page.count("<li><a href=") == min(total, 50)
    assert f"共 {total} 条" in page
    assert len(first.content) < 60000
    with django_assert_max_num_queries(13):
        last = client.get(url, {"page": 99})
    shown = last.content.decode().count("<li><a href=")
    assert shown == total - 50 * ((total - 1) // 50)
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_a_purged_digest_shows_its_stored_items_and_how_many_more(client, province):
    grow(province, 30)
    escalate()
    notification = Notification.objects.get(user=province.office_province)
    Sweep.objects.all().delete()  # the rows go, the message stays (Notification.delivery empty)
    client.force_login(province.office_province)
    page = client.get(reverse("notifications:detail", args=[notification.pk])).content.decode()
    assert page.count("<li><a href=") == LISTED and "及其他" in page


def test_notifications_stored_before_the_bound_are_trimmed(world, client):
    """Migration notifications 0012: a digest stored whole before item_count existed keeps its first
    items and says how many it had; what was already bounded is left as it is."""
    trim = importlib.import_module("notifications.migrations.0012_trim_old_digests").trim_old_digests
    items = [{"text": f"省直单位{n} 初步书面总结 已逾期", "url": f"/obligations/{n}/"} for n in range(300)]
    body = "\n".join(["您有以下待办："] + [f"{item['text']} http://example.org{item['url']}" for item in items])
    old = Notification.objects.create(user=world.office_province, title="报送提醒：300 项待办", body=body, items=items)
    small = Notification.objects.create(user=world.office_province, title="报送提醒：2 项待办", body="两项", items=items[:2])
    bounded = Notification.objects.create(user=world.office_province, title="报送提醒", body=body, items=items[:20],
                                          item_count=300)
    trim(apps, None)
    old.refresh_from_db()
    assert old.item_count == 300 and old.items == items[:20]
    assert old.body.splitlines()[:21] == body.splitlines()[:21] and len(old.body) < len(body) / 5
    small.refresh_from_db()
    bounded.refresh_from_db()
    assert (small.item_count, small.items) == (0, items[:2]) and bounded.body == body
    # The page says how many there were.
    client.force_login(world.office_province)
    assert "及其他 280 项" in client.get(reverse("notifications:detail", args=[old.pk])).content.decode()
