"""The web survives real outages: Redis down (nothing listening) or hung (a socket that accepts and
never answers), and PostgreSQL's connections cut. Nothing is mocked: the cache and the broker are
pointed at real dead or silent sockets, the database's sessions are really terminated.

Redis down: every page of every persona's navigation answers as usual, computing what it would
have read from the cache (core.cache), and a page that queues work answers too; the work waits in
the database until beat queues it again (units.tasks.resume_unit_imports) and a worker does it.
Redis hung: a page waits about one short timeout, not one per cache call. PostgreSQL: after
pg_terminate_backend, the next page answers (CONN_HEALTH_CHECKS).
"""

import contextlib
import datetime as dt
import json
import logging
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest
import tablib
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer
from django.core.wsgi import get_wsgi_application
from django.db import connection, connections
from django.urls import reverse

import core.cache
from core import clock
from tests import celery_worker
from tests.celery_worker import REDIS_URL, ROOT, broker_at, kill_worker, start_worker, wait_until
from tests.hardening.test_no_dead_buttons import PERSONAS, crawl
from units import tasks
from units.models import UnitImport
from units.resources import HEADERS

pytestmark = pytest.mark.faults
redis_broker = celery_worker.redis_broker  # the shared fixture (the Redis test broker), offered to these tests

# Ports this file may listen on (a dead port is one of them nobody listens on).
PORTS = range(8750, 8759)
# The explicit pages of the issue: the home page and the dashboard read the cache first.
CACHED_PAGES = ["/", "/directives/dashboard/"]
# The CSRF token, masked afresh in every page: the only part of two renderings that differs.
CSRF_TOKEN = re.compile(r'(name="csrf-token" content=|name="csrfmiddlewaretoken" value=)"[^"]*"')


def free_port():
    """A port of PORTS on which nothing listens (bound and released at once)."""
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise AssertionError(f"no free port in {PORTS}")


@contextlib.contextmanager
def silent_server():
    """A socket that takes connections (the kernel's backlog) and never reads nor answers: a hung Redis."""
    for port in PORTS:
        try:
            server = socket.create_server(("127.0.0.1", port), backlog=128)
        except OSError:
            continue
        with server:
            yield port
        return
    raise AssertionError(f"no free port in {PORTS}")


@pytest.fixture
def redis_at(settings, monkeypatch):
    """Point the cache and this process's Celery broker at redis://127.0.0.1:<port>/0 as the settings
    would with REDIS_URL (core.cache.BestEffortRedisCache, the same short timeouts), for the block."""
    monkeypatch.setattr(core.cache, "_paused_until", {})  # no pause left over from an earlier test

    @contextlib.contextmanager
    def point_at(port):
        url = f"redis://127.0.0.1:{port}/0"
        settings.CACHES = {"default": {
            "BACKEND": "core.cache.BestEffortRedisCache", "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": settings.REDIS_CACHE_TIMEOUT, "socket_timeout": settings.REDIS_CACHE_TIMEOUT},
        }}
        timeouts = {"socket_connect_timeout": settings.REDIS_BROKER_TIMEOUT, "socket_timeout": settings.REDIS_BROKER_TIMEOUT}
        with broker_at(url, {"visibility_timeout": 3600, **timeouts}):
            yield url

    return point_at


def strip_tokens(html):
    return CSRF_TOKEN.sub(r"\1", html)


def warnings_from(caplog, logger):
    return [record for record in caplog.records if record.name == logger and record.levelno == logging.WARNING]


class RecordingClient:
    """The test client, noting the status of every page it asks for (crawl() keeps only the pages).
    Each page meets Redis itself: no pause (core.cache.PAUSE_SECONDS) is left from the page before."""

    def __init__(self, client):
        self.client = client
        self.statuses = {}

    def get(self, url, *args, **kwargs):
        core.cache._paused_until.clear()
        response = self.client.get(url, *args, **kwargs)
        self.statuses[url] = response.status_code
        return response


def test_with_redis_set_the_cache_forgives_and_every_wait_on_redis_is_short():
    """The settings a deployment gets from REDIS_URL (read in a fresh process): the best-effort cache,
    and short connect and read timeouts for the cache and the broker (visibility_timeout kept)."""
    code = ("import json; from django.conf import settings as s; "
            "print(json.dumps([s.CACHES['default'], s.CELERY_BROKER_TRANSPORT_OPTIONS]))")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "REDIS_URL": "redis://127.0.0.1:6379/0", "DEBUG": "1"}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout
    cache, broker = json.loads(out)
    assert cache["BACKEND"] == "core.cache.BestEffortRedisCache"
    assert 0 < cache["OPTIONS"]["socket_connect_timeout"] <= 1 and 0 < cache["OPTIONS"]["socket_timeout"] <= 1
    assert 0 < broker["socket_connect_timeout"] <= 5 and 0 < broker["socket_timeout"] <= 5
    assert "visibility_timeout" in broker


