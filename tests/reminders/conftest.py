"""Fixtures for the reminder tests: e-mail addresses for the personas, the Redis test broker and
real Celery worker subprocesses that open the same test database (tests.celery_worker)."""

from pathlib import Path

import pytest

from tests import celery_worker
from tests.celery_worker import kill_worker, start_worker

HERE = Path(__file__).resolve().parent
redis_broker = celery_worker.redis_broker  # the shared fixture, offered to these tests


class Workers:
    def __init__(self, tmp_path):
        self.tmp_path = tmp_path
        self.procs = []
        self.mail_dir = tmp_path / "mail"
        self.gate_dir = tmp_path / "gate"
        self.gate_dir.mkdir()

    def start(self, channels="inapp,email", concurrency=2, **extra_env):
        n = len(self.procs)
        proc = start_worker(
            self.tmp_path / f"worker{n}.log", f"reminders{n}", concurrency=concurrency, pythonpath=[HERE],
            NOTIFICATION_CHANNELS=channels, EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
            EMAIL_FILE_PATH=self.mail_dir, REMINDER_GATE_DIR=self.gate_dir, **extra_env,
        )
        self.procs.append(proc)
        return proc

    def kill(self, proc):
        """SIGKILL the worker and its pool processes at once: a crash, not a shutdown."""
        kill_worker(proc)

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
