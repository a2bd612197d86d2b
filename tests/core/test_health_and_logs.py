"""/healthz and /readyz for load balancers, and the log: request ids, the JSON format, the
`security` logger (README: Health checks and logs)."""

import io
import json
import logging
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import include, path, reverse

from core.health import readiness_checks, run_readiness_checks
from core.log_context import RequestContextFilter
from notifications.sweep import run_sweep
from notifications.tasks import sweep_reminders
from tests.celery_worker import REDIS_URL
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]


def broken_view(request):
    raise RuntimeError("database exploded at 0xdeadbeef")


urlpatterns = [path("", include("config.urls")), path("test-broken/", broken_view)]
handler403 = "core.errors.permission_denied"
handler500 = "core.errors.server_error"


@pytest.fixture
def log_lines():
    """What the configured console handler (settings.LOGGING: filter and formatter) writes."""
    handler = next(h for h in logging.getLogger().handlers if any(isinstance(f, RequestContextFilter) for f in h.filters))
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield lambda: stream.getvalue().splitlines()
    handler.setStream(previous)


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens once the socket is closed


@pytest.fixture
def embedded_broker(settings, tmp_path):
    folders = {name: tmp_path / "broker" / name for name in ("queue", "processed")}
    for folder in folders.values():
        folder.mkdir(parents=True)
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(folders["queue"]), "data_folder_out": str(folders["queue"]),
        "processed_folder": str(folders["processed"]), "store_processed": False,
    }


def test_healthz_answers_any_host_over_http_without_the_database(client, db, settings, django_assert_num_queries):
    settings.SECURE_SSL_REDIRECT = True  # behind the proxy's TLS: a probe comes over plain HTTP
    with django_assert_num_queries(0):
        for url in ("/healthz", "/healthz/"):
            response = client.get(url, HTTP_HOST="10.0.0.7")  # the instance's address, not in ALLOWED_HOSTS
            assert response.status_code == 200 and response.json() == {"status": "ok"}
            assert response["Cache-Control"] == "no-store"


def test_readyz_is_ok_when_everything_is(transactional_db, settings, embedded_broker):
    # transactional_db: the checks run in threads of their own and see committed rows only.
    settings.CAMPAIGN_CLOCK = "2014-01-08T10:00+08:00"  # a year the seeded calendar covers
    settings.READYZ_MIN_FREE_MB = 1
    run_sweep()
    # Someone who must still change the password is not sent to that page by a probe.
    user = get_user_model().objects.create_user("probe_owner", password=PASSWORD, must_change_password=True)
    client = Client()
    client.force_login(user)
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "broker", "disk", "calendar", "reminder_sweep"}
    assert all(check == {"ok": True, "ms": check["ms"]} for check in body["checks"].values())


def test_readyz_fails_with_503_and_fixed_reasons_only(client, db, settings, embedded_broker):
    port = closed_port()
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{port}/8"
    settings.CACHES = {"default": {
        "BACKEND": "core.cache.BestEffortRedisCache", "LOCATION": f"redis://127.0.0.1:{port}/8",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }}
    settings.READYZ_MIN_FREE_MB = 10**12  # an exabyte: more than any disk has free
    settings.CAMPAIGN_CLOCK = "2199-11-08T10:00+08:00"  # nobody has entered 2199 or 2200
    started = time.monotonic()
    response = client.get("/readyz/")
    assert time.monotonic() - started < settings.READYZ_TIMEOUT_SECONDS + 1
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["database"]["ok"] is True
    assert {name: check.get("reason") for name, check in body["checks"].items() if not check["ok"]} == {
        "cache": "unreachable", "broker": "unreachable", "disk": "less than 976562500 GB free",
        "calendar": "year not entered", "reminder_sweep": "never ran",
    }
    text = response.content.decode()
    for leak in (str(port), "127.0.0.1", "redis", str(settings.MEDIA_ROOT), "Error", "refused", "2199"):
        assert leak not in text


def test_broker_and_cache_on_a_running_redis_are_ok(settings):
    settings.CELERY_BROKER_URL = REDIS_URL
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
    settings.CACHES = {"default": {"BACKEND": "core.cache.BestEffortRedisCache", "LOCATION": REDIS_URL}}
    checks = readiness_checks()
    results = run_readiness_checks({name: checks[name] for name in ("broker", "cache")})
    assert results["broker"]["ok"] and results["cache"]["ok"], results


