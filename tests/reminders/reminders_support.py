"""Helpers shared by the reminder tests (imported by name; fixtures live in conftest.py)."""

import datetime as dt

from campaign.deadlines import SHANGHAI

# The worker helpers every Celery test shares, under the names these tests import.
from tests.celery_worker import REDIS_URL, database_url_for_worker, wait_until  # noqa: F401


def shanghai(*args):
    return dt.datetime(*args, tzinfo=SHANGHAI)


def wait_for_deliveries(timeout=30):
    """Until no delivery is waiting or in flight."""
    from notifications.models import Delivery

    wait_until(
        lambda: not Delivery.objects.exclude(status__in=Delivery.FINAL).exists(), timeout, "deliveries to finish"
    )
