"""Dashboard numbers equal direct counts; bounded queries at two data sizes; export; directive pages."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from campaign import dashboard
from campaign.actions import fan_out
from campaign.models import Obligation, Requirement
from campaign.tasks import refresh_dashboards
from tests.conftest import make_unit
from tests.exports import export
from units.models import Level, Unit, UnitType


def grow(world, villages_per_county):
    """Add townships and villages under both counties, then a requirement binding them all."""
    units = []
    for county in (world.xihu, world.beilun):
        town = make_unit(code=f"{county.code}9", name=f"{county.name}某镇", parent=county, level=Level.TOWNSHIP,
                                   unit_type=UnitType.TOWNSHIP, batch=world.batch2)
        for i in range(villages_per_county):
            units.append(make_unit(code=f"{county.code}9{i:03d}", name=f"村{i}", parent=town, level=Level.VILLAGE,
                                             unit_type=UnitType.VILLAGE, batch=world.batch2))
    requirement = Requirement(directive=world.zj_48, title="第二批实施方案", scope_unit=world.province, submit_to=world.province,
                              target_batch=world.batch2, deadline_text="2014-02-20", due_at=timezone.now() + dt.timedelta(days=2))
    requirement.save()
    fan_out(requirement, actor=None)
    now = timezone.now()
    obligations = list(requirement.obligations.order_by("pk"))
    for index, obligation in enumerate(obligations):
        if index % 4 == 1:
            obligation.status, obligation.first_submitted_at = "submitted", now - dt.timedelta(days=1)
        elif index % 4 == 2:
            obligation.status, obligation.first_submitted_at = "accepted", now - dt.timedelta(days=1)
        elif index % 4 == 3:
            obligation.status, obligation.first_submitted_at = "returned", now
    Obligation.objects.bulk_update(obligations, ["status", "first_submitted_at"])
    return requirement


def direct_counts(unit):
    now = timezone.now()
    under = Obligation.objects.filter(unit__path__startswith=unit.path)
    return {
        "total": under.count(),
        "pending": under.filter(status="pending").count(),
        "submitted": under.filter(status="submitted").count(),
        "returned": under.filter(status="returned").count(),
        "accepted": under.filter(status="accepted").count(),
        "overdue": under.filter(status__in=["pending", "returned"], due_at__lt=now).count(),
    }


@pytest.mark.parametrize("size", [3, 30])
def test_numbers_equal_direct_counts(office, world, size):
    grow(world, size)
    for unit in (world.province, world.hangzhou, world.xihu):
        response = office.get(reverse("campaign:dashboard"), {"unit": unit.pk})
        progress = response.context["progress"]
        expected = direct_counts(unit)
        assert {k: getattr(progress.total, k) for k in expected} == expected
        for child in progress.children:
            own = Obligation.objects.filter(unit=child.unit) if child.is_self else Obligation.objects.filter(
                unit__path__startswith=child.unit.path)
            assert child.counts.total == own.count()
        assert sum(c.total for _r, c in progress.by_requirement) == expected["total"]
        assert sum(c.total for _p, c in progress.by_phase) == expected["total"]


def test_traffic_lights(office, world):
    grow(world, 2)  # batch-2 requirement due in two days: yellow where open
    response = office.get(reverse("campaign:dashboard"))
    lights = {child.unit.code: child.counts.light for child in response.context["progress"].children}
    # The province's own and its organs' summaries are overdue (due 2014-01-10): red.
    assert lights["330000"] == "overdue"
    assert lights["330100"] == "due_soon"
    # A bulk update marks what it changed (campaign.dashboard.mark_changed); the worker counts again.
    Obligation.objects.filter(unit__path__startswith=world.ningbo.path).update(status="accepted", updated_at=timezone.now())
    dashboard.mark_changed(world.ningbo.path, subtree=True)
    refresh_dashboards([[world.province.path, str(response.context["campaign"].pk)]])
    response = office.get(reverse("campaign:dashboard"))
    lights = {child.unit.code: child.counts.light for child in response.context["progress"].children}
    assert lights["330200"] == "on_track"


def test_drill_down_is_scoped(client, world):
    client.force_login(world.office_hangzhou)
    assert client.get(reverse("campaign:dashboard"), {"unit": world.xihu.pk}).status_code == 200
    assert client.get(reverse("campaign:dashboard"), {"unit": world.ningbo.pk}).status_code == 404
    assert client.get(reverse("campaign:dashboard"), {"unit": "abc"}).status_code == 404
    response = client.get(reverse("campaign:dashboard"))
    assert response.context["unit"] == world.hangzhou
    client.force_login(world.liaison_xihu)
    assert client.get(reverse("campaign:dashboard"), {"unit": world.xihu.pk}).status_code == 403


@pytest.mark.parametrize("size", [3, 40])
def test_query_counts_are_bounded(office, world, size, django_assert_max_num_queries):
    grow(world, size)
    # Cold: the figures are computed (one grouped query + one requirement lookup); and, each time,
    # the phase panel's one query (campaign.phases.phase_counts).
    with django_assert_max_num_queries(12):
        assert office.get(reverse("campaign:dashboard")).status_code == 200
    # Warm: the kept figures (one cache read with their version), no aggregation.
    with django_assert_max_num_queries(9):
        assert office.get(reverse("campaign:dashboard")).status_code == 200
    with django_assert_max_num_queries(12):
        assert office.get(reverse("campaign:dashboard"), {"unit": world.hangzhou.pk}).status_code == 200
    for url in [reverse("campaign:directives"), reverse("campaign:directive", args=[world.zj_48.pk]),
                reverse("campaign:requirement", args=[world.requirement.pk]), reverse("units:list"),
                reverse("units:tree") + "?q=村", reverse("units:detail", args=[world.xihu.pk]),
                reverse("supervision:groups"), reverse("supervision:group", args=[world.group.pk])]:
        # The shell (session, user, scope, nav, notifications) and can() checks take about half; the
        # requirement page's rows carry their liaisons, chase counts and who may chase them.
        with django_assert_max_num_queries(22):
            assert office.get(url).status_code == 200, url


def test_export_matches_the_view(office, world):
    grow(world, 5)
    response = export(office, reverse("campaign:dashboard_export"), {"unit": world.hangzhou.pk})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    assert len(rows) - 1 == Obligation.objects.filter(unit__path__startswith=world.hangzhou.path).count()
    assert {row[0] for row in rows[1:]} <= set(Unit.objects.subtree(world.hangzhou).values_list("code", flat=True))


def test_cached_tables_follow_unit_names(office, world):
    assert "杭州市" in office.get(reverse("campaign:dashboard")).content.decode()
    Unit.objects.filter(pk=world.hangzhou.pk).update(name="杭州市（新）")
    assert "杭州市（新）" in office.get(reverse("campaign:dashboard")).content.decode()


def test_warm_dashboard_runs_no_aggregation(office, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    grow(world, 3)
    office.get(reverse("campaign:dashboard"))
    with CaptureQueriesContext(connection) as ctx:
        assert office.get(reverse("campaign:dashboard")).status_code == 200
    assert not [q for q in ctx.captured_queries if "campaign_obligation" in q["sql"] and "GROUP BY" in q["sql"]]
