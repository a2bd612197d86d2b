"""The dashboard's figures kept per subtree (campaign.dashboard_cache, issue "province scale"): a
write in one city leaves another city's figures alone; after a change a worker counts again and the
page says when it counted (统计截至); concurrent misses count once; with the cache down the page
still answers."""

import datetime as dt
import threading

import pytest
from django.core.cache import cache
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import core.cache
from campaign import dashboard, dashboard_cache, workflow
from campaign.models import Obligation
from campaign.tasks import refresh_dashboards
from core import clock
from tests.office.test_dashboard import grow
from tests.office.test_status_agreement import pdf

DASHBOARD = reverse("campaign:dashboard")


def aggregations(queries):
    return [q for q in queries if "campaign_obligation" in q["sql"] and "GROUP BY" in q["sql"]]


def total_of(client, unit):
    response = client.get(DASHBOARD, {"unit": unit.pk})
    assert response.status_code == 200
    return response, response.context["progress"].total


def campaign_key(world):
    return str(world.campaign.pk)


def test_a_write_in_one_city_leaves_the_other_city_alone(office, world):
    requirement = grow(world, 2)
    obligation = Obligation.objects.get(requirement=requirement, unit=world.xihu)
    obligation.status = "pending"
    obligation.save(update_fields=["status"])
    for unit in (world.province, world.hangzhou, world.ningbo):
        total_of(office, unit)  # counted once, kept
    submitted_before = total_of(office, world.hangzhou)[1].submitted
    workflow.transition(obligation, "submit", world.liaison_xihu, files=[pdf()])  # in 杭州市: the receiver marks it

    # 宁波市: served as kept, nothing counted, nothing queued.
    with CaptureQueriesContext(connection) as ctx:
        total_of(office, world.ningbo)
    assert not aggregations(ctx.captured_queries)
    assert cache.get(dashboard_cache._queued_key(world.ningbo.path, campaign_key(world))) is None

    # 杭州市 and the province above it: the last figures still served (no counting in the request),
    # their refresh queued for the worker.
    for unit in (world.hangzhou, world.province):
        with CaptureQueriesContext(connection) as ctx:
            total_of(office, unit)
        assert not aggregations(ctx.captured_queries)
        assert cache.get(dashboard_cache._queued_key(unit.path, campaign_key(world))) == 1
    assert total_of(office, world.hangzhou)[1].submitted == submitted_before

    # The worker's task counts again; the page shows the new figures and when they were counted.
    assert refresh_dashboards([[world.hangzhou.path, campaign_key(world)], [world.province.path, campaign_key(world)]]) == 2
    response, total = total_of(office, world.hangzhou)
    assert total.submitted == submitted_before + 1
    assert "统计截至" in response.content.decode()
    assert response.context["progress"].as_of is not None


def test_the_change_queues_the_refresh_of_the_watched_ancestors_at_commit(office, world, monkeypatch,
                                                                       django_capture_on_commit_callbacks):
    grow(world, 2)
    for unit in (world.province, world.hangzhou, world.ningbo):
        total_of(office, unit)
    queued = []
    monkeypatch.setattr(dashboard_cache, "request_refresh", lambda entries: queued.extend(tuple(e) for e in entries))
    with django_capture_on_commit_callbacks(execute=True):
        dashboard.mark_changed(world.street.path, [world.requirement.pk])
    assert sorted(queued) == sorted([(world.province.path, campaign_key(world)), (world.hangzhou.path, campaign_key(world))])


def test_a_requirement_edit_marks_every_subtree(office, world):
    grow(world, 2)
    total_of(office, world.ningbo)
    world.requirement.title = "初步书面总结（修订）"
    world.requirement.save()
    with CaptureQueriesContext(connection) as ctx:
        total_of(office, world.ningbo)
    assert not aggregations(ctx.captured_queries)
    assert cache.get(dashboard_cache._queued_key(world.ningbo.path, campaign_key(world))) == 1


