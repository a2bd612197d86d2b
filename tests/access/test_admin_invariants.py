"""The admin cannot go around the rules: fields whose change carries a rule are read-only there
(the pages change them through the apps' actions), even for a superuser."""

import datetime as dt

import pytest
from django.contrib import admin
from django.test import RequestFactory

from campaign.models import Meeting, Obligation, Participation, Requirement
from units.models import Unit


@pytest.fixture
def superuser_request(world):
    request = RequestFactory().get("/admin/")
    request.user = world.superuser
    return request


def readonly(model, request, obj):
    return set(admin.site._registry[model].get_readonly_fields(request, obj))


def test_rule_bearing_fields_are_read_only_even_for_superusers(world, superuser_request):
    assert {"deadline_text", "deadline_before_signing", "due_at", "explicit_units", "target_batch", "scope_unit"} <= readonly(
        Requirement, superuser_request, world.requirement)
    assert {"due_event", "due_days", "due_workdays"} <= readonly(Requirement, superuser_request, world.requirement)
    assert {"status", "due_at", "submitted_late"} <= readonly(Obligation, superuser_request, world.obligation_organ)
    participation = Participation.objects.get(unit=world.organ)
    assert {"batch", "min_months_waived_by", "min_months_waived_at", "min_months_waiver_reason"} <= readonly(
        Participation, superuser_request, participation)
    meeting = Meeting.objects.create(planned_on=dt.date(2014, 1, 5), unit=world.organ, kind=Meeting.Kind.DEMOCRATIC_LIFE)
    assert {"status", "held_on"} <= readonly(Meeting, superuser_request, meeting)
    assert {"parent", "is_active", "path"} <= readonly(Unit, superuser_request, world.xihu)


def test_a_meeting_posted_as_held_in_the_admin_stays_planned(world, client):
    meeting = Meeting.objects.create(planned_on=dt.date(2014, 1, 5), unit=world.organ, kind=Meeting.Kind.DEMOCRATIC_LIFE)
    client.force_login(world.superuser)
    client.post(f"/admin/campaign/meeting/{meeting.pk}/change/", {
        "unit": world.organ.pk, "kind": meeting.kind, "held_on": "2014-01-20", "status": "held", "notes": "x",
    })
    meeting.refresh_from_db()
    assert (meeting.status, meeting.held_on) == (Meeting.Status.PLANNED, None)
