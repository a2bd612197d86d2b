"""Helpers shared by the reminder tests (imported by name; fixtures live in conftest.py)."""

import datetime as dt
import os
import time

from campaign.deadlines import SHANGHAI

REDIS_URL = os.environ.get("REDIS_URL_FOR_TESTS", "redis://127.0.0.1:6379/5")


def shanghai(*args):
    return dt.datetime(*args, tzinfo=SHANGHAI)


def database_url_for_worker():
    """DATABASE_URL of the test database this test runs on, for a worker subprocess."""
    from django.db import connection

    s = connection.settings_dict
    if s["ENGINE"] == "django.db.backends.sqlite3":
        assert "memory" not in s["NAME"], "the worker needs a file-based SQLite test database"
        return f"sqlite:///{s['NAME']}"
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def wait_until(condition, timeout=30, message="condition"):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {message}")
        time.sleep(0.2)


def wait_for_deliveries(timeout=30):
    """Until no delivery is waiting or in flight."""
    from notifications.models import Delivery

    wait_until(
        lambda: not Delivery.objects.exclude(status__in=Delivery.FINAL).exists(), timeout, "deliveries to finish"
    )