def test_old_figures_are_refreshed_in_the_background(office, world, settings):
    grow(world, 2)
    total_of(office, world.hangzhou)
    settings.DASHBOARD_REFRESH_SECONDS = 0  # every kept result is old at once
    with CaptureQueriesContext(connection) as ctx:
        total_of(office, world.hangzhou)
    assert not aggregations(ctx.captured_queries)
    assert cache.get(dashboard_cache._queued_key(world.hangzhou.path, campaign_key(world))) == 1


def test_figures_no_worker_refreshed_are_counted_by_the_page(office, world):
    grow(world, 2)
    total_of(office, world.hangzhou)
    later = clock.now() + dt.timedelta(seconds=dashboard_cache.WORKER_LATE_SECONDS + 1)
    with clock.frozen_at(later), CaptureQueriesContext(connection) as ctx:
        response, _total = total_of(office, world.hangzhou)
    assert len(aggregations(ctx.captured_queries)) == 1
    assert response.context["progress"].as_of == later


def test_a_held_claim_makes_the_page_wait_for_its_result_not_count(office, world, monkeypatch):
    grow(world, 2)
    key = campaign_key(world)
    cache.add(dashboard_cache._claim_key(world.hangzhou.path, key), "another worker", 60)
    waited = []

    def sleep(seconds):
        if not waited:  # the other worker finishes during the page's first wait
            dashboard_cache._compute_and_keep(world.hangzhou.path, world.campaign, key)
        waited.append(seconds)

    monkeypatch.setattr(dashboard_cache.time, "sleep", sleep)
    with CaptureQueriesContext(connection) as ctx:
        office.get(DASHBOARD, {"unit": world.hangzhou.pk})
    assert len(waited) == 1
    assert len(aggregations(ctx.captured_queries)) == 1  # the claimant's, not a second one


def test_two_concurrent_misses_count_once(transactional_db, world, monkeypatch):
    grow(world, 2)
    cache.clear()
    counted = []
    real = dashboard.compute_subtree_figures
    barrier = threading.Barrier(2)

    def slow_count(path, campaign, now):
        counted.append(path)
        threading.Event().wait(0.5)  # long enough for the other request to miss too
        return real(path, campaign, now)

    monkeypatch.setattr(dashboard, "compute_subtree_figures", slow_count)
    results = []

    def page():
        try:
            barrier.wait()
            results.append(dashboard.subtree_figures(world.hangzhou, world.campaign).total.total)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=page) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert counted == [world.hangzhou.path]
    assert len(results) == 2 and results[0] == results[1] > 0


def test_the_page_answers_with_the_cache_down(office, world, settings, monkeypatch):
    grow(world, 2)
    monkeypatch.setattr(core.cache, "_paused_until", {})
    settings.CACHES = {"default": {  # nothing listens on this helper's own port
        "BACKEND": "core.cache.BestEffortRedisCache", "LOCATION": "redis://127.0.0.1:8104/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }}
    response = office.get(DASHBOARD, {"unit": world.hangzhou.pk})
    assert response.status_code == 200
    assert response.context["progress"].total.total == Obligation.objects.filter(
        unit__path__startswith=world.hangzhou.path, requirement__directive__campaign=world.campaign).count()
    dashboard.mark_changed(world.xihu.path)  # a write with the cache down: nothing to mark, no failure
    assert office.get(DASHBOARD).status_code == 200


@pytest.mark.parametrize("size", [3, 40])
def test_kept_and_refreshed_reads_are_bounded(office, world, size, django_assert_max_num_queries):
    grow(world, size)
    office.get(DASHBOARD)
    with django_assert_max_num_queries(9):
        assert office.get(DASHBOARD).status_code == 200
    dashboard.mark_changed(world.street.path)
    with django_assert_max_num_queries(9):  # out of date: still the kept figures, the refresh queued
        assert office.get(DASHBOARD).status_code == 200
    with django_assert_max_num_queries(3):  # the worker's count: the grouped query, the requirements, the campaign
        assert refresh_dashboards([[world.province.path, campaign_key(world)]]) == 1
