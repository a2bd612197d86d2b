"""The dashboard right after a write elsewhere (issue "province scale"), in-process with the test client.

Usage (PostgreSQL with a generated province, see bench/dashboard.py):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/office_bench \\
        .venv/bin/python bench/dashboard_after_write.py --rounds 10

Each round writes one obligation in the first city (its status flips, as a submission would, and
the change is marked as campaign.receivers marks it) and then times the province dashboard and
the dashboard of another city (whole pages), then, after another write, their figures alone
(campaign.dashboard.subtree_figures, what the page asks of the figures' cache). Reports the median
and maximum of the warm rounds, and the time the background refresh of the province takes
(campaign.tasks.refresh_dashboards), when there is one.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

# Pages rendered in-process without collectstatic's manifest (as the tests do).
override_settings(STORAGES={**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}).enable()

from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402

from campaign import dashboard  # noqa: E402
from campaign.models import Campaign, Obligation  # noqa: E402
from units.models import Unit, UnitMembership  # noqa: E402


def office_client(province):
    user, _created = get_user_model().objects.get_or_create(username="bench_office")
    UnitMembership.objects.get_or_create(user=user, unit=province, role=UnitMembership.Role.OFFICE)
    client = Client()
    client.force_login(user)
    return client


def write_in(city):
    """One obligation under `city` changes state (and back next round)."""
    obligation = Obligation.objects.filter(unit__path__startswith=city.path).select_related("unit").order_by("pk").first()
    obligation.status = "submitted" if obligation.status == "pending" else "pending"
    obligation.save(update_fields=["status", "updated_at"])
    if hasattr(dashboard, "mark_changed"):
        dashboard.mark_changed(obligation.unit.path, [obligation.requirement_id])


def timed(client, url):
    started = time.perf_counter()
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    province = Unit.objects.get(code="GEN")
    cities = list(Unit.objects.filter(parent=province, level="city").order_by("path")[:2])
    client = office_client(province)
    urls = {"province dashboard": "/directives/dashboard/", "other city's dashboard": f"/directives/dashboard/?unit={cities[1].pk}"}
    for url in urls.values():
        timed(client, url)  # warm
    campaign = Campaign.objects.order_by("pk").first()
    figures = {"province figures (subtree_figures)": province, "other city's figures": cities[1]}
    for unit in figures.values():
        dashboard.subtree_figures(unit, campaign)  # warm
    seconds = {name: [] for name in [*urls, *figures]}
    for _round in range(args.rounds):
        write_in(cities[0])
        for name, url in urls.items():
            seconds[name].append(timed(client, url))
        write_in(cities[0])
        for name, unit in figures.items():
            started = time.perf_counter()
            dashboard.subtree_figures(unit, campaign)
            seconds[name].append(time.perf_counter() - started)
    for name, values in seconds.items():
        print(f"{name:36} after a write in another city: median {1000 * statistics.median(values):7.1f} ms, "
              f"max {1000 * max(values):7.1f} ms ({len(values)} rounds)")
    if hasattr(dashboard, "mark_changed"):
        from campaign.tasks import refresh_dashboards

        started = time.perf_counter()
        refresh_dashboards([[province.path, str(campaign.pk)]])
        print(f"background refresh of the province (the worker): {1000 * (time.perf_counter() - started):7.1f} ms")


if __name__ == "__main__":
    main()
