"""Receipts (签收, issue 13): a liaison's first opening of an obligation or of signed-off feedback is
recorded once, with who and when; nobody else's opening counts; the office sees who has not
signed for a requirement, and for how long, on the requirement's page."""

import datetime as dt

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from campaign.actions import sign_for_obligation
from campaign.models import Obligation
from core import clock
from supervision.actions import sign_for_feedback
from supervision.models import Feedback
from tests.workspace.todo_helpers import signed_off_feedback

FIRST = dt.datetime(2014, 1, 2, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
LATER = FIRST + dt.timedelta(days=3)


def trail(obj):
    return list(AuditEntry.objects.filter(object_id=obj.pk, action="sign_for", content_type__model=obj._meta.model_name))


def open_page(client, user, url, at):
    client.force_login(user)
    with clock.frozen_at(at):
        response = client.get(url)
    assert response.status_code == 200
    return response


def test_liaison_signs_for_an_obligation_once_at_the_first_opening(world, client):
    obligation = world.obligation_organ
    open_page(client, world.liaison_organ, obligation.get_absolute_url(), FIRST)
    open_page(client, world.liaison_organ, obligation.get_absolute_url(), LATER)
    obligation.refresh_from_db()
    assert obligation.received_at == FIRST and obligation.received_by == world.liaison_organ
    [entry] = trail(obligation)
    assert entry.actor == world.liaison_organ
    assert "已签收" in client.get(obligation.get_absolute_url()).content.decode()


def test_a_second_signing_changes_nothing_even_from_a_stale_copy(world):
    stale = Obligation.objects.get(pk=world.obligation_organ.pk)
    assert sign_for_obligation(world.obligation_organ, world.liaison_organ) is True
    # A copy loaded before the receipt (a concurrent first opening) meets the guarded UPDATE.
    assert sign_for_obligation(stale, world.liaison_organ) is False
    assert len(trail(world.obligation_organ)) == 1


@pytest.mark.parametrize("persona", ["office_province", "group_member", "group_leader", "superuser"])
def test_opening_by_anyone_but_the_units_liaison_does_not_sign(world, client, persona):
    obligation = world.obligation_organ
    open_page(client, getattr(world, persona), obligation.get_absolute_url(), FIRST)
    obligation.refresh_from_db()
    assert obligation.received_at is None and obligation.received_by is None
    assert trail(obligation) == []


def test_reporting_without_opening_is_a_receipt_too(world):
    from campaign import workflow
    from tests.workspace.workspace_helpers import PDF, upload

    ob = world.obligation_organ
    assert ob.received_at is None
    workflow.transition(ob, "submit", world.liaison_organ, text="初稿", files=[upload("总结.pdf", PDF)])
    ob.refresh_from_db()
    assert ob.received_at == ob.submitted_at and ob.received_by == world.liaison_organ


def test_another_units_liaison_cannot_sign(world):
    assert sign_for_obligation(world.obligation_organ, world.liaison_organ2) is False
    world.obligation_organ.refresh_from_db()
    assert world.obligation_organ.received_at is None


def test_liaison_signs_for_signed_off_feedback_once(world, client):
    feedback = signed_off_feedback(world, world.organ, "关于对照检查材料的反馈")
    open_page(client, world.group_member, feedback.get_absolute_url(), FIRST)
    open_page(client, world.group_leader, feedback.get_absolute_url(), FIRST)
    feedback.refresh_from_db()
    assert feedback.received_at is None  # the group reading its own feedback is no receipt

    open_page(client, world.liaison_organ, feedback.get_absolute_url(), FIRST)
    html = open_page(client, world.liaison_organ, feedback.get_absolute_url(), LATER).content.decode()
    feedback.refresh_from_db()
    assert feedback.received_at == FIRST and feedback.received_by == world.liaison_organ
    assert len(trail(feedback)) == 1
    assert "单位已签收" in html


def test_feedback_not_signed_off_cannot_be_signed_for(world):
    draft = signed_off_feedback(world, world.organ, "草稿", status=Feedback.Status.PENDING)
    assert sign_for_feedback(draft, world.liaison_organ) is False
    assert sign_for_feedback(draft, world.group_member) is False
    draft.refresh_from_db()
    assert draft.received_at is None and trail(draft) == []


def requirement_page(client, world, **params):
    client.force_login(world.office_province)
    response = client.get(reverse("campaign:requirement", args=[world.requirement.pk]), params)
    return response.status_code, response.content.decode()


def rows(html, world):
    """{unit name: "signed" / "unsigned"} of the obligations listed on the requirement's page."""
    found = {}
    for obligation in world.requirement.obligations.select_related("unit"):
        marker = f'data-obligation="{obligation.pk}"'
        if marker in html:
            row = html[html.index(marker):].split("</tr>")[0]
            found[obligation.unit.name] = "signed" if 'data-receipt="signed"' in row else "unsigned"
    return found


def test_office_sees_receipts_per_unit_and_filters_the_unsigned(world, client):
    open_page(client, world.liaison_organ, world.obligation_organ.get_absolute_url(), FIRST)
    status, html = requirement_page(client, world)
    assert status == 200
    assert rows(html, world) == {"浙江省": "unsigned", "省发展改革委": "signed", "省教育厅": "unsigned"}
    assert "2014年1月2日 09:30" in html  # the moment of the receipt, the Chinese way
    _, html = requirement_page(client, world, receipt="unsigned")
    assert rows(html, world) == {"浙江省": "unsigned", "省教育厅": "unsigned"}
    _, html = requirement_page(client, world, receipt="signed")
    assert rows(html, world) == {"省发展改革委": "signed"}


def test_not_signed_for_more_than_n_days(world, client):
    now = clock.now()
    world.requirement.obligations.filter(unit=world.organ2).update(assigned_at=now - dt.timedelta(days=10))
    world.requirement.obligations.filter(unit=world.province).update(assigned_at=now - dt.timedelta(days=2))
    _, html = requirement_page(client, world, unsigned_days="5")
    assert rows(html, world) == {"省教育厅": "unsigned"}
    _, html = requirement_page(client, world, unsigned_days="1")
    assert rows(html, world) == {"浙江省": "unsigned", "省教育厅": "unsigned"}
    # A receipt takes the unit off the list, however long it waited.
    sign_for_obligation(world.requirement.obligations.get(unit=world.organ2), world.liaison_organ2)
    _, html = requirement_page(client, world, unsigned_days="5")
    assert rows(html, world) == {}


@pytest.mark.parametrize("params, message", [
    ({"unsigned_days": "abc"}, "须填写正整数天数"),
    ({"unsigned_days": "0"}, "须填写正整数天数"),
    ({"unsigned_days": "-3"}, "须填写正整数天数"),
    ({"unsigned_days": "2.5"}, "须填写正整数天数"),
    ({"unsigned_days": "9" * 40}, "最多填写 3650 天"),
    ({"receipt": "maybe"}, "签收筛选只能选择"),
    ({"status": "lost"}, "没有这种状态"),
    ({"status": "overdue", "page": "x"}, ""),
])
def test_bad_filters_give_a_chinese_message_not_an_error(world, client, params, message):
    status, html = requirement_page(client, world, **params)
    assert status == 200
    assert message in html
    if message:
        assert 'id="obligation-filter-errors"' in html
        assert len(rows(html, world)) == 3  # a refused filter filters nothing


def test_overdue_filter(world, client):
    world.obligation_organ2.status = "accepted"
    world.obligation_organ2.save()
    with clock.frozen_at(dt.date(2014, 1, 20)):
        _, html = requirement_page(client, world, status="overdue")
    assert set(rows(html, world)) == {"浙江省", "省发展改革委"}
