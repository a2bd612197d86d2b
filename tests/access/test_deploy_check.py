"""`manage.py check --deploy` with production settings from the environment gives no warnings."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k3%Zp9!vQ2#rT8@wL5^yN1&bX7*cM4(dF6)gH0_jS" * 2,
    "ALLOWED_HOSTS": "qzlx.example.gov.cn",
    "CSRF_TRUSTED_ORIGINS": "https://qzlx.example.gov.cn",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_PROXY_SSL_HEADER_NAME": "HTTP_X_FORWARDED_PROTO",
    "CLIENT_IP_HEADER": "HTTP_X_FORWARDED_FOR",
}


def run_check(extra=None):
    dropped = {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {key: value for key, value in os.environ.items() if key not in dropped}
    env.update(PRODUCTION, DJANGO_SETTINGS_MODULE="config.settings", **(extra or {}))
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = run_check()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_warns_about_the_demo_key():
    result = run_check({"SECRET_KEY": "insecure-demo-key-set-SECRET_KEY-in-production"})
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr
