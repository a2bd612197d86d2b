"""Province scale for supervision: a group assigned unit by unit to a whole city and a group assigned
to a city with its subtree (demo's generate_province). The group list, a group's page, the group's
home page, its workspace and the rectification overview cost the same number of queries whatever
the number of units, and show one page of a long list, not all of it."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse


@pytest.fixture
def province(db, request):
    call_command("generate_province", "--units", str(request.param), "--requirements", "2", "--seed", "1",
                 "--today", "2014-01-05", stdout=io.StringIO())
    from supervision.models import SupervisionGroup

    return SupervisionGroup.objects.get(name="测试省逐个单位督导组"), SupervisionGroup.objects.get(name="测试省含下级督导组")


def login(client, username):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username=username))
    return client


SIZES = [1000, 2000]


@pytest.mark.parametrize("province", SIZES, indirect=True)
def test_group_list_and_group_page(province, client, django_assert_max_num_queries):
    from campaign.models import Obligation, ObligationStatus
    from units.models import Unit

    by_unit, subtree = province
    login(client, "gen_province_office")
    with django_assert_max_num_queries(11):
        page = client.get(reverse("supervision:groups"))
    rows = {group.pk: load for group, load in page.context["rows"]}
    city = subtree.assignments.get().unit
    assert rows[subtree.pk]["units"] == Unit.objects.subtree(city).filter(is_active=True).count()
    assert rows[subtree.pk]["waiting"] == Obligation.objects.filter(
        unit__path__startswith=city.path, status=ObligationStatus.SUBMITTED).count()
    assert rows[by_unit.pk]["units"] == by_unit.assignments.count() > 400
    assert rows[by_unit.pk]["waiting"] == Obligation.objects.filter(
        unit__group_assignments__group=by_unit, status=ObligationStatus.SUBMITTED).count()

    with django_assert_max_num_queries(19):
        page = client.get(reverse("supervision:group", args=[by_unit.pk]))
    html = page.content.decode()
    table = html.split('data-testid="assignments"')[1].split("</table>")[0]
    assert table.count("data-unit=") == 50 and "page=2" in html
    assert f"{by_unit.assignments.count()}" in html  # the total, not the page's rows
    # The group's trail: its latest entries, then the whole of it one page at a time.
    from audit.services import record_changes

    record_changes([by_unit] * 60, "update", actor=None, changes={"name": {"before": "旧名", "after": by_unit.name}})
    html = client.get(reverse("supervision:group", args=[by_unit.pk])).content.decode()
    assert 'data-more="timeline"' in html and "timeline_page=2" not in html
    html = client.get(reverse("supervision:group", args=[by_unit.pk]), {"timeline": "all"}).content.decode()
    assert "timeline=all&timeline_page=2" in html
    for query in ({"timeline": "all", "timeline_page": "2"}, {"page": "999"}, {"page": "x"}):
        assert client.get(reverse("supervision:group", args=[by_unit.pk]), query).status_code == 200
    with django_assert_max_num_queries(19):
        page = client.get(reverse("supervision:group", args=[subtree.pk]))
    row = page.content.decode().split('data-testid="assignments"')[1].split("</table>")[0]
    assert f"<td>{rows[subtree.pk]['units']}</td>" in row


@pytest.mark.parametrize("province", SIZES, indirect=True)
def test_group_home_workspace_and_rectification_overview(province, client, django_assert_max_num_queries):
    by_unit, _subtree = province
    login(client, "gen_units_leader")
    with django_assert_max_num_queries(14):
        home = client.get("/").content.decode()
    section = home.split('id="supervision-section"')[1]
    assert section.count("data-unit=") == 10 and 'data-more="assignments"' in section
    with django_assert_max_num_queries(16):
        page = client.get(reverse("supervision:workspace")).content.decode()
    table = page.split('id="assigned-units"')[1].split("</table>")[0]
    assert table.count("<tr data-light=") == 50 and "units_page=2" in page
    last = by_unit.assignments.count() // 50 + 1
    page = client.get(reverse("supervision:workspace"), {"units_page": last}).content.decode()
    assert 0 < page.split('id="assigned-units"')[1].split("</table>")[0].count("<tr data-light=") <= 50
    with django_assert_max_num_queries(11):
        assert client.get(reverse("rectification:overview")).status_code == 200


@pytest.mark.parametrize("province", [1000], indirect=True)
def test_a_subtree_is_one_definition(province):
    """The range the correlated load uses selects exactly the prefix's units."""
    from django.db.models import Subquery

    from units.models import Unit, in_subtree

    _by_unit, subtree = province
    city = subtree.assignments.get().unit
    by_prefix = set(Unit.objects.filter(path__startswith=city.path).values_list("pk", flat=True))
    by_range = set(
        Unit.objects.filter(in_subtree(Subquery(Unit.objects.filter(pk=city.pk).values("path")))).values_list("pk", flat=True)
    )
    assert by_prefix == by_range == set(Unit.objects.subtree(city).values_list("pk", flat=True))
