"""Timing of the long list pages (issue "province scale"): median of 10 warm requests of each page
with the test client, beside the floor page, logged in as a province office user (created here).

    DATABASE_URL=postgres://…/wt_lists_bench DEBUG=0 SECRET_KEY=… STATIC_ROOT=var/bench-static \
        .venv/bin/python manage.py shell < bench/lists.py

Data: `manage.py generate_province --units 20000 --requirements 10 --seed 1 --today 2014-01-05`,
then reminder sweeps (notifications.sweep.run_sweep) for the reminder log and the notification
centre, and ANALYZE.
Query counts are bounded by tests/office/test_list_scale.py."""
import os
import statistics
import time

from django.contrib.auth import get_user_model
from django.db.models import Count
from django.test import Client

from campaign.models import Obligation, Requirement
from notifications.models import Reminder
from units.models import Unit, UnitMembership

user, _created = get_user_model().objects.get_or_create(username="lists_office", defaults={"full_name": "省办测试员"})
UnitMembership.objects.get_or_create(user=user, unit=Unit.objects.get(code="GEN"), role=UnitMembership.Role.OFFICE)
client = Client()
client.force_login(user)
requirement = Requirement.objects.order_by("pk").first()
logged = Reminder.objects.order_by().values("requirement_id").annotate(n=Count("pk")).order_by("-n").first()
log_requirement = logged["requirement_id"] if logged else requirement.pk
obligations = Obligation.objects.filter(requirement=requirement).count()
last_obligations = (obligations + 99) // 100
units_matching = Unit.objects.filter(name__icontains="村", is_active=True).count()
pages = {
    "floor /units/import/": "/units/import/",
    "requirement detail p1": f"/directives/requirements/{requirement.pk}/",
    f"requirement detail last (p{last_obligations})": f"/directives/requirements/{requirement.pk}/?page={last_obligations}",
    "reminder log": f"/notifications/requirements/{log_requirement}/log/",
    "notification centre": "/notifications/",
    "review queue": "/directives/work/reviews/",
    "unit list search q=村": "/units/list/?q=村",
    f"unit list search last (p{(units_matching + 99) // 100})": f"/units/list/?q=村&page={(units_matching + 99) // 100}",
    "unit list search q=GEN0301 (code part)": "/units/list/?q=GEN0301",
    "unit tree search q=村": "/units/?q=村",
    "unit tree search q=第3市第2县": "/units/?q=第3市第2县",
    "unit list search q=第3市第2县": "/units/list/?q=第3市第2县",
}
extra = os.environ.get("BENCH_EXTRA_PAGES")
if extra:
    for pair in extra.split(";"):
        name, url = pair.split("=", 1)
        pages[name] = url
floor = None
for name, url in pages.items():
    client.get(url)
    response = client.get(url)
    times = []
    for _ in range(10):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    p50 = statistics.median(times)
    floor = floor or p50
    kib = len(response.content) // 1024
    print(f"{name:45s} {response.status_code} {p50:8.1f} ms {p50 / floor:5.1f}x {kib:5d} KiB  {url}")
