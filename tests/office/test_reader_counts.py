"""The counts per requirement on the directive and requirement pages (campaign.dashboard.
reader_counts_by_requirement): exactly what the reader sees (campaign.rules, OBLIGATION "view"),
read from the dashboard's kept figures when the reader's offices' subtrees are all they see."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaign import dashboard
from campaign.models import Obligation
from tests.conftest import make_unit, make_user
from units.models import Level, UnitMembership, UnitType


def seen_counts(user, requirement_ids):
    """The same counts, counted the plain way over the reader's restrict()."""
    rows = Obligation.objects.restrict(user).filter(requirement_id__in=requirement_ids).values("requirement_id")
    found = {}
    for row in rows:
        found[row["requirement_id"]] = found.get(row["requirement_id"], 0) + 1
    return found


@pytest.fixture
def body(world):
    """004: 省直机关工委, whose office reviews the organ's part; the organ is not in its subtree."""
    unit = make_unit(code="330000-JG", name="中共浙江省直属机关工作委员会", parent=world.province, level=Level.PROVINCE,
                     unit_type=UnitType.WORK_COMMITTEE)
    world.organ.party_affiliation = unit
    world.organ.save()
    staff = make_user("szjg_office")
    UnitMembership.objects.create(user=staff, unit=unit, role=UnitMembership.Role.OFFICE)
    return staff


def test_whose_counts_are_the_kept_figures(world, body):
    assert dashboard.reader_subtrees(world.office_province) == [world.province.path]
    assert dashboard.reader_subtrees(world.superuser) == [world.central.path]
    # A liaison or a supervision group sees units, not an office's subtree.
    assert dashboard.reader_subtrees(world.liaison_organ) is None
    assert dashboard.reader_subtrees(world.group_member) is None
    # The body's office sees the organ through its Party affiliation, outside its own subtree.
    assert dashboard.reader_subtrees(body) is None
    # An office whose person is also a liaison elsewhere.
    UnitMembership.objects.create(user=world.office_hangzhou, unit=world.organ, role=UnitMembership.Role.LIAISON)
    assert dashboard.reader_subtrees(world.office_hangzhou) is None


@pytest.mark.parametrize("persona", ["superuser", "office_province", "office_hangzhou", "liaison_organ", "group_member",
                                     "body"])
def test_directive_page_counts_what_the_reader_sees(world, body, client, persona):
    user = body if persona == "body" else getattr(world, persona)
    client.force_login(user)
    response = client.get(reverse("campaign:directive", args=[world.requirement.directive_id]))
    assert response.status_code == 200
    shown = {requirement.pk: counts.total for requirement, counts in response.context["requirements"] if counts.total}
    assert shown == seen_counts(user, [world.requirement.pk])
    page = client.get(reverse("campaign:requirement", args=[world.requirement.pk]))
    assert page.context["counts"].total == shown.get(world.requirement.pk, 0)


def test_an_office_reads_the_kept_figures(world, client):
    """After the first look, the office's directive page counts no obligation: the figures are kept
    per subtree and recounted off the request after a change (campaign.dashboard_cache)."""
    client.force_login(world.office_province)
    url = reverse("campaign:directive", args=[world.requirement.directive_id])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert not [q for q in queries.captured_queries if 'FROM "campaign_obligation"' in q["sql"]]
    (requirement, counts), = response.context["requirements"]
    assert counts.total == seen_counts(world.office_province, [requirement.pk])[requirement.pk] > 0
