"""The long lists at province scale (issue "province scale"): one unit search (UnitQuerySet.search)
for the unit list, the tree and the API, backed on PostgreSQL by trigram indexes; every long list
paged through core.paging with a capped count; the query count of each page the same at two data
sizes; and whatever `q` and `page` say, a page, never a server error."""

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api import actions as api_actions
from campaign.models import Obligation, ObligationStatus
from campaign.views.requirements import OBLIGATIONS_PER_PAGE
from core import clock, paging
from notifications.models import Notification, Reminder, Sweep
from tests.conftest import make_unit
from units.models import Level, Unit, UnitType

pytestmark = pytest.mark.django_db


def add_organs(world, count, *, submitted=False):
    """`count` more provincial organs, each with an obligation of the world's requirement."""
    units = [make_unit(code=f"330000-8{n:03d}", name=f"省直测试单位{n}", short_name=f"测试{n}", parent=world.province,
                       level=Level.PROVINCE, unit_type=UnitType.ORGAN) for n in range(count)]
    status = {"status": ObligationStatus.SUBMITTED, "submitted_at": clock.now() - dt.timedelta(hours=1)} if submitted else {}
    return Obligation.objects.bulk_create([
        Obligation(requirement=world.requirement, unit=unit, due_at=world.obligation_organ.due_at, **status) for unit in units
    ])


# --- the one unit search -------------------------------------------------------------------------


def test_search_finds_by_part_of_name_short_name_and_code_in_any_case(world):
    Unit.objects.filter(pk=world.organ.pk).update(short_name="发改委", code="ZJ-fgw-01")
    search = Unit.objects.search
    assert set(search("发展改革")) == {world.organ}
    assert set(search("改委")) == {world.organ}  # the short name
    assert set(search("fgw")) == set(search("FGW")) == {world.organ}  # part of the code, any case
    assert set(search("3301")) == {world.hangzhou, world.xihu, world.street}
    assert search("  ").count() == Unit.objects.count()  # blank: no narrowing
    assert not search("a\x00b").exists() and not search("%").exists() and not search("_").exists()


