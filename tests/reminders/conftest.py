"""Fixtures for the reminder tests: e-mail addresses for the personas, the Redis test broker and
real Celery worker subprocesses that open the same test database."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from reminders_support import REDIS_URL, database_url_for_worker

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent


@pytest.fixture
def people(world):
    """The `world` personas with e-mail addresses, so the e-mail channel has somewhere to send."""
    for user in (world.office_province, world.office_hangzhou, world.office_ningbo, world.liaison_organ,
                 world.liaison_organ2, world.liaison_xihu, world.group_leader, world.group_member, world.other_member):
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])
    return world


@pytest.fixture
def redis_broker():
    """The Celery app of this process publishes to a dedicated Redis database, flushed before and after."""
    import redis
    from kombu import pools

    from config.celery import app

    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    saved = (app.conf.broker_url, app.conf.broker_transport_options)
    app.conf.broker_url = REDIS_URL
    app.conf.broker_transport_options = {"visibility_timeout": 3600}
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None
    yield client
    pools.reset()  # kombu's process-wide producer pools, keyed by broker URL
    app.conf.broker_url, app.conf.broker_transport_options = saved
    app._pool = None
    app.amqp._producer_pool = None
    client.flushdb()


class Workers:
    def __init__(self, tmp_path):
        self.tmp_path = tmp_path
        self.procs = []
        self.mail_dir = tmp_path / "mail"
        self.gate_dir = tmp_path / "gate"
        self.gate_dir.mkdir()

    def start(self, channels="inapp,email", concurrency=2, **extra_env):
        n = len(self.procs)
        log = self.tmp_path / f"worker{n}.log"
        env = dict(os.environ)
        env.update(
            DATABASE_URL=database_url_for_worker(), DB_CONN_MAX_AGE="0", REDIS_URL=REDIS_URL,
            NOTIFICATION_CHANNELS=channels,
            EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend", EMAIL_FILE_PATH=str(self.mail_dir),
            REMINDER_GATE_DIR=str(self.gate_dir), PYTHONPATH=f"{HERE}{os.pathsep}{ROOT}", LOG_LEVEL="INFO",
        )
        env.update({key: str(value) for key, value in extra_env.items()})
        proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=prefork", f"--concurrency={concurrency}",
             "--loglevel=INFO", "-n", f"reminders{n}-{os.getpid()}@%h", "--without-gossip", "--without-mingle",
             "--without-heartbeat"],
            cwd=ROOT, env=env, stdout=open(log, "w"), stderr=subprocess.STDOUT, start_new_session=True,
        )
        proc.log = log
        self.procs.append(proc)
        deadline = time.monotonic() + 30
        while "ready." not in log.read_text(errors="replace"):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError("worker did not start:\n" + log.read_text(errors="replace")[-3000:])
            time.sleep(0.2)
        return proc

    def kill(self, proc):
        """SIGKILL the worker and its pool processes at once: a crash, not a shutdown."""
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=10)

    def stop_all(self):
        for proc in self.procs:
            if proc.poll() is None:
                self.kill(proc)

    def emails(self):
        """(recipient, subject, body) of every message the file e-mail backend wrote."""
        import email
        import email.policy

        found = []
        if not self.mail_dir.exists():
            return found
        for path in sorted(self.mail_dir.iterdir()):
            for chunk in path.read_text().split("-" * 79):
                if chunk.strip():
                    message = email.message_from_string(chunk.strip(), policy=email.policy.default)
                    body = message.get_payload() if message["Content-Transfer-Encoding"] == "8bit" else message.get_content()
                    found.append((str(message["To"]), str(message["Subject"]), body))
        return found

    def gate_log(self):
        path = self.gate_dir / "sent.log"
        return path.read_text().split("\n")[:-1] if path.exists() else []


@pytest.fixture
def workers(transactional_db, redis_broker, tmp_path):
    """Start real Celery worker subprocesses on the Redis test broker and the test database."""
    pool = Workers(tmp_path)
    yield pool
    pool.stop_all()
