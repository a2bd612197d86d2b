"""Dashboard latency against a gunicorn server, side by side with a trivial logged-in page.

Usage (PostgreSQL with a generated province):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/office_bench \\
        .venv/bin/python bench/dashboard.py --requests 200

Refreshes the planner statistics (ANALYZE), starts gunicorn on a free port (DEBUG off),
logs in as a province office user it creates if missing, warms every page once, then requests the pages round-robin and
reports p50/p95 latency and the query count of each page (counted in-process with
the test client, same code path).
"""

import argparse
import statistics
import sys
import time
import urllib.request
from pathlib import Path

# The script's own folder would shadow django-import-export's package with this file's name.
sys.path[0] = str(Path(__file__).resolve().parent.parent)

import django  # noqa: E402

from bench import server  # noqa: E402  (before Django: the settings the server and this process share)

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from campaign.models import Directive  # noqa: E402
from units.models import Unit, UnitMembership  # noqa: E402

USERNAME, PASSWORD = "bench_office", "Bench-Office-2014"


def office_user(province):
    user, created = get_user_model().objects.get_or_create(username=USERNAME)
    if created:
        user.set_password(PASSWORD)
        user.save()
    UnitMembership.objects.get_or_create(user=user, unit=province, role=UnitMembership.Role.OFFICE)
    return user


def pages():
    province = Unit.objects.get(code="GEN")
    city = Unit.objects.filter(parent=province, level="city").order_by("path").first()
    directive = Directive.objects.filter(issuing_unit=province).order_by("pk").first()
    return province, {
        "floor (trivial page)": "/units/import/",
        "province home page": "/",
        "province dashboard": "/directives/dashboard/",
        "city dashboard": f"/directives/dashboard/?unit={city.pk}",
        "directive page": f"/directives/{directive.pk}/",
    }


def query_counts(user, urls):
    client = Client()
    client.force_login(user)
    counts = {}
    for name, url in urls.items():
        client.get(url)  # warm the cache, as the server is
        with CaptureQueriesContext(connection) as ctx:
            status = client.get(url).status_code
        counts[name] = (len(ctx), status)
    return counts


def session_opener(user):
    """An opener carrying a session cookie made in-process (the login form needs HTTPS cookies
    when DEBUG is off)."""
    from django.conf import settings

    client = Client()
    client.force_login(user)
    opener = urllib.request.build_opener()
    opener.addheaders = [("Cookie", f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}")]
    return opener


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200, help="requests per page")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    server.analyze(connection)
    province, urls = pages()
    user = office_user(province)
    counts = query_counts(user, urls)
    with server.gunicorn(args.workers) as port:
        base = f"http://127.0.0.1:{port}"
        opener = session_opener(user)
        timings = {name: [] for name in urls}
        for _ in range(3):  # warm every worker's cache
            for url in urls.values():
                opener.open(base + url).read()
        for _ in range(args.requests):
            for name, url in urls.items():
                start = time.perf_counter()
                opener.open(base + url).read()
                timings[name].append((time.perf_counter() - start) * 1000)
    floor = statistics.median(timings["floor (trivial page)"])
    print("| page | p50 ms | p95 ms | p50 / floor | queries | status |")
    print("|---|---|---|---|---|---|")
    for name, values in timings.items():
        values.sort()
        p50, p95 = statistics.median(values), values[int(len(values) * 0.95) - 1]
        print(f"| {name} | {p50:.1f} | {p95:.1f} | {p50 / floor:.2f}× | {counts[name][0]} | {counts[name][1]} |")


if __name__ == "__main__":
    main()
