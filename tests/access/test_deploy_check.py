"""Production settings: the README's environment gives a clean `manage.py check --deploy`; its
plain-HTTP intranet variant gives exactly the warnings the README explains; and with DEBUG off a
missing or demo SECRET_KEY stops start-up (check, migrate, runserver, gunicorn) saying what to set.

The environments are read from the README's own blocks, so the documentation and this test
cannot drift apart.
"""

import os
import re
import shlex
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from http.client import HTTPConnection
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()
DEMO_KEY = "insecure-demo-key-set-SECRET_KEY-in-production"
# What the README's $(cat /etc/campaign/secret_key) reads: a key made as the README says.
GENERATED_KEY = "k3%Zp9!vQ2#rT8@wL5^yN1&bX7*cM4(dF6)gH0_jS" * 2


def free_port():
    """A port nothing listens on now: CI runs the suite on two databases at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


PORT = free_port()


def section(title):
    """From the heading `title` to the next heading (## or deeper; a shell comment is one #)."""
    start = README.index(title)
    following = re.search(r"\n#{2,} ", README[start + len(title):])
    return README[start:start + len(title) + following.start()] if following else README[start:]


def shell_blocks(text):
    return re.findall(r"```sh\n(.*?)```", text, flags=re.S)


def environment_of(block, env):
    """Apply the block's `export NAME=value ...` and `unset NAME` lines to `env` (a copy).
    A value made by a command ($(...)) is only accepted for SECRET_KEY, read from its file."""
    env = dict(env)
    for line in block.splitlines():
        words = shlex.split(line, comments=True)
        if not words:
            continue
        if words[0] == "unset":
            for name in words[1:]:
                env.pop(name, None)
        elif words[0] == "export":
            for word in words[1:]:
                name, _sep, value = word.partition("=")
                if "$(" in value:
                    assert name == "SECRET_KEY", f"{name}: only SECRET_KEY may be read from elsewhere"
                    value = GENERATED_KEY
                env[name] = value
    return env


def production_env():
    (block, *_rest) = shell_blocks(section("### Production"))
    return environment_of(block, {})


def intranet_env():
    (block,) = shell_blocks(section("#### Plain HTTP on an intranet"))
    return environment_of(block, production_env())


def run(args, env, timeout=120):
    dropped = {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL", "REDIS_URL"}
    full = {key: value for key, value in os.environ.items() if key not in dropped}
    full.update(DJANGO_SETTINGS_MODULE="config.settings", **env)
    return subprocess.run(args, cwd=ROOT, env=full, capture_output=True, text=True, timeout=timeout)


def check_deploy(env, *extra):
    return run([sys.executable, "manage.py", "check", "--deploy", *extra], env)


def test_the_readme_production_environment_gives_a_clean_check_deploy():
    env = production_env()
    assert env["DEBUG"] == "0" and env["SECRET_KEY"] == GENERATED_KEY and env["SECURE_SSL_REDIRECT"] == "1"
    result = check_deploy(env, "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_readme_intranet_environment_warns_exactly_as_the_readme_says():
    result = check_deploy(intranet_env())
    assert result.returncode == 0, result.stdout + result.stderr  # warnings only
    found = set(re.findall(r"\((security\.W\d+)\)", result.stdout + result.stderr))
    assert found == {"security.W008", "security.W012", "security.W016"}
    explained = set(re.findall(r"`(security\.W\d+)`", section("#### Plain HTTP on an intranet")))
    assert explained == found
    shown = run([sys.executable, "manage.py", "shell", "-c",
                 "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_PROXY_SSL_HEADER)"],
                intranet_env())
    assert shown.stdout.strip().splitlines()[-1] == "False False None", shown.stdout + shown.stderr


def test_the_intranet_environment_lets_people_log_in_over_http(client, world, settings):
    """Secure cookies off: the session and CSRF cookies come back over plain HTTP."""
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    page = browser.get("/accounts/login/")
    token = page.cookies["csrftoken"]
    assert not token["secure"]
    response = browser.post("/accounts/login/", {"username": "liaison_fgw", "password": world.password,
                                                 "csrfmiddlewaretoken": token.value})
    assert response.status_code == 302 and not response.cookies["sessionid"]["secure"]


@pytest.mark.parametrize("key", [None, "", DEMO_KEY])
def test_start_up_stops_without_a_secret_key_of_its_own(key, tmp_path):
    database = tmp_path / "production.sqlite3"
    env = {**production_env(), "DATABASE_URL": f"sqlite:///{database}"}
    env.pop("REDIS_URL")
    if key is None:
        env.pop("SECRET_KEY")
    else:
        env["SECRET_KEY"] = key
    for command in (["check"], ["check", "--deploy"], ["migrate", "--noinput"], ["runserver", "--noreload", f"127.0.0.1:{PORT}"]):
        result = run([sys.executable, "manage.py", *command], env, timeout=60)
        output = result.stdout + result.stderr
        assert result.returncode != 0, command
        assert "access.E001" in output and "SECRET_KEY" in output and "DEBUG=1" in output, (command, output)
    with sqlite3.connect(database) as written:  # migrate stopped before it created anything
        assert written.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall() == []


def test_with_debug_on_the_demo_key_is_accepted():
    result = run([sys.executable, "manage.py", "check"], {"DEBUG": "1"})
    assert result.returncode == 0, result.stdout + result.stderr


def gunicorn(env, log):
    return subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "config.wsgi", "--workers", "1", "--bind", f"127.0.0.1:{PORT}"],
        cwd=ROOT, env={**{k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE")}, **env},
        stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
    )


def stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def test_gunicorn_refuses_to_serve_with_the_demo_key_and_serves_with_a_key_of_its_own(tmp_path):
    base = {"DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    log = tmp_path / "refused.log"
    refused = gunicorn(base, log)
    try:
        refused.wait(timeout=60)
    finally:
        stop(refused)
    assert refused.returncode != 0 and "access.E001" in log.read_text() and "SECRET_KEY" in log.read_text()

    served = gunicorn({**base, "SECRET_KEY": GENERATED_KEY}, tmp_path / "served.log")
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                connection = HTTPConnection("127.0.0.1", PORT, timeout=5)
                connection.request("GET", "/")
                response = connection.getresponse()
                break
            except OSError:
                assert served.poll() is None and time.monotonic() < deadline, (tmp_path / "served.log").read_text()
                time.sleep(0.3)
        # Served: an anonymous visitor is sent to the login page.
        assert response.status == 302 and response.getheader("Location").startswith("/accounts/login/")
    finally:
        stop(served)


def test_checking_migrations_needs_no_secret_key(tmp_path):
    """makemigrations neither serves nor signs: it runs every check but the security ones."""
    env = {**production_env(), "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    env.pop("REDIS_URL")
    env.pop("SECRET_KEY")
    result = run([sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"], env, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No changes detected" in result.stdout
