"""The production stack of the delivery fault tests, with the faults at hand: a Redis server of
the test's own (to flush, kill and restart), a real SMTP server (aiosmtpd) that can accept,
answer 451, hang, or be down, Celery workers on the production queue layout, and beat.

Every figure a fault test measures is appended to test-results/faults.txt, so the run that
produced the figures can be quoted.
"""

import asyncio
import contextlib
import email
import email.policy
import os
import signal
import socket
import subprocess
import sys
import threading
import time

from aiosmtpd.controller import Controller

from tests.celery_worker import ROOT, database_url_for_worker, kill_worker, start_worker, wait_until

REPORT = ROOT / "test-results" / "faults.txt"


def report(fault, **figures):
    """One line of measured figures for the fault named."""
    REPORT.parent.mkdir(exist_ok=True)
    values = " ".join(f"{name}={value}" for name, value in figures.items())
    with open(REPORT, "a", encoding="utf-8") as out:
        out.write(f"{time.strftime('%Y-%m-%d %H:%M:%S %z')} {fault}: {values}\n")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """redis-server on a port of its own, without persistence: a restart loses every message."""

    def __init__(self, workdir):
        self.port = free_port()
        self.workdir = workdir
        self.proc = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        wait_until(self._answers, 10, "redis-server to answer")
        return self

    def _answers(self):
        import redis

        try:
            return redis.Redis.from_url(self.url, socket_timeout=0.5).ping()
        except redis.RedisError:
            return False

    def client(self):
        import redis

        return redis.Redis.from_url(self.url)

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)


class Mailbox:
    """aiosmtpd's handler: what the server received, and how it answers now."""

    def __init__(self):
        self.mode = "accept"  # accept | refuse (451) | hang (no answer to EHLO or DATA)
        self.received = []  # (Message-ID, recipient) per accepted message and recipient
        self.on_data = None  # called before a message is accepted (e.g. to drop the database)
        self.lock = threading.Lock()

    async def _hang_while(self, mode):
        while self.mode == mode:
            await asyncio.sleep(0.05)

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        await self._hang_while("hang")
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server, session, envelope):
        await self._hang_while("hang")
        if self.mode == "refuse":
            return "451 4.3.0 Temporarily unable to accept mail"
        if self.on_data:
            self.on_data()
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        with self.lock:
            for recipient in envelope.rcpt_tos:
                self.received.append((str(message["Message-ID"]), recipient))
        return "250 2.0.0 OK"

    def message_ids(self):
        with self.lock:
            return [message_id for message_id, _to in self.received]


class SmtpServer:
    """A real SMTP server on a port of its own, in this process; `down()` and `up()` stop and
    start listening (connections refused meanwhile)."""

    def __init__(self):
        self.port = free_port()
        self.mailbox = Mailbox()
        self.controller = None

    def up(self):
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port, ready_timeout=10)
        self.controller.start()
        return self

    def down(self):
        if self.controller:
            self.mailbox.mode, mode = "accept", self.mailbox.mode  # release hung sessions before stopping
            self.controller.stop()
            self.controller = None
            self.mailbox.mode = mode


class Stack:
    """Workers on the production layout (README: Reminders): the sweep and default queues, in-app
    deliveries and e-mail deliveries each on a worker of their own; beat; all on the test's Redis
    and database, sending e-mail through the test's SMTP server."""

    def __init__(self, tmp_path, redis, smtp, **settings):
        self.tmp_path, self.redis, self.smtp = tmp_path, redis, smtp
        self.settings = {
            "REDIS_URL": redis.url, "NOTIFICATION_CHANNELS": "inapp,email",
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": smtp.port, "DEFAULT_FROM_EMAIL": "campaign@example.org",
            **settings,
        }
        self.procs = {}

    def worker(self, name, queues, concurrency=1, **extra):
        proc = start_worker(self.tmp_path / f"{name}.log", name, concurrency=concurrency, queues=queues,
                            **{**self.settings, **extra})
        self.procs[name] = proc
        return proc

    def production_workers(self):
        self.worker("sweep", "sweep,celery")
        self.worker("inapp", "deliveries.inapp")
        self.worker("email", "deliveries.email", concurrency=2)

    def beat(self):
        env = dict(os.environ)
        env.update({key: str(value) for key, value in self.settings.items()},
                   DATABASE_URL=database_url_for_worker(), PYTHONPATH=str(ROOT))
        log = self.tmp_path / "beat.log"
        proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "beat", "--loglevel=INFO",
             "-s", str(self.tmp_path / "beat-schedule")],
            cwd=ROOT, env=env, stdout=open(log, "w"), stderr=subprocess.STDOUT, start_new_session=True,
        )
        self.procs["beat"] = proc
        wait_until(lambda: "beat: Starting" in log.read_text(errors="replace"), 30, "beat to start")
        return proc

    def kill(self, name):
        kill_worker(self.procs.pop(name))

    def stop(self):
        for proc in self.procs.values():
            with contextlib.suppress(Exception):
                if proc.poll() is None:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(10)
        self.procs = {}

    def log(self, name):
        return (self.tmp_path / f"{name}.log").read_text(errors="replace")