def test_every_cache_operation_is_a_miss_or_a_no_op_with_redis_down(redis_at, caplog, monkeypatch):
    calls = [
        (lambda: cache.get("k"), None), (lambda: cache.get("k", 7), 7), (lambda: cache.get_many(["k", "l"]), {}),
        (lambda: cache.has_key("k"), False), (lambda: cache.set("k", 1), None), (lambda: cache.add("k", 1), False),
        (lambda: cache.set_many({"k": 1, "l": 2}), ["k", "l"]), (lambda: cache.touch("k"), False),
        (lambda: cache.incr("k"), False), (lambda: cache.decr("k"), False), (lambda: cache.delete("k"), False),
        (lambda: cache.delete_many(["k", "l"]), None), (lambda: cache.get_or_set("k", 3), 3), (lambda: cache.clear(), False),
    ]
    with redis_at(free_port()):
        for call, fallback in calls:
            monkeypatch.setattr(core.cache, "_paused_until", {})  # each operation meets Redis down itself
            caplog.clear()
            assert call() == fallback
            assert len(warnings_from(caplog, "core.cache")) == 1
        # After a failure Redis is left alone for a while: no second wait, no second warning.
        monkeypatch.setattr(core.cache, "_paused_until", {})
        caplog.clear()
        assert cache.get("k") is None and cache.get("k") is None and cache.set("k", 1) is None
        assert len(warnings_from(caplog, "core.cache")) == 1


def test_the_best_effort_cache_is_a_cache_while_redis_is_up(settings):
    settings.CACHES = {"default": {"BACKEND": "core.cache.BestEffortRedisCache", "LOCATION": REDIS_URL}}
    keys = ["faults:k", "faults:n"]
    try:
        cache.set("faults:k", {"figures": [1, 2]}, 30)
        assert cache.get("faults:k") == {"figures": [1, 2]}
        assert cache.add("faults:n", 1, 30) is True and cache.incr("faults:n") == 2
        assert cache.get_many(keys) == {"faults:k": {"figures": [1, 2]}, "faults:n": 2}
    finally:
        cache.delete_many(keys)
    assert cache.get("faults:k") is None


def test_the_database_connection_is_checked_before_reuse():
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
    assert connection.settings_dict["CONN_MAX_AGE"] > 0


def answers(client):
    """{url: status} of the home page, the dashboard and every page crawl() reaches from the entry
    pages of the navigation (and the buttons on them)."""
    recorder = RecordingClient(client)
    for url in CACHED_PAGES:
        recorder.get(url)
    seen, refused = crawl(recorder)
    assert len(seen) > 3 and not refused
    return recorder.statuses


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_answers_with_redis_down(world, client, redis_at, caplog, persona):
    """Each page answers with Redis down exactly as with a working cache: the page (200), its usual
    redirect, or the persona's usual refusal of an area that is not theirs (an entry page opened by
    its address); never a server error."""
    client.force_login(getattr(world, persona))
    usual = answers(client)  # the test settings' local-memory cache
    assert usual["/"] == 200 and all(status < 500 for status in usual.values())
    with redis_at(free_port()):
        assert answers(client) == usual
    if persona.startswith("office_"):  # the offices' home page and dashboard read the cache; other personas' pages do not
        assert usual["/directives/dashboard/"] == 200
        assert warnings_from(caplog, "core.cache"), "a failed cache call is logged"


def test_the_cached_pages_show_their_figures_with_redis_down(world, client, redis_at, caplog):
    """Not an empty shell: the office's home page and dashboard show what they show with a cache."""
    client.force_login(world.office_province)
    # One moment for both: the dashboard says when its figures were counted (统计截至 HH:MM).
    with clock.frozen_at(clock.now()):
        usual = {url: client.get(url).content.decode() for url in CACHED_PAGES}
        with redis_at(free_port()):
            down = {url: client.get(url).content.decode() for url in CACHED_PAGES}
    assert warnings_from(caplog, "core.cache")
    for url in CACHED_PAGES:
        assert strip_tokens(down[url]) == strip_tokens(usual[url]), url
    assert world.organ.name in down["/directives/dashboard/"]


def units_file(rows=3):
    dataset = tablib.Dataset(headers=list(HEADERS.values()))
    for n in range(rows):
        dataset.append([f"33010600{n + 3}", f"街道{n}", "", "330106", "乡镇、街道", "街道", "否", "否", "是"])
    return SimpleUploadedFile("units.csv", dataset.export("csv").encode("utf-8-sig"))


def status_of(job):
    return UnitImport.objects.get(pk=job.pk).status


