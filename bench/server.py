"""The gunicorn server the latency benchmarks measure (bench/dashboard.py, bench/load.py).

Import it before `django.setup()`: it fixes the settings both the server and the benchmark's own
process read. The sessions a benchmark makes in-process must be signed with the server's key, and a
server with DEBUG off refuses the public demo key (access.checks).
"""

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATIC_ROOT = ROOT / "var" / "bench-static"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["STATIC_ROOT"] = str(STATIC_ROOT)
os.environ.setdefault("SECRET_KEY", "bench-server-" + "k" * 50)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def analyze(connection):
    """Planner statistics for a freshly generated province: this server runs without autovacuum,
    and without them the plans are unrepresentative (a subtree prefix estimated at a hundred rows
    instead of 50,000)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


@contextlib.contextmanager
def gunicorn(workers=2, timeout=120):
    """A server on a free port (DEBUG off, static files collected), answering /healthz; yields the port."""
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, check=True)
    port = free_port()
    env = dict(os.environ, DEBUG="false", ALLOWED_HOSTS="127.0.0.1,localhost")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(workers),
         "--log-level", "warning", "--timeout", str(timeout)],
        cwd=ROOT, env=env,
    )
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz").read()
                break
            except OSError:
                time.sleep(0.1)
        yield port
    finally:
        server.terminate()
        server.wait()
