"""Impossible dates are refused with a message on the field, for every role that can reach the
form, never a server error: directives signed in year 1 or 9999, deadlines of five-digit years or
before the directive, a visit in 2099, a rectification item due before the campaign, `0年1月1日`."""

import datetime as dt

import pytest
from django.urls import reverse

from campaign.models import Directive, Meeting, Requirement
from core import clock
from rectification.models import RectificationItem, RectificationPlan
from supervision.models import Visit
from tests.office.test_directives import directive_post
from tests.office.test_fan_out import requirement_post

IMPOSSIBLE_DEADLINES = ["0001-01-01", "10000年1月1日前", "99999年1月1日", "0年1月1日", "9999-12-31", "14年1月10日前"]


@pytest.mark.parametrize("signed_on", ["0001-01-01", "9999-12-31", "1948-12-31", "10000-01-01"])
def test_directive_dates_between_1949_and_next_year(world, client, signed_on):
    client.force_login(world.office_province)
    response = client.post(reverse("campaign:directive_create"), directive_post(world, "浙群组发〔2013〕60号", signed_on=signed_on))
    assert response.status_code in (200, 400)
    assert not Directive.objects.filter(number="浙群组发〔2013〕60号").exists()
    assert 'class="invalid-feedback' in response.content.decode()


def test_printed_date_too(world, client):
    client.force_login(world.office_province)
    response = client.post(reverse("campaign:directive_create"),
                           directive_post(world, "浙群组发〔2013〕61号", printed_on=f"{clock.today().year + 2}-01-01"))
    assert "公文日期不能晚于" in response.content.decode()
    assert not Directive.objects.filter(number="浙群组发〔2013〕61号").exists()


@pytest.mark.parametrize("text", IMPOSSIBLE_DEADLINES)
@pytest.mark.parametrize("persona", ["office_province", "office_hangzhou", "liaison_organ", "group_leader", "superuser"])
def test_impossible_deadlines_on_the_form_and_the_preview(world, client, text, persona):
    client.force_login(getattr(world, persona))
    before = Requirement.objects.count()
    response = client.post(reverse("campaign:requirement_create", args=[world.zj_48.pk]),
                           requirement_post(world, deadline=text))
    assert response.status_code in (200, 400, 403, 404)
    assert Requirement.objects.count() == before
    preview = client.get(reverse("campaign:deadline_preview", args=[world.zj_48.pk]), {"deadline": text})
    assert preview.status_code in (200, 403, 404)
    if preview.status_code == 200:
        assert 'data-testid="deadline-error"' in preview.content.decode()


def test_a_deadline_before_the_directive_needs_saying_so(world, client):
    client.force_login(world.office_province)
    url = reverse("campaign:requirement_create", args=[world.zj_48.pk])  # signed 24 December 2013
    response = client.post(url, requirement_post(world, title="提前的期限", deadline="2013年12月20日前"))
    assert response.status_code in (200, 400)
    assert "期限早于公文成文日期" in response.content.decode()
    assert not Requirement.objects.filter(title="提前的期限").exists()
    preview = client.get(reverse("campaign:deadline_preview", args=[world.zj_48.pk]), {"deadline": "2013年12月20日前"})
    assert 'data-testid="deadline-precedes"' in preview.content.decode()
    # An urging notice restating a passed deadline says so explicitly.
    response = client.post(url, requirement_post(world, title="提前的期限", deadline="2013年12月20日前",
                                                 deadline_before_signing="on"))
    assert response.status_code == 302
    assert Requirement.objects.get(title="提前的期限").deadline_before_signing


def test_a_visit_in_the_future_is_refused(world, client):
    client.force_login(world.group_member)
    for day in ("2099-06-10", (clock.today() + dt.timedelta(days=1)).isoformat()):
        response = client.post(reverse("supervision:visit_create", kwargs={"unit_id": world.organ.pk}),
                               {"kind": "stay", "visited_on": day, "findings": "x"})
        assert response.status_code == 400
        assert "不能晚于今天" in response.content.decode()
    assert not Visit.objects.exists()


def test_a_meeting_held_in_the_future_is_refused(world, client):
    meeting = Meeting.objects.create(unit=world.organ, kind=Meeting.Kind.SUMMARY, planned_on=dt.date(2014, 1, 5))
    client.force_login(world.liaison_organ)
    response = client.post(reverse("campaign:meeting_held", kwargs={"meeting_id": meeting.pk}), {"held_on": "2099-01-05"})
    assert response.status_code == 400
    assert "不能晚于今天" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.held_on is None


def test_a_rectification_item_due_before_the_campaign_is_refused(world, client):
    plan = RectificationPlan.objects.create(unit=world.organ, campaign=world.campaign, title="整改方案", responsible_person="王")
    client.force_login(world.liaison_organ)
    for due_on, message in (("2010-06-30", "完成时限不能早于活动开始日期"), ("9999-12-31", "日期不能晚于")):
        response = client.post(reverse("rectification:item_create", kwargs={"plan_id": plan.pk}), {
            "problem": "公款吃喝", "four_winds": "hedonism", "measures": "严格公务接待", "owner": "李四", "due_on": due_on,
        })
        assert response.status_code == 400
        assert message in response.content.decode()
    assert not RectificationItem.objects.exists()


def test_the_admin_checks_the_same_dates(world, client):
    client.force_login(world.superuser)
    directive = world.zj_48
    response = client.post(f"/admin/campaign/directive/{directive.pk}/change/", {
        "campaign": directive.campaign_id, "doc_type": directive.doc_type, "issuing_unit": directive.issuing_unit_id,
        "issuer_name": directive.issuer_name, "title": directive.title, "signed_on": "0001-01-01",
        "requirements-TOTAL_FORMS": "0", "requirements-INITIAL_FORMS": "0",
        "attachments-TOTAL_FORMS": "0", "attachments-INITIAL_FORMS": "0",
    })
    assert response.status_code == 200
    directive.refresh_from_db()
    assert directive.signed_on == dt.date(2013, 12, 24)
