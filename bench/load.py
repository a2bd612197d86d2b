"""Many people at once: a realistic mix of roles and pages against gunicorn, beside the floor.

Usage (PostgreSQL with a generated province, see bench/README.md):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/load50k \\
        .venv/bin/python bench/load.py --users 20,50 --duration 60

Each simulated person is a thread with its own account and session (a colleague with the same
roles: nothing kept per person is shared), signed in as one of four roles of the generated
province (`generate_province` makes them): the province office, a city office, a supervision
group member assigned unit by unit to a city's units, and a village liaison. Each
walks its role's pages in turn, back to back (no pause between pages unless `--think` is given:
a busy office, not a realistic clicker). Every `--write-every` seconds one of the province
office's people approves a submitted report (a real POST through the review form), so caches see
changes while the others read.

With `--users 1`, one person walks every role's pages in turn: each page's own time, with no
queue in front of it (the table for "each page's p50 beside the floor").

For each number of users, two runs of `--duration` seconds: the mix, then the floor alone (a
trivial signed-in page) with the same number of people. Reported: requests/s, p50/p95/p99 and
errors per run, and per page p50/p95 and its p50 beside the floor's p50 in the same mixed run.
Query counts per page are counted in-process with the test client on the same code path.
"""

import argparse
import http.client
import itertools
import random
import re
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

# The script's own folder would shadow installed packages with a file's name.
sys.path[0] = str(Path(__file__).resolve().parent.parent)

import django  # noqa: E402

from bench import server  # noqa: E402  (before Django: the settings the server and this process share)

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from campaign.models import Directive, Obligation, ObligationStatus, Requirement, Submission  # noqa: E402
from supervision.models import GroupMember, SupervisionGroup  # noqa: E402
from units.models import Level, Unit, UnitMembership  # noqa: E402

FLOOR = "floor (trivial page)"
CSRF_SECRET = "benchcsrfsecretbenchcsrfsecret00"  # 32 characters: an unmasked token Django accepts


def role_user(username, unit, role):
    """A signed-in person of `role` at `unit` (made if the data set has none)."""
    user, created = get_user_model().objects.get_or_create(username=username, defaults={"full_name": username})
    if created:
        user.set_unusable_password()
        user.save()
    UnitMembership.objects.get_or_create(user=user, unit=unit, role=role)
    return user


def colleague(user, number):
    """Another person with exactly `user`'s roles (unit memberships, supervision groups): each simulated
    person signs in as their own account, so nothing kept per person (core.personal_cache: the to-do
    badge) is shared between them, as it would not be among real colleagues."""
    other, created = get_user_model().objects.get_or_create(
        username=f"{user.username}_{number}", defaults={"full_name": f"{user.full_name or user.username}{number}"})
    if created:
        other.set_unusable_password()
        other.save()
        for membership in UnitMembership.objects.filter(user=user):
            UnitMembership.objects.get_or_create(user=other, unit_id=membership.unit_id, role=membership.role)
        for member in GroupMember.objects.filter(user=user):
            GroupMember.objects.get_or_create(user=other, group_id=member.group_id, defaults={"is_leader": member.is_leader})
    return other


def busiest_group(province):
    """The generated group with the most assignments (the one assigned unit by unit), its member."""
    group = (SupervisionGroup.objects.filter(office=province).order_by().annotate(n=django.db.models.Count("assignments"))
             .order_by("-n").first())
    if group is None:
        return None, None
    member = group.members.select_related("user").order_by("is_leader", "pk").first()  # the generated one, not a colleague
    return group, member.user if member else None


def last_page(user, path):
    """`path` at the highest page number its first page links to."""
    client = Client()
    client.force_login(user)
    numbers = [int(n) for n in re.findall(r"[?&;]page=(\d+)", client.get(path).content.decode())]
    return f"{path}?page={max(numbers)}" if numbers else path


