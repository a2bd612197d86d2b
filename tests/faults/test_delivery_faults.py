"""Reminder delivery under real faults, on the production stack: PostgreSQL, a Redis of the test's
own, Celery workers on the production queue layout (sweep, in-app, e-mail) and beat, and a real
SMTP server that hangs, refuses or is down.

Each test asserts that every e-mail delivery reaches the SMTP server exactly once (counted by
Message-ID, which is stable per delivery) and records what it measured in test-results/faults.txt.
Times are compressed by settings where the defaults would make a test wait minutes; the kill -9
test keeps the production lease and dispatcher interval, to measure the recovery a site gets.
"""

import datetime as dt
import time
from collections import Counter

import psycopg2
import pytest
from django.conf import settings
from django.db import connection

from campaign.deadlines import SHANGHAI
from core.queueing import publish
from notifications.models import Delivery, Notification, Sweep
from notifications.sweep import run_sweep
from notifications.tasks import sweep_reminders
from tests.celery_worker import broker_at, wait_until
from tests.faults.stack import RedisServer, SmtpServer, Stack, report
from units.models import UnitMembership

pytestmark = [
    pytest.mark.faults,
    pytest.mark.skipif(settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
                       reason="the fault suite runs the production stack: PostgreSQL"),
]

# Extra liaisons of one unit: each reminder of that unit reaches all of them, so a sweep makes
# enough e-mails for the counts to mean something.
CROWD = 24


def shanghai(*args):
    return dt.datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def crowd(people, django_user_model):
    for n in range(CROWD):
        user = django_user_model.objects.create_user(
            username=f"liaison_crowd{n}", password="x", email=f"crowd{n}@example.org", full_name=f"联络员{n}"
        )
        UnitMembership.objects.create(user=user, unit=people.organ, role=UnitMembership.Role.LIAISON)
    return people


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path).start()
    with broker_at(server.url):
        yield server
    server.kill()


@pytest.fixture
def smtp():
    server = SmtpServer().up()
    yield server
    server.down()


@pytest.fixture
def stacks(transactional_db, crowd, redis_server, smtp, tmp_path):
    made = []

    def make(**settings):
        stack = Stack(tmp_path, redis_server, smtp, **settings)
        made.append(stack)
        return stack

    yield make
    for stack in made:
        stack.stop()


def emails():
    return Delivery.objects.filter(channel="email")


def all_sent(queryset):
    return lambda: queryset.exists() and not queryset.exclude(status=Delivery.Status.SENT).exists()


def assert_each_email_once(smtp):
    """Every e-mail delivery was received by the server exactly once; returns the counts."""
    received = Counter(smtp.mailbox.message_ids())
    expected = {delivery.message_id() for delivery in emails().select_related("digest")}
    doubled = {message_id: n for message_id, n in received.items() if n > 1}
    assert not doubled, f"e-mails received more than once: {doubled}"
    assert set(received) == expected
    return len(expected), sum(received.values())


def test_a_hung_mail_server_holds_back_neither_in_app_notices_nor_sweeps(stacks, smtp):
    stack = stacks(EMAIL_TIMEOUT=2, DELIVERY_SEND_SECONDS=5, REMINDER_RETRY_BASE_SECONDS=1,
                   REMINDER_RETRY_MAX_SECONDS=2, DELIVERY_DISPATCH_SECONDS=1)
    smtp.mailbox.mode = "hang"  # accepts the connection, never answers
    stack.production_workers()
    stack.beat()
    started = time.monotonic()
    assert publish(sweep_reminders, (shanghai(2014, 1, 3, 9).isoformat(),))
    inapp = Delivery.objects.filter(channel="inapp")
    wait_until(all_sent(inapp), 30, "in-app notices while the mail server hangs")
    inapp_seconds = time.monotonic() - started
    assert Notification.objects.filter(user__username__startswith="liaison_crowd").count() == CROWD
    # Later sweeps run at once, on their own queue, while every e-mail worker is stuck on the server.
    for moment in (shanghai(2014, 1, 7, 9), shanghai(2014, 1, 9, 9)):
        asked = time.monotonic()
        assert publish(sweep_reminders, (moment.isoformat(),))
        wait_until(lambda moment=moment: Sweep.objects.filter(as_of=moment, finished_at__isnull=False).exists(),
                   15, f"the sweep as of {moment}")
        assert time.monotonic() - asked < 10
    wait_until(all_sent(inapp), 30, "the later sweeps' in-app notices")
    assert not emails().filter(status=Delivery.Status.SENT).exists()
    wait_until(lambda: emails().filter(last_error__contains="timed out").exists(), 15, "a send to time out")
    hung_for = time.monotonic() - started
    # The server answers again: every e-mail arrives, once.
    smtp.mailbox.mode = "accept"
    recovered = time.monotonic()
    wait_until(all_sent(emails()), 60, "the e-mails after the mail server recovered")
    deliveries, received = assert_each_email_once(smtp)
    report("hung SMTP", email_deliveries=deliveries, emails_received=received,
           inapp_all_delivered_s=round(inapp_seconds, 1), hung_s=round(hung_for, 1),
           emails_done_after_recovery_s=round(time.monotonic() - recovered, 1),
           sweeps_during_hang=3)


