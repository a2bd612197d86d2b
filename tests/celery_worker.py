"""Real Celery workers for tests: a Redis test broker for this process and worker subprocesses that
open the same test database (the reminder and the units import tests use them).

The Redis database is REDIS_URL_FOR_TESTS (flushed before and after each test that uses it).
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REDIS_URL = os.environ.get("REDIS_URL_FOR_TESTS", "redis://127.0.0.1:6379/5")


def database_url_for_worker():
    """DATABASE_URL of the test database this test runs on, for a worker subprocess."""
    from django.db import connection

    s = connection.settings_dict
    if s["ENGINE"] == "django.db.backends.sqlite3":
        assert "memory" not in s["NAME"], "the worker needs a file-based SQLite test database"
        return f"sqlite:///{s['NAME']}"
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def wait_until(condition, timeout=30, message="condition"):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {message}")
        time.sleep(0.2)


@contextlib.contextmanager
def broker_at(url, transport_options=None):
    """The Celery app of this process publishes to `url` (with `transport_options`) inside the block."""
    from kombu import pools

    from config.celery import app

    def forget_connections():
        pools.reset()  # kombu's process-wide producer pools, keyed by broker URL
        app._pool = None
        app.amqp._producer_pool = None

    saved = (app.conf.broker_url, app.conf.broker_transport_options)
    app.conf.broker_url = url
    app.conf.broker_transport_options = transport_options or {"visibility_timeout": 3600}
    forget_connections()
    try:
        yield app
    finally:
        forget_connections()
        app.conf.broker_url, app.conf.broker_transport_options = saved
        forget_connections()


@pytest.fixture
def redis_broker():
    """The Celery app of this process publishes to a dedicated Redis database, flushed before and after."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    with broker_at(REDIS_URL, {"visibility_timeout": 3600}):
        yield client
    client.flushdb()


def start_worker(log, name, concurrency=2, pythonpath=(), queues=None, **env_values):
    """A `celery worker` subprocess on the Redis test broker and this test's database, once ready.
    `log` is the file its output goes to; `queues` the queues it takes (all by default);
    `env_values` are added to its environment."""
    env = dict(os.environ)
    env.update(DATABASE_URL=database_url_for_worker(), DB_CONN_MAX_AGE="0", REDIS_URL=REDIS_URL, LOG_LEVEL="INFO",
               PYTHONPATH=os.pathsep.join([*map(str, pythonpath), str(ROOT)]))
    env.update({key: str(value) for key, value in env_values.items()})
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=prefork", f"--concurrency={concurrency}",
         "--loglevel=INFO", "-n", f"{name}-{os.getpid()}@%h", "--without-gossip", "--without-mingle",
         "--without-heartbeat", *(["-Q", queues] if queues else [])],
        cwd=ROOT, env=env, stdout=open(log, "w"), stderr=subprocess.STDOUT, start_new_session=True,
    )
    proc.log = log
    deadline = time.monotonic() + 30
    while "ready." not in Path(log).read_text(errors="replace"):
        if proc.poll() is not None or time.monotonic() > deadline:
            raise AssertionError("worker did not start:\n" + Path(log).read_text(errors="replace")[-3000:])
        time.sleep(0.2)
    return proc


def kill_worker(proc):
    """SIGKILL the worker and its pool processes at once: a crash, not a shutdown."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(timeout=10)