def plan():
    """{role: (user, [(page name, path), ...])} for the generated province."""
    province = Unit.objects.get(code="GEN")
    city = Unit.objects.filter(parent=province, level=Level.CITY).order_by("path").first()
    village = Unit.objects.subtree(city).filter(level=Level.VILLAGE).order_by("path").first()
    directive = Directive.objects.filter(issuing_unit=province).order_by("pk").first()
    requirement = Requirement.objects.filter(directive=directive).order_by("pk").first()
    county = Unit.objects.filter(parent=city, level=Level.COUNTY).order_by("path").first()
    office = role_user("bench_office", province, UnitMembership.Role.OFFICE)
    city_office = role_user("bench_city_office", city, UnitMembership.Role.OFFICE)
    liaison = role_user("bench_liaison", village, UnitMembership.Role.LIAISON)
    own = Obligation.objects.filter(unit=village).order_by("pk").first()
    group, member = busiest_group(province)
    roles = {
        "province office": (office, [
            (FLOOR, reverse("units:import")),
            ("province home page", "/"),
            ("province dashboard", reverse("campaign:dashboard")),
            ("directive page", reverse("campaign:directive", args=[directive.pk])),
            ("requirement page", reverse("campaign:requirement", args=[requirement.pk])),
            ("requirement page, last page", last_page(office, reverse("campaign:requirement", args=[requirement.pk]))),
            ("reminder log", reverse("notifications:requirement_log", args=[requirement.pk])),
            ("notification centre", reverse("notifications:list")),
            ("review queue", reverse("campaign:review_queue")),
            ("unit list search", reverse("units:list") + "?q=" + quote(county.name[-4:])),
            ("unit list, last page", last_page(office, reverse("units:list"))),
            ("unit tree search", reverse("units:tree") + "?q=" + quote(county.name[-4:])),
            ("group list", reverse("supervision:groups")),
        ] + ([("group page", reverse("supervision:group", args=[group.pk]))] if group else [])),
        "city office": (city_office, [
            ("city home page", "/"),
            ("city dashboard", reverse("campaign:dashboard")),
            ("city unit list", reverse("units:list")),
        ]),
        "liaison": (liaison, [
            ("liaison home page", "/"),
            ("liaison workspace", reverse("campaign:workspace")),
        ] + ([("obligation page", reverse("campaign:obligation", args=[own.pk]))] if own else [])),
    }
    if member:
        roles["supervision group"] = (member, [
            ("group home page", "/"),
            ("group workspace", reverse("supervision:workspace")),
            ("group rectification overview", reverse("rectification:overview")),
        ])
    return province, roles, office


def reports_to_approve(province, liaison, count):
    """Ids of `count` submitted obligations with their report on record (the generated data set
    sets states without writing reports; the review form needs one)."""
    waiting = list(Obligation.objects.filter(unit__path__startswith=province.path, status=ObligationStatus.SUBMITTED)
                   .filter(submissions__isnull=True).order_by("pk")[:count])
    Submission.objects.bulk_create([
        Submission(obligation=o, version=1, text="（生成数据）", submitted_by=liaison, submitted_at=o.submitted_at or o.due_at,
                   due_at=o.due_at) for o in waiting
    ])
    return [o.pk for o in waiting]


def session_cookie(user):
    """A session made in-process (the login form wants HTTPS cookies when DEBUG is off)."""
    client = Client()
    client.force_login(user)
    return (f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}; "
            f"{settings.CSRF_COOKIE_NAME}={CSRF_SECRET}")


def query_counts(roles):
    counts = {}
    for user, pages in roles.values():
        client = Client()
        client.force_login(user)
        for name, path in pages:
            client.get(path)  # warm, as the server is
            with CaptureQueriesContext(connection) as ctx:
                status = client.get(path).status_code
            counts[name] = (len(ctx), status)
    return counts


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.samples = []  # (page, ms, ok)

    def add(self, page, ms, ok):
        with self.lock:
            self.samples.append((page, ms, ok))