def test_a_long_mail_outage_is_retried_through_and_every_e_mail_arrives_once(stacks, smtp):
    """A 30-minute outage at 1/60 of the time: the server is down 15 s, then answers 451 for 15 s.
    Backoff 1 s doubling to at most 60 s (the production 60 s to an hour, also at 1/60), within
    a window of 72 minutes (three days at 1/60). Five fixed attempts would have lost them all."""
    stack = stacks(EMAIL_TIMEOUT=2, REMINDER_RETRY_BASE_SECONDS=1, REMINDER_RETRY_MAX_SECONDS=60,
                   REMINDER_RETRY_WINDOW_HOURS=1.2, DELIVERY_DISPATCH_SECONDS=1)
    smtp.down()
    stack.production_workers()
    stack.beat()
    outage_started = time.monotonic()
    run_sweep(shanghai(2014, 1, 3, 9))
    run_sweep(shanghai(2014, 1, 13, 9))  # the escalations too: the office, the group
    time.sleep(15)
    smtp.up()
    smtp.mailbox.mode = "refuse"
    time.sleep(15)
    assert not emails().filter(status=Delivery.Status.SENT).exists()
    assert not emails().filter(status=Delivery.Status.FAILED).exists()
    attempts = max(emails().values_list("attempts", flat=True))
    smtp.mailbox.mode = "accept"
    recovered = time.monotonic()
    wait_until(all_sent(emails()), 90, "every e-mail after the outage")
    deliveries, received = assert_each_email_once(smtp)
    report("SMTP outage (30 min at 1/60: 15 s down, 15 s 451)", email_deliveries=deliveries,
           emails_received=received, failed_for_good=emails().filter(status="failed").count(),
           most_attempts_during_outage=attempts, outage_s=round(recovered - outage_started, 1),
           all_sent_after_recovery_s=round(time.monotonic() - recovered, 1))


def test_messages_lost_in_a_redis_restart_are_sent_once(stacks, smtp, redis_server):
    stack = stacks(DELIVERY_DISPATCH_SECONDS=1, DELIVERY_LOST_AFTER_SECONDS=5)
    stack.worker("sweep", "sweep,celery")
    stack.worker("inapp", "deliveries.inapp")
    run_sweep(shanghai(2014, 1, 3, 9))
    client = redis_server.client()
    assert client.llen("deliveries.email") > 0  # queued, no e-mail worker yet
    wait_until(all_sent(Delivery.objects.filter(channel="inapp")), 30, "the in-app notices")
    client.flushall()
    redis_server.kill()
    redis_server.start()  # empty: every queued e-mail message is gone
    restarted = time.monotonic()
    stack.worker("email", "deliveries.email", concurrency=2)
    stack.beat()
    wait_until(all_sent(emails()), 60, "the e-mails whose messages were lost")
    deliveries, received = assert_each_email_once(smtp)
    report("Redis FLUSHALL and restart", email_deliveries=deliveries, emails_received=received,
           lost_after_setting_s=5, all_sent_after_restart_s=round(time.monotonic() - restarted, 1))


def test_the_database_dropping_after_the_mail_server_accepted_doubles_nothing(stacks, smtp):
    """After each message is accepted, every other connection to the test database is terminated
    (the worker's included) before the server answers 250: the "sent" must still be recorded."""
    main_pid = connection.cursor().connection.info.backend_pid
    with connection.cursor() as cursor:
        cursor.execute("SELECT clock_timestamp()")
        (started,) = cursor.fetchone()
    settings_dict = connection.settings_dict
    terminated = []

    def drop_the_database():
        with psycopg2.connect(dbname=settings_dict["NAME"], user=settings_dict["USER"],
                              host=settings_dict["HOST"] or "127.0.0.1", port=settings_dict["PORT"] or 5432) as db:
            with db.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    # the stack's connections only: not those other tests' servers keep for the session
                    "WHERE datname = current_database() AND pid NOT IN (pg_backend_pid(), %s) AND backend_start >= %s",
                    [main_pid, started],
                )
                terminated.append(cursor.rowcount)
        db.close()

    stack = stacks(DELIVERY_DISPATCH_SECONDS=1)
    stack.production_workers()
    stack.beat()
    smtp.mailbox.on_data = drop_the_database
    run_sweep(shanghai(2014, 1, 3, 9))
    wait_until(all_sent(emails()), 90, "every e-mail despite the dropped connections")
    smtp.mailbox.on_data = None
    deliveries, received = assert_each_email_once(smtp)
    reconnects = stack.log("email").count("reconnecting")
    assert reconnects >= 1
    report("pg_terminate_backend after each accepted e-mail", email_deliveries=deliveries,
           emails_received=received, connections_terminated=sum(terminated), bookkeeping_reconnects=reconnects)


def test_a_killed_e_mail_worker_is_taken_over_within_a_minute(stacks, smtp):
    """Production lease (30 s) and dispatcher interval (10 s). The worker is killed (-9) while it
    waits on the mail server; a new one sends the e-mails within a minute of the kill."""
    stack = stacks()
    smtp.mailbox.mode = "hang"
    stack.production_workers()
    stack.beat()
    run_sweep(shanghai(2014, 1, 3, 9))
    wait_until(lambda: emails().filter(status=Delivery.Status.SENDING).exists(), 30, "a send in progress")
    stack.worker("email2", "deliveries.email", concurrency=2)  # a site runs more than one e-mail worker
    stack.kill("email")
    killed = time.monotonic()
    smtp.mailbox.mode = "accept"
    wait_until(all_sent(emails()), 90, "the e-mails of the killed worker")
    recovery = time.monotonic() - killed
    deliveries, received = assert_each_email_once(smtp)
    assert recovery < 60
    report("kill -9 of the e-mail worker mid-send", email_deliveries=deliveries, emails_received=received,
           recovery_s=round(recovery, 1), lease_s=30, dispatch_every_s=10)
