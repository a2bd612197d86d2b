"""Benchmark of the reminder sweep (notifications/sweep.py) at provincial scale, on PostgreSQL.

    .venv/bin/python bench/reminders.py [--units 50000] [--requirements 10] [--fresh]

Builds (once, in its own database) 50,000 units with one liaison each and 10 requirements
fanned out to all of them: 500,000 open obligations. Their due dates are chosen so that at
the benchmark moment (Monday 3 March 2014, 09:00) four requirements are at their 7-day
reminder, three at the 3-day and three at the 1-day one: all three offsets are exercised.
Then, in a fresh process, it runs a full sweep (500,000 reminder rows, 50,000 digests,
100,000 deliveries, enqueued to Redis) and an immediate re-run, and prints both times and
the process's peak memory. Nothing is sent: no worker consumes the benchmark's Redis DB.
"""

import argparse
import datetime as dt
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)  # not bench/ itself: its modules would shadow installed packages
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/reminders_bench"
REDIS_DB = "redis://127.0.0.1:6379/6"
MOMENT = dt.datetime(2014, 3, 3, 9, 0)
# Due days (in March 2014) per requirement: 10th → 7-day reminder on the 3rd, 6th → 3-day, 4th → 1-day.
DUE_DAYS = [10, 10, 10, 10, 6, 6, 6, 4, 4, 4]