def fetch(port, method, path, cookie, body=None):
    """One request on a fresh connection (gunicorn's sync workers close each one); status code."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Cookie": cookie, "Host": "127.0.0.1"}
    if body is not None:
        headers.update({"Content-Type": "application/x-www-form-urlencoded", "X-CSRFToken": CSRF_SECRET,
                        "Referer": f"http://127.0.0.1:{port}/"})
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status
    except OSError:
        return 0
    finally:
        conn.close()


def person(port, steps, stop_at, recorder, think, seed):
    """Walks `steps` ((session cookie, page name, path), ...) in turn from a random start until the run ends."""
    rng = random.Random(seed)
    start = rng.randrange(len(steps))
    for cookie, name, path in itertools.cycle(steps[start:] + steps[:start]):
        if time.monotonic() >= stop_at:
            return
        start = time.perf_counter()
        status = fetch(port, "GET", path, cookie)
        recorder.add(name, (time.perf_counter() - start) * 1000, status == 200)
        if think:
            time.sleep(rng.uniform(0, 2 * think))


def writer(port, cookie, submitted_ids, stop_at, recorder, every):
    """Approves one submitted report every `every` seconds, as the province office would."""
    for obligation_id in submitted_ids:
        if time.monotonic() >= stop_at:
            return
        start = time.perf_counter()
        status = fetch(port, "POST", reverse("campaign:obligation_review", args=[obligation_id]), cookie,
                       body="decision=approve&reason=")
        recorder.add("write: approve a report", (time.perf_counter() - start) * 1000, status in (200, 302))
        time.sleep(max(0.0, every - (time.perf_counter() - start)))


def percentile(values, fraction):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * fraction))]


def run(port, people, duration, recorder, think, write_every=None, office_cookie=None, submitted=()):
    stop_at = time.monotonic() + duration
    threads = [threading.Thread(target=person, args=(port, steps, stop_at, recorder, think, index))
               for index, steps in enumerate(people)]
    if write_every:
        threads.append(threading.Thread(target=writer, args=(port, office_cookie, submitted, stop_at, recorder, write_every)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def summary(label, samples, duration):
    times = [ms for _, ms, _ in samples]
    errors = sum(1 for *_, ok in samples if not ok)
    return (f"| {label} | {len(samples)} | {len(samples) / duration:.1f} | {percentile(times, 0.5):.0f} | "
            f"{percentile(times, 0.95):.0f} | {percentile(times, 0.99):.0f} | {errors} |")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", default="20,50", help="comma-separated numbers of simultaneous people")
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--think", type=float, default=0, help="mean pause between a person's pages, seconds")
    parser.add_argument("--write-every", type=float, default=5)
    args = parser.parse_args()
    server.analyze(connection)
    province, roles, office = plan()
    counts = query_counts(roles)
    submitted = reports_to_approve(province, roles["liaison"][0], 400)
    cookies = {role: session_cookie(user) for role, (user, _) in roles.items()}
    # The mix: of every ten people, three province office staff, two city office, two group members, three liaisons.
    shares = [("province office", 3), ("city office", 2), ("supervision group", 2), ("liaison", 3)]
    shares = [(role, share) for role, share in shares if role in roles]
    with server.gunicorn(args.workers) as port:
        for role, (_, pages) in roles.items():  # warm every worker
            for _ in range(args.workers):
                for _, path in pages:
                    fetch(port, "GET", path, cookies[role])
        print(f"units {Unit.objects.filter(path__startswith=province.path).count():,}; gunicorn {args.workers} workers; "
              f"{args.duration:.0f} s per run; think {args.think} s; a write every {args.write_every} s\n")
        per_page, own_cookies = {}, {}
        print("| run | requests | requests/s | p50 ms | p95 ms | p99 ms | errors |")
        print("|---|---|---|---|---|---|---|")
        for users in [int(n) for n in args.users.split(",")]:
            roster = list(itertools.chain.from_iterable([role] * share for role, share in shares))
            if users == 1:  # one person walking every role's pages: each page's own time, no queue
                people = [[(cookies[role], name, path) for role, (_, pages) in roles.items() for name, path in pages]]
            else:
                people = []
                for i in range(users):
                    role = roster[i % len(roster)]
                    cookie = own_cookies.setdefault((role, i), session_cookie(colleague(roles[role][0], i)))
                    people.append([(cookie, name, path) for name, path in roles[role][1]])
            mixed = Recorder()
            run(port, people, args.duration, mixed, args.think, args.write_every, cookies["province office"], submitted)
            submitted = submitted[int(args.duration / args.write_every) + 2:]
            floor_only = Recorder()
            floor_path = dict(roles["province office"][1])[FLOOR]
            office_people = [own_cookies.setdefault(("floor", i), session_cookie(colleague(roles["province office"][0], f"f{i}")))
                             for i in range(users)] if users > 1 else [cookies["province office"]]
            run(port, [[(cookie, FLOOR, floor_path)] for cookie in office_people], args.duration, floor_only, args.think)
            print(summary(f"{users} users, mix", mixed.samples, args.duration))
            print(summary(f"{users} users, floor alone", floor_only.samples, args.duration))
            per_page[users] = mixed.samples
        for users, samples in per_page.items():
            by_page = {}
            for page, ms, _ in samples:
                by_page.setdefault(page, []).append(ms)
            floor = statistics.median(by_page[FLOOR])
            print(f"\n{users} users, per page (the floor's p50 in this run: {floor:.0f} ms)\n")
            print("| page | requests | p50 ms | p95 ms | p50 / floor | queries |")
            print("|---|---|---|---|---|---|")
            for page, values in by_page.items():
                p50 = statistics.median(values)
                queries = counts.get(page, ("", ""))[0]
                print(f"| {page} | {len(values)} | {p50:.0f} | {percentile(values, 0.95):.0f} | {p50 / floor:.2f}× | {queries} |")
        bad = {name: status for name, (_, status) in counts.items() if status != 200}
        if bad:
            print(f"\npages not answering 200 in-process: {bad}")


if __name__ == "__main__":
    main()
