"""Benchmark of the biggest reminder digest (issue "province scale"), on PostgreSQL.

    DEBUG=1 .venv/bin/python manage.py generate_province --units 20000 --requirements 10 --seed 1 --today 2014-01-05
    .venv/bin/python bench/digests.py --database-url postgres://…/DB

generate_province makes units and obligations but no people. This adds, once: a liaison for
every unit, two office staff at the province, and a supervision group of two assigned to the
first city with its subtree. Then, each step in a fresh process (its peak memory its own):

1. the reminder sweep as of 10 January 2014, 09:00 (as bench/reminders.py: run_sweep(moment),
   nothing dispatched): its time and peak RSS;
2. sending the biggest digest on every channel (in-app and e-mail, locmem backend): time,
   peak RSS, the stored notification's size (title, body, items, summary; and its row on disk),
   the e-mail body's size;
3. its notification's page through Django's test Client as the recipient: size and median
   time of 10 requests.
"""

import argparse
import datetime as dt
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)  # not bench/ itself: its modules would shadow installed packages
MOMENT = dt.datetime(2014, 1, 10, 9, 0)
REDIS_DB = "redis://127.0.0.1:6379/6"


def setup_django(database_url):
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("REDIS_URL", REDIS_DB)
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def peak_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def people():
    """Liaisons, office staff and one supervision group, unless already there."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from campaign.models import Campaign
    from supervision.models import GroupAssignment, GroupMember, SupervisionGroup
    from units.models import Unit, UnitMembership

    User = get_user_model()
    if User.objects.filter(username="digest_office_0").exists():
        return
    province = Unit.objects.get(code="GEN")
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO auth_user (username, email, password, full_name, mobile, title, must_change_password, "
                "is_staff, is_active, is_superuser, date_joined, language, quiet_channels) "
                "SELECT 'digest_liaison_' || id, 'l' || id || '@example.org', '!', '联络员' || id, '', '', false, "
                "false, true, false, now(), '', '[]' FROM units_unit WHERE path LIKE %s",
                [province.path + "%"],
            )
            cursor.execute(
                "INSERT INTO units_unitmembership (user_id, unit_id, role, created_at) "
                "SELECT u.id, CAST(substr(u.username, 16) AS integer), 'liaison', now() FROM auth_user u "
                "WHERE u.username LIKE 'digest_liaison_%%'"
            )
        staff = [User.objects.create_user(f"digest_office_{n}", f"office{n}@example.org", "bench", full_name=f"办公室{n}")
                 for n in range(2)]
        for user in staff:
            UnitMembership.objects.create(user=user, unit=province, role=UnitMembership.Role.OFFICE)
        city = Unit.objects.filter(parent=province, level="city").order_by("path").first()
        group = SupervisionGroup.objects.create(campaign=Campaign.objects.order_by("pk").first(), office=province,
                                                name="基准督导组")
        for n in range(2):
            user = User.objects.create_user(f"digest_group_{n}", f"group{n}@example.org", "bench", full_name=f"督导{n}")
            GroupMember.objects.create(group=group, user=user, is_leader=n == 0)
        GroupAssignment.objects.create(group=group, unit=city, include_subtree=True, starts_on=dt.date(2013, 12, 1))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def sweep():
    from django.db import connection

    from campaign.deadlines import SHANGHAI
    from notifications.sweep import run_sweep

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE notifications_sweep, notifications_reminder, notifications_digest, "
                       "notifications_delivery, notifications_notification CASCADE")
    started = time.perf_counter()
    result = run_sweep(MOMENT.replace(tzinfo=SHANGHAI), dispatch=False)
    print(f"sweep: {time.perf_counter() - started:.2f} s  created={result.created} digests={result.digests} "
          f"peak RSS {peak_mib():.0f} MiB")


def biggest_digest():
    from django.db.models import Count, OuterRef, Subquery

    from notifications.models import Digest, Reminder

    count = Reminder.objects.filter(sweep_id=OuterRef("sweep_id"), recipient_id=OuterRef("recipient_id")).order_by()
    count = count.values("recipient_id").annotate(n=Count("id")).values("n")
    return Digest.objects.annotate(n=Subquery(count)).select_related("recipient").order_by("-n").first()


def send():
    from django.core import mail
    from django.db import connection

    from notifications.models import Notification
    from notifications.sending import deliver

    mail.outbox = []
    digest = biggest_digest()
    started = time.perf_counter()
    for delivery in digest.deliveries.all():
        outcome = deliver(delivery.pk)
        print(f"  {delivery.channel}: {outcome.status}")
    sending = time.perf_counter() - started
    notification = Notification.objects.get(delivery__digest=digest)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_column_size(n.*), octet_length(items::text) FROM notifications_notification n "
                       "WHERE id = %s", [notification.pk])
        compressed, items = cursor.fetchone()
    fields = [notification.title, notification.body, json.dumps(notification.items, ensure_ascii=False),
              json.dumps(getattr(notification, "summary", {}), ensure_ascii=False)]
    stored = sum(len(text.encode()) for text in fields)
    body = mail.outbox[0].body.encode() if mail.outbox else b""
    print(f"biggest digest: {digest.n} items for {digest.recipient.username} (notification {notification.pk})")
    print(f"send: {sending:.2f} s  peak RSS {peak_mib():.0f} MiB")
    print(f"stored notification: {stored:,} bytes of text (items JSON {items:,}), {compressed:,} bytes on disk")
    print(f"e-mail body: {len(body):,} bytes")


def page():
    from django.test import Client, override_settings

    from notifications.models import Notification

    # Plain static storage: no collectstatic manifest is needed to render pages here.
    override_settings(STORAGES={**settings_storages(), "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}).enable()
    digest = biggest_digest()
    notification = Notification.objects.get(delivery__digest=digest)
    client = Client()
    client.force_login(digest.recipient)
    times, size = [], 0
    for _ in range(11):
        started = time.perf_counter()
        response = client.get(notification.get_absolute_url())
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
        size = len(response.content)
    print(f"detail page: {size:,} bytes, median {statistics.median(times[1:]) * 1000:.0f} ms of 10 "
          f"(first {times[0] * 1000:.0f} ms)  peak RSS {peak_mib():.0f} MiB")
    floor = []
    for _ in range(11):  # the same person's simplest page: what every page costs them (the shell's counts)
        started = time.perf_counter()
        client.get("/notifications/preferences/")
        floor.append(time.perf_counter() - started)
    print(f"floor (preferences page, same person): median {statistics.median(floor[1:]) * 1000:.0f} ms")


def settings_storages():
    from django.conf import settings

    return dict(settings.STORAGES)


STEPS = {"people": people, "sweep": sweep, "send": send, "page": page}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", ""), required=False)
    parser.add_argument("--step", choices=STEPS, help=argparse.SUPPRESS)
    parser.add_argument("--only", nargs="+", choices=STEPS, default=list(STEPS), help="run only these steps")
    args = parser.parse_args()
    if args.step:
        setup_django(args.database_url)
        STEPS[args.step]()
        return
    for step in args.only:
        subprocess.run([sys.executable, __file__, "--step", step, "--database-url", args.database_url], check=True)


if __name__ == "__main__":
    main()