def test_the_list_the_tree_and_the_api_search_alike(world, client):
    client.force_login(world.office_province)
    listed = client.get(reverse("units:list"), {"q": "西湖"}).content.decode()
    tree = client.get(reverse("units:tree"), {"q": "330106"}).content.decode()
    assert "西湖区" in listed and "北仑区" not in listed
    assert "西湖区" in tree and "北山街道" in tree and "北仑区" not in tree
    token = api_actions.create_token(world.office_province, "读取")[1]
    answer = client.get("/api/v1/units", {"q": "西湖"}, HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert [row["code"] for row in answer["items"]] == ["330106"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes exist on PostgreSQL only")
def test_postgresql_answers_the_search_from_the_trigram_indexes(world):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'units_unit' AND indexname LIKE %s", ["%trgm%"])
        assert {row[0] for row in cursor.fetchall()} == {"unit_name_trgm_idx", "unit_short_name_trgm_idx", "unit_code_trgm_idx"}
        # A handful of rows: left to itself the planner reads the table, so the other ways are shut.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        sql, params = Unit.objects.search("发展改革").order_by().query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "unit_name_trgm_idx" in plan


# --- capped paging -------------------------------------------------------------------------------


def test_capped_count_and_pages_reach_the_last_page_and_never_exceed_the_limit(world):
    add_organs(world, 23)
    units = Unit.objects.order_by("path")
    total = units.count()
    assert paging.capped_count(units, cap=1000) == total
    assert paging.capped_count(units, cap=10) == 11  # "more than 10"
    exact = paging.CappedPaginator(units, 5, cap=1000)
    assert exact.count == total and not exact.more
    last = exact.get_page("999")
    assert last.number == exact.num_pages and len(last.object_list) == total - 5 * (exact.num_pages - 1)
    capped = paging.CappedPaginator(units, 5, cap=12)
    assert capped.more and capped.num_pages == 3
    for number in ("1", "2", "3", "999", "x", "-1", ""):
        assert len(capped.get_page(number).object_list) <= 5
    assert capped.get_page("999").number == 3
    known = paging.capped_page(units, "2", per_page=5, known_count=7)
    assert known.paginator.num_pages == 2 and not known.has_next()


def test_the_unit_list_says_more_than_the_cap(world, client, monkeypatch):
    add_organs(world, 12)
    monkeypatch.setattr(paging, "COUNT_CAP", 5)
    client.force_login(world.office_province)
    html = client.get(reverse("units:list"), {"q": "测试", "page": "999"}).content.decode()
    assert "超过 5 个单位" in html and 'data-testid="list-capped"' in html


# --- bounded queries at two sizes ----------------------------------------------------------------


def reminders_for(world, obligations, user):
    sweep = Sweep.objects.create(as_of=clock.now())
    Reminder.objects.bulk_create([
        Reminder(obligation=o, recipient=user, requirement=world.requirement, unit_id=o.unit_id, kind=Reminder.Kind.BEFORE,
                 offset_days=1, due_at=o.due_at, scheduled_for=clock.now() - dt.timedelta(minutes=n), sweep=sweep)
        for n, o in enumerate(obligations)
    ])


def notifications_for(user, count, items):
    Notification.objects.bulk_create([
        Notification(user=user, title=f"提醒{n}", items=[{"text": f"事项{i}", "url": "/"} for i in range(items)])
        for n in range(count)
    ])


@pytest.mark.parametrize("extra", [0, 120])
def test_each_long_page_makes_the_same_queries_at_two_sizes(world, client, django_assert_max_num_queries, extra):
    world.requirement.route = "office"
    world.requirement.save()
    obligations = add_organs(world, extra, submitted=True) + [world.obligation_organ, world.obligation_organ2]
    reminders_for(world, obligations, world.office_province)
    notifications_for(world.office_province, 3 + extra // 2, 3 + extra)
    client.force_login(world.office_province)
    requirement_url = reverse("campaign:requirement", args=[world.requirement.pk])
    log_url = reverse("notifications:requirement_log", args=[world.requirement.pk])
    pages = [
        (reverse("units:list"), {"q": "单位"}, 14),
        (reverse("units:list"), {"q": "单位", "page": "999"}, 14),
        (reverse("units:tree"), {"q": "单位"}, 14),
        (requirement_url, {}, 30),
        (requirement_url, {"page": "999", "q": "测试"}, 30),
        (log_url, {}, 20),
        (log_url, {"page": "999", "status": "queued"}, 20),
        (reverse("notifications:list"), {}, 12),
        (reverse("campaign:review_queue"), {"page": "999"}, 18),
    ]
    for url, query, limit in pages:
        with django_assert_max_num_queries(limit):
            response = client.get(url, query)
        assert response.status_code == 200, (url, query)
    html = client.get(reverse("notifications:list")).content.decode()
    assert html.count("<li><a href=") <= 30 * 5  # at most five items of each notification
    if extra:
        assert f"共 {3 + extra} 项" in html
    rows = client.get(requirement_url).content.decode().count("data-obligation=")
    assert rows == min(OBLIGATIONS_PER_PAGE, Obligation.objects.filter(requirement=world.requirement).count())


# --- any q, any page -----------------------------------------------------------------------------

TEXT = st.one_of(st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30),
                 st.sampled_from(["%", "_", "\\", "'", "last", "0", "-1", "9" * 30, "1e9", "单位"]))


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(q=TEXT, page=TEXT)
def test_any_q_and_page_get_a_page(world, client, q, page):
    client.force_login(world.office_province)
    for url in (reverse("units:list"), reverse("units:tree"), reverse("campaign:requirement", args=[world.requirement.pk]),
                reverse("notifications:requirement_log", args=[world.requirement.pk]), reverse("notifications:list"),
                reverse("campaign:review_queue")):
        response = client.get(url, {"q": q, "page": page})
        assert response.status_code == 200, (url, q, page)
