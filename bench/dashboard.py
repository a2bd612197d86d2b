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
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The script's own folder would shadow django-import-export's package with this file's name.
sys.path[0] = str(ROOT)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
STATIC_ROOT = ROOT / "var" / "bench-static"
os.environ["STATIC_ROOT"] = str(STATIC_ROOT)

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from campaign.models import Directive  # noqa: E402
from units.models import Unit, UnitMembership  # noqa: E402

USERNAME, PASSWORD = "bench_office", "Bench-Office-2014"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, check=True)
    if connection.vendor == "postgresql":
        # Production servers keep planner statistics current with autovacuum; a freshly generated
        # province (or a server running without autovacuum) has none, and the plans are then
        # unrepresentative (a subtree prefix estimated at a hundred rows instead of 50,000).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    province, urls = pages()
    user = office_user(province)
    counts = query_counts(user, urls)
    port = free_port()
    env = dict(os.environ, DEBUG="false", ALLOWED_HOSTS="127.0.0.1,localhost")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(args.workers), "--log-level", "warning"],
        cwd=ROOT, env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/accounts/login/").read()
                break
            except OSError:
                time.sleep(0.1)
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
    finally:
        server.terminate()
        server.wait()
    floor = statistics.median(timings["floor (trivial page)"])
    print("| page | p50 ms | p95 ms | p50 / floor | queries | status |")
    print("|---|---|---|---|---|---|")
    for name, values in timings.items():
        values.sort()
        p50, p95 = statistics.median(values), values[int(len(values) * 0.95) - 1]
        print(f"| {name} | {p50:.1f} | {p95:.1f} | {p50 / floor:.2f}× | {counts[name][0]} | {counts[name][1]} |")


if __name__ == "__main__":
    main()