def setup_django(database_url):
    os.environ["DATABASE_URL"] = database_url
    os.environ["REDIS_URL"] = REDIS_DB
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def ensure_database(database_url):
    import psycopg2

    name = database_url.rsplit("/", 1)[1]
    conn = psycopg2.connect(database_url.rsplit("/", 1)[0] + "/postgres")
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def build(units, requirements, fresh):
    """Create the data set unless it is already there."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from campaign.deadlines import SHANGHAI
    from campaign.models import Campaign, Directive, Obligation, Requirement
    from units.models import Unit, UnitMembership, encode_segment

    call_command("migrate", verbosity=0)
    if fresh:
        with connection.cursor() as cursor:
            # The audit table refuses TRUNCATE (audit 0003); the bench database's owner may lift that.
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_no_truncate")
            cursor.execute("TRUNCATE campaign_campaign, units_unit, auth_user CASCADE")
            cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER audit_entry_no_truncate")
    if Obligation.objects.count() >= units * requirements:
        return
    started = time.perf_counter()
    with transaction.atomic():
        campaign = Campaign.objects.create(name="基准测试活动", starts_on=dt.date(2014, 1, 1))
        province = Unit.objects.create(code="B330000", name="基准省", level="province", unit_type="committee")
        Unit.objects.bulk_create(
            (Unit(code=f"B{n:06d}", name=f"单位{n}", parent=province, path=province.path + encode_segment(n), depth=1,
                  level="county", unit_type="organ") for n in range(units)),
            batch_size=5000,
        )
        User = get_user_model()
        User.objects.bulk_create(
            (User(username=f"bench_liaison_{n}", email=f"bench_liaison_{n}@example.org", password="!")
             for n in range(units)),
            batch_size=5000,
        )
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO units_unitmembership (user_id, unit_id, role, created_at) "
                "SELECT u.id, un.id, 'liaison', now() FROM auth_user u "
                "JOIN units_unit un ON un.code = 'B' || lpad(substr(u.username, 15), 6, '0') "
                "WHERE u.username LIKE 'bench_liaison_%%'"
            )
        directive = Directive.objects.create(
            campaign=campaign, issuing_unit=province, issuer_name="基准省领导小组", title="基准公文",
            signed_on=dt.date(2014, 2, 20),
        )
        for index in range(requirements):
            due = dt.datetime(2014, 3, DUE_DAYS[index % len(DUE_DAYS)], 23, 59, 59, tzinfo=SHANGHAI)
            requirement = Requirement.objects.create(
                directive=directive, title=f"报送事项{index + 1}", scope_unit=province, submit_to=province,
                deadline_text=f"2014年3月{due.day}日前", due_at=due,
            )
            with connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO campaign_obligation (requirement_id, unit_id, status, due_at, updated_at, submitted_late, "
                    "period_label, exemption_reason, assigned_at) "
                    "SELECT %s, id, 'pending', %s, %s, false, '', '', %s FROM units_unit WHERE depth = 1",
                    [requirement.pk, due, timezone.now(), timezone.now()],
                )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"built {Obligation.objects.count()} obligations in {time.perf_counter() - started:.1f} s")
    assert UnitMembership.objects.count() >= units


def run():
    import redis
    from django.db import connection

    from campaign.deadlines import SHANGHAI
    from notifications.dispatch import dispatch
    from notifications.models import Reminder, Sweep
    from notifications.sweep import run_sweep

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE notifications_sweep, notifications_reminder, notifications_digest, "
                       "notifications_delivery, notifications_notification CASCADE")
    redis.Redis.from_url(REDIS_DB).flushdb()
    moment = MOMENT.replace(tzinfo=SHANGHAI)
    started = time.perf_counter()
    first = run_sweep(moment)
    full = time.perf_counter() - started
    started = time.perf_counter()
    second = run_sweep(moment)
    rerun = time.perf_counter() - started
    started = time.perf_counter()
    dispatched = dispatch()  # every delivery has its message: nothing to do, but the queries run
    dispatch_time = time.perf_counter() - started
    client = redis.Redis.from_url(REDIS_DB)
    queued = {queue: client.llen(queue) for queue in ("deliveries.inapp", "deliveries.email")}
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"full sweep: {full:.2f} s  created={first.created} digests={first.digests} "
          f"deliveries={len(first.delivery_ids)} queue messages={queued}")
    print(f"dispatcher run right after: {dispatch_time:.2f} s, queued {dispatched}")
    print(f"re-run:     {rerun:.2f} s  created={second.created} digests={second.digests}")
    print(f"peak memory (max RSS of this process): {peak:.0f} MiB")
    print(f"reminder rows: {Reminder.objects.count()}, sweeps recorded: {Sweep.objects.count()}")
    redis.Redis.from_url(REDIS_DB).flushdb()
    run_events()


def run_events():
    """Event notifications at the same scale (issue 13): one requirement's obligations issued to
    every unit tell 50,000 liaisons (the fan-out's receiver, in its transaction), then one flush
    gathers them into 50,000 digests and 100,000 deliveries, and an immediate re-run finds nothing."""
    import redis
    from django.db import connection, transaction

    from campaign.models import Requirement
    from notifications import events
    from notifications.models import Event
    from notifications.signals import tell_of_new_obligations

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE notifications_event, notifications_sweep, notifications_digest, "
                       "notifications_delivery, notifications_notification CASCADE")
    requirement = Requirement.objects.order_by("pk").first()
    ids = list(requirement.obligations.values_list("pk", flat=True))
    started = time.perf_counter()
    with transaction.atomic():
        tell_of_new_obligations(Requirement, requirement=requirement, obligation_ids=ids)
    recorded = time.perf_counter() - started
    started = time.perf_counter()
    taken, digests, deliveries = events.flush()
    flushed = time.perf_counter() - started
    started = time.perf_counter()
    again = events.flush()
    rerun = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"events recorded: {Event.objects.count()} in {recorded:.2f} s")
    print(f"event flush: {flushed:.2f} s  events={taken} digests={digests} deliveries={len(deliveries)}")
    print(f"event flush re-run: {rerun:.2f} s  events={again[0]}")
    print(f"peak memory after the events (max RSS of this process): {peak:.0f} MiB")
    redis.Redis.from_url(REDIS_DB).flushdb()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--units", type=int, default=50000)
    parser.add_argument("--requirements", type=int, default=10)
    parser.add_argument("--fresh", action="store_true", help="rebuild the data set")
    parser.add_argument("--sweep-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.sweep_only:
        setup_django(args.database_url)
        run()
        return
    ensure_database(args.database_url)
    setup_django(args.database_url)
    build(args.units, args.requirements, args.fresh)
    # The sweep runs in a fresh process so that its peak memory is its own.
    subprocess.run([sys.executable, __file__, "--sweep-only", "--database-url", args.database_url], check=True)


if __name__ == "__main__":
    main()
