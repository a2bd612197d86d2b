"""The campaign's clock pinned (core.clock): by CAMPAIGN_CLOCK for a demo or a training system,
running on from its moment, or by a superuser for their own session; announced on every page."""

import datetime as dt
import time
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from core import clock

SHANGHAI = ZoneInfo("Asia/Shanghai")
DEMO_MOMENT = "2014-01-08T10:00+08:00"


def test_the_setting_starts_the_clock_at_its_moment_and_lets_it_run(settings):
    settings.CAMPAIGN_CLOCK = DEMO_MOMENT
    first = clock.now()
    assert dt.datetime(2014, 1, 8, 10, 0, tzinfo=SHANGHAI) <= first < dt.datetime(2014, 1, 8, 10, 1, tzinfo=SHANGHAI)
    assert clock.today() == dt.date(2014, 1, 8)
    time.sleep(0.05)
    assert clock.now() > first  # leases, retries and the day's sweeps keep moving
    with clock.frozen_at(dt.date(2014, 1, 3)):  # a test or a command's --now still wins
        assert clock.today() == dt.date(2014, 1, 3)
    assert clock.pinned()
    settings.CAMPAIGN_CLOCK = ""
    assert clock.now().year >= 2026 and not clock.pinned()


def test_a_setting_that_is_no_moment_stops_with_a_clear_error(settings):
    settings.CAMPAIGN_CLOCK = "next tuesday"
    with pytest.raises(ImproperlyConfigured, match="2014-01-08T10:00"):
        clock.now()


@hypothesis_settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_parse_moment_refuses_or_returns_an_aware_moment(text):
    try:
        moment = clock.parse_moment(text)
    except ValueError:
        return
    assert moment.tzinfo is not None


def test_rules_and_validations_follow_the_pinned_clock(world, settings):
    """A return's new due date must lie ahead of the campaign's clock, not of the wall clock."""
    from campaign import workflow

    settings.CAMPAIGN_CLOCK = DEMO_MOMENT
    obligation = workflow.transition(world.obligation_organ, "submit", world.liaison_organ, text="初步书面总结")
    returned = workflow.transition(obligation, "return", world.group_member, reason="请补充",
                                   new_due_at=dt.datetime(2014, 1, 9, 18, tzinfo=SHANGHAI))
    assert returned.status == "returned" and returned.due_at.year == 2014
    assert clock.local(returned.submissions.get().submitted_at).date() == dt.date(2014, 1, 8)


def test_the_sweep_runs_at_the_pinned_clock(world, settings):
    """Beat's sweep (notifications.tasks) asks the clock: with the demo pinned, it reminds as of 2014."""
    from notifications.models import Reminder
    from notifications.sweep import run_sweep

    settings.CAMPAIGN_CLOCK = "2014-01-03T09:00+08:00"
    result = run_sweep(dispatch=False)
    assert result.created > 0
    assert set(Reminder.objects.values_list("offset_days", flat=True)) == {7}


def test_every_page_carries_the_ribbon_while_pinned(world, client, settings):
    client.force_login(world.liaison_organ)
    assert "data-testid=\"clock-ribbon\"" not in client.get("/").content.decode()
    settings.CAMPAIGN_CLOCK = DEMO_MOMENT
    for url in ("/", "/directives/work/", "/notifications/"):
        page = client.get(url).content.decode()
        assert "演示时间：2014年1月8日 10:0" in page, url


def test_a_superuser_pins_the_clock_of_their_own_session_only(world, client, settings):
    client.force_login(world.superuser)
    page = client.post("/clock/", {"day": "2014-01-08", "time": "10:00", "pin": "1"}, follow=True).content.decode()
    assert "本会话的时间已设为2014年1月8日 10:00" in page
    assert "演示时间：2014年1月8日 10:00" in page
    from django.test import Client

    other = Client()
    other.force_login(world.office_province)
    assert "clock-ribbon" not in other.get("/").content.decode()
    page = client.post("/clock/", {"unpin": "1"}, follow=True).content.decode()
    assert "本会话已恢复使用系统时间" in page and "clock-ribbon" not in page


@pytest.mark.parametrize("data", [
    {"day": "", "time": "10:00"}, {"day": "2014-13-40", "time": "10:00"}, {"day": "1900-01-01", "time": "10:00"},
    {"day": "9999-01-01", "time": "25:00"}, {"day": "2014-01-08", "time": "x"},
])
def test_a_wrong_moment_is_refused_with_a_message(world, client, data):
    client.force_login(world.superuser)
    response = client.post("/clock/", {**data, "pin": "1"})
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    assert "pinned_clock" not in client.session


def test_only_a_superuser_may_pin(world, client):
    client.force_login(world.office_province)
    assert client.get("/clock/").status_code == 403
    assert client.post("/clock/", {"day": "2014-01-08", "time": "10:00", "pin": "1"}).status_code == 403