def test_a_hung_check_fails_as_timeout_within_the_bound():
    started = time.monotonic()
    results = run_readiness_checks({"hung": lambda: time.sleep(3), "fine": lambda: None}, timeout=0.3)
    assert time.monotonic() - started < 1
    assert results["hung"]["ok"] is False and results["hung"]["reason"] == "timeout"
    assert results["fine"]["ok"] is True


@pytest.mark.urls(__name__)
def test_request_id_is_in_the_header_the_log_and_the_500_page(db, log_lines):
    client = Client(raise_request_exception=False)
    response = client.get("/test-broken/", HTTP_X_REQUEST_ID="lb-7f3a9c")
    assert response.status_code == 500 and response["X-Request-ID"] == "lb-7f3a9c"
    body = response.content.decode()
    assert "错误编号：" in body and "lb-7f3a9c" in body and "0xdeadbeef" not in body
    error_lines = [line for line in log_lines() if "django.request" in line]
    assert error_lines and "[request=lb-7f3a9c user=-]" in error_lines[0]
    # An id that could forge a log line is replaced by one of ours.
    response = Client().get(reverse("login"), HTTP_X_REQUEST_ID="x\nFAKE LINE")
    assert len(response["X-Request-ID"]) == 32 and "FAKE" not in response["X-Request-ID"]
    # A Celery task logs under its task id.
    sweep_reminders.apply(task_id="task-5c1d")
    assert any("notifications.sweep [request=task-5c1d user=-]" in line for line in log_lines())


def test_failed_login_refusal_and_lockout_are_security_events(db, settings, caplog, log_lines):
    settings.AXES_FAILURE_LIMIT = 2
    user = get_user_model().objects.create_user("liaison_test", password=PASSWORD)
    client = Client()
    with caplog.at_level(logging.INFO, logger="security"):
        client.post(reverse("login"), {"username": "liaison_test", "password": "Wrong-Password-1"})
        client.post(reverse("login"), {"username": "liaison_test", "password": PASSWORD})
        refused = client.get(reverse("units:opinion_counts"))  # offices only
        client.logout()
        for _attempt in range(2):
            client.post(reverse("login"), {"username": "liaison_test", "password": "Wrong-Password-2"})
    assert refused.status_code == 403
    events = [(record.security_event, record.levelname) for record in caplog.records if record.name == "security"]
    assert events[:3] == [("login_failure", "WARNING"), ("login", "INFO"), ("permission_denied", "WARNING")]
    assert ("lockout", "WARNING") in events[3:]
    lines = [line for line in log_lines() if " security " in line]
    assert "login_failure username=liaison_test" in lines[0] and "user=-]" in lines[0]
    assert f"user={user.pk}]" in lines[2] and f"request={refused['X-Request-ID']}" in lines[2]
    assert not any("Wrong-Password" in line or PASSWORD in line for line in log_lines())


def test_json_log_lines_parse_and_keep_secrets_out():
    script = (
        "import django, logging; django.setup();"
        "from core.security_log import security_event;"
        "security_event('token_use', token='tok-SECRET-123', password='hunter2', scope='read');"
        "logging.getLogger('axes.handlers.database').warning('AXES: Locking out %s', 'someone')"
    )
    env = {**os.environ, "LOG_FORMAT": "json", "DJANGO_SETTINGS_MODULE": "config.settings"}
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    entries = [json.loads(line) for line in result.stderr.splitlines() if line.strip()]
    token, axes = entries[-2], entries[-1]
    assert token["logger"] == "security" and token["event"] == "token_use" and token["level"] == "INFO"
    assert token["fields"]["scope"] == "read" and token["fields"]["token"].startswith("sha256:")
    assert {"time", "request_id", "user_id", "message"} <= set(token) and token["request_id"] == "-"
    assert axes["message"] == "AXES: Locking out someone" and axes["logger"] == "axes.handlers.database"
    assert "SECRET" not in result.stderr and "hunter2" not in result.stderr
