"""The review queues as pages show them (campaign.queues): the office's and a supervision group's,
oldest first, each item with how long it has waited and in whose name it is reviewed, filtered by
requirement and by unit with its subtree, paged; a nonsense filter says so and never fails."""

import datetime as dt
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaign.models import Obligation, ObligationStatus
from core import clock
from tests.conftest import make_unit
from units.models import Level, UnitType


def waiting_since(obligation, **ago):
    Obligation.objects.filter(pk=obligation.pk).update(status=ObligationStatus.SUBMITTED,
                                                       submitted_at=clock.now() - dt.timedelta(**ago))


@pytest.fixture
def office_route(world):
    world.requirement.route = "office"
    world.requirement.save()
    waiting_since(world.obligation_organ, hours=5, minutes=10)
    waiting_since(world.obligation_organ2, days=3, hours=2, minutes=1)
    return world


def rows(html):
    return [part.split('"')[0] for part in html.split('data-obligation="')[1:]]


def test_the_office_queue_oldest_first_with_age_owner_and_filters(office_route, client):
    world = office_route
    client.force_login(world.office_province)
    url = reverse("campaign:review_queue")
    html = client.get(url).content.decode()
    assert rows(html) == [str(world.obligation_organ2.pk), str(world.obligation_organ.pk)]
    assert "已等待 3 天 2 小时" in html and "已等待 5 小时" in html
    assert "浙江省领导小组办公室" in html  # workflow.reviewed_for: the office it is submitted to
    assert rows(client.get(url, {"unit": world.organ.pk}).content.decode()) == [str(world.obligation_organ.pk)]
    assert len(rows(client.get(url, {"unit": world.province.pk}).content.decode())) == 2  # the subtree
    assert len(rows(client.get(url, {"requirement": world.requirement.pk}).content.decode())) == 2
    html = client.get(url, {"unit": world.hangzhou.pk, "requirement": "x"}).content.decode()
    assert "待审核材料中没有这个单位" in html and "待审核材料中没有这项报送要求" in html and len(rows(html)) == 2


def test_the_groups_queue_on_its_workspace_names_the_group(world, client):
    waiting_since(world.obligation_organ, days=1, hours=1)
    client.force_login(world.group_member)
    html = client.get(reverse("supervision:workspace")).content.decode()
    assert rows(html) == [str(world.obligation_organ.pk)]
    assert "已等待 1 天 1 小时" in html and "省委第一督导组" in html.split('data-testid="owner"')[1]
    html = client.get(reverse("supervision:workspace"), {"unit": world.organ2.pk}).content.decode()
    assert "待审核材料中没有这个单位" in html


@pytest.mark.parametrize("extra", [0, 60])
def test_the_queue_is_paged_with_bounded_queries(office_route, client, django_assert_max_num_queries, extra):
    world = office_route
    for n in range(extra):
        unit = make_unit(code=f"330000-9{n:02d}", name=f"省直单位{n}", parent=world.province, level=Level.PROVINCE,
                         unit_type=UnitType.ORGAN)
        Obligation.objects.create(requirement=world.requirement, unit=unit, status=ObligationStatus.SUBMITTED,
                                  submitted_at=clock.now() - dt.timedelta(hours=n), due_at=world.obligation_organ.due_at)
    client.force_login(world.office_province)
    with django_assert_max_num_queries(18):
        html = client.get(reverse("campaign:review_queue")).content.decode()
    assert len(rows(html)) == min(extra + 2, 50)
    assert ("下一页" in html) == (extra + 2 > 50)


@settings(max_examples=10, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(query=st.dictionaries(st.sampled_from(["requirement", "unit", "page"]),
                             st.text(st.characters(blacklist_characters="\x00"), max_size=40), max_size=3))
def test_any_filter_value_gets_a_page_never_an_error(office_route, client, query):
    """(A NUL byte is refused for every page before any view: core's middleware, tests/hardening.)"""
    client.force_login(office_route.office_province)
    for name in ("campaign:review_queue", "supervision:workspace"):
        response = client.get(reverse(name), query)
        assert response.status_code == 200
        form = response.context["queue_form"]
        for key in ("requirement", "unit"):
            valid = {str(value) for value, _label in form.fields[key].choices}
            if query.get(key, "") not in valid:  # refused: said on the page
                assert key in form.errors and 'id="queue-filter-errors"' in response.content.decode()


def _choices_counted(client, url, **params):
    """Whether the page looked for the units with waiting material (campaign.queues._choices)."""
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url, params).content.decode()
    return html, any("SUBSTR" in query["sql"].upper() for query in queries.captured_queries)


def test_the_filter_choices_are_kept_until_the_person_acts_or_they_are_old(office_route, client, settings):
    """Finding the units with waiting material reads every waiting report: kept for the person a
    short while (core.personal_cache), found again after their own decision or once old."""
    world = office_route
    settings.PERSONAL_FIGURES_SECONDS = 1
    client.force_login(world.office_province)
    url = reverse("campaign:review_queue")
    assert _choices_counted(client, url)[1]
    html, counted = _choices_counted(client, url, unit=world.organ.pk)
    assert not counted and rows(html) == [str(world.obligation_organ.pk)]
    client.post(reverse("notifications:mark_all_read"))  # anything the person does
    assert _choices_counted(client, url)[1] and not _choices_counted(client, url)[1]
    time.sleep(1.1)
    assert _choices_counted(client, url)[1]