@pytest.mark.celery
def test_a_large_import_waits_out_the_broker_and_is_done_once_a_worker_can_take_it(
        transactional_db, redis_broker, world, client, settings, redis_at, caplog, tmp_path):
    """Upload and confirm with the broker down: each page answers and says the work will start by
    itself; beat's resume_unit_imports (run here as beat would, later) queues the step again once
    the broker (the Redis test broker, outside the `redis_at` blocks) is back, and a real worker
    does it."""
    settings.UNIT_IMPORT_ASYNC_ROWS = 1
    client.force_login(world.office_province)
    beat_runs = []

    def run_beat_later():
        """The resume task as beat runs it, one beat period after its previous run."""
        beat_runs.append(clock.now() + (len(beat_runs) + 1) * dt.timedelta(seconds=settings.UNIT_IMPORT_RESUME_SECONDS + 1))
        with clock.frozen_at(beat_runs[-1]):
            return tasks.resume_unit_imports()

    def by_the_worker(job, status):
        assert run_beat_later() == 1
        wait_until(lambda: status_of(job) == status, timeout=60, message=f"the worker to reach {status}")

    worker = start_worker(tmp_path / "worker.log", "faults", concurrency=1, MEDIA_ROOT=settings.MEDIA_ROOT)
    try:
        with redis_at(free_port()):
            response = client.post(reverse("units:import"), {"file": units_file()}, follow=True)
            assert response.status_code == 200
            job = UnitImport.objects.get()
            assert job.status == "checking" and "系统会在几分钟内自动重试" in response.content.decode()
            assert warnings_from(caplog, "core.queueing")
            assert run_beat_later() == 0  # beat tries again while the broker is still down: nothing lost
            assert status_of(job) == "checking"
        by_the_worker(job, "checked")

        caplog.clear()
        with redis_at(free_port()):
            response = client.post(reverse("units:import_confirm", kwargs={"import_id": job.pk}), follow=True)
            assert response.status_code == 200 and status_of(job) == "importing"
            assert "系统会在几分钟内自动重试" in response.content.decode()
            assert warnings_from(caplog, "core.queueing")
        by_the_worker(job, "done")
    finally:
        kill_worker(worker)
    assert world.xihu.children.filter(code__in=["330106003", "330106004", "330106005"]).count() == 3


def timed_get(client, url):
    started = time.monotonic()
    response = client.get(url)
    return response, time.monotonic() - started


# "A few seconds": a hung Redis costs a page one cache timeout (then the cache is left alone for a
# while), and a page that queues work about two broker timeouts.
HUNG_PAGE_SECONDS = 3.0


def test_a_hung_redis_does_not_hold_a_page(world, client, redis_at, settings, caplog, monkeypatch,
                                          django_capture_on_commit_callbacks):
    client.force_login(world.office_province)
    with silent_server() as port, redis_at(port):
        for url in CACHED_PAGES:
            monkeypatch.setattr(core.cache, "_paused_until", {})  # each page meets the hung Redis afresh
            response, seconds = timed_get(client, url)
            print(f"{url} with Redis hung: {response.status_code} in {seconds:.2f}s")
            assert response.status_code == 200 and seconds < HUNG_PAGE_SECONDS, (url, seconds)
        assert warnings_from(caplog, "core.cache")

        settings.UNIT_IMPORT_ASYNC_ROWS = 1
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):  # the request's commit, in this test's transaction
            response = client.post(reverse("units:import"), {"file": units_file()})
        seconds = time.monotonic() - started
        print(f"upload with the broker hung: {response.status_code} in {seconds:.2f}s")
        assert response.status_code == 302 and seconds < 3 * settings.REDIS_BROKER_TIMEOUT + 1, seconds
        assert warnings_from(caplog, "core.queueing")


# --- PostgreSQL: connections cut under a running server --------------------------------------


@contextlib.contextmanager
def single_threaded_server():
    """The project's WSGI application served from one thread, one request after another, so that its
    database connection lives on between requests as under gunicorn (Django's live server opens and
    closes one per request thread, which no restart could hurt)."""
    port = free_port()
    server = WSGIServer(("127.0.0.1", port), WSGIRequestHandler)
    server.set_app(get_wsgi_application())

    def serve():
        try:
            server.serve_forever(poll_interval=0.1)
        finally:
            connections.close_all()  # this thread's connection, or the test database could not be dropped

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


def status_at(url, cookie):
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_the_next_page_answers_after_postgresql_connections_are_terminated(transactional_db, world, client):
    """A server keeping its connection (CONN_MAX_AGE) loses it to pg_terminate_backend, as in a
    PostgreSQL restart; the next page answers all the same (CONN_HEALTH_CHECKS: without it, that
    page is a 500, "server closed the connection unexpectedly")."""
    if connection.vendor != "postgresql":
        pytest.skip("pg_terminate_backend is PostgreSQL's")
    client.force_login(world.office_province)  # the session row, committed (transactional_db)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT clock_timestamp()")
        (started,) = cursor.fetchone()
    with single_threaded_server() as base:
        assert status_at(f"{base}/", cookie) == 200
        # The server's connections only (opened since it started): this test's own and those of
        # servers other tests of the session keep (pytest-django's live server) are left alone.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                           "WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_start >= %s",
                           [started])
            terminated = cursor.fetchall()
        assert terminated and all(ok for (ok,) in terminated), "the server kept its connection between requests"
        after = [status_at(f"{base}/", cookie), status_at(f"{base}/directives/dashboard/", cookie)]
        print(f"pages after pg_terminate_backend of {len(terminated)} connection(s): {after}")
        assert after == [200, 200]
