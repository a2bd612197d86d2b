"""The deployment kit of deploy/, rendered by `manage.py render_deploy`, is accepted by the tools
that will read it: `nginx -t` (both variants, inside a minimal nginx.conf of the test's own) and
`systemd-analyze verify` (every unit). Each tool's test skips, saying so, where it is absent."""

import getpass
import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
SYSTEMD_ANALYZE = shutil.which("systemd-analyze")
UNIT_FILES = ["campaign-web.service", "campaign-worker.service", "campaign-worker@.service",
              "campaign-beat.service", "campaign.target"]


def render(out, mode, **options):
    call_command("render_deploy", out=str(out), mode=mode, stdout=io.StringIO(), **options)
    return out


def test_every_placeholder_is_filled_and_the_body_size_follows_the_upload_cap(tmp_path, settings):
    settings.UPLOAD_MAX_BYTES = 200 * 1024 * 1024
    settings.NOTIFICATION_CHANNELS = ["inapp", "email"]
    tls = render(tmp_path / "tls", "tls")
    http = render(tmp_path / "http", "http")
    for folder in (tls, http):
        for path in folder.iterdir():
            assert "{{" not in path.read_text(), path.name
    # 200 MB + a fifth for the multipart framing, in whole MB.
    assert re.search(r"^\s*client_max_body_size 240m;$", (tls / "campaign.nginx.conf").read_text(), re.M)
    # The secure-cookie settings pair with the variant.
    tls_env, http_env = (tls / "campaign.env").read_text(), (http / "campaign.env").read_text()
    assert "SESSION_COOKIE_SECURE=1" in tls_env and "SECURE_PROXY_SSL_HEADER_NAME=HTTP_X_FORWARDED_PROTO" in tls_env
    assert "SESSION_COOKIE_SECURE=0" in http_env and "CSRF_COOKIE_SECURE=0" in http_env
    assert re.search(r"^SECURE_PROXY_SSL_HEADER_NAME=$", http_env, re.M)
    assert "listen 443 ssl" in (tls / "campaign.nginx.conf").read_text()
    assert "443" not in (http / "campaign.nginx.conf").read_text()
    # One worker per channel, exactly one beat, all grouped by the target.
    target = (tls / "campaign.target").read_text()
    assert "campaign-worker@email.service" in target and target.count("campaign-beat.service") == 1


@pytest.mark.skipif(NGINX is None, reason="nginx is not installed (Debian: apt-get install nginx-light)")
@pytest.mark.parametrize("mode", ["tls", "http"])
def test_nginx_accepts_the_rendered_site(tmp_path, mode):
    options = {"var_dir": str(tmp_path / "var")}
    if mode == "tls":
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=campaign.test",
             "-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")],
            check=True, capture_output=True,
        )
        options.update(tls_certificate=str(tmp_path / "cert.pem"), tls_certificate_key=str(tmp_path / "key.pem"))
    out = render(tmp_path / "out", mode, server_name="campaign.test", **options)
    site = out / "campaign.nginx.conf"
    assert "internal;" in site.read_text() and str(tmp_path / "var" / "uploads") in site.read_text()
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        f"error_log {tmp_path}/error.log;\npid {tmp_path}/nginx.pid;\nevents {{}}\n"
        f"http {{\n  access_log off;\n  include {site};\n}}\n"
    )
    result = subprocess.run([NGINX, "-t", "-p", str(tmp_path), "-c", str(conf), "-e", str(tmp_path / "error.log")],
                            capture_output=True, text=True, timeout=30)
    print(result.stderr)
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


@pytest.mark.skipif(SYSTEMD_ANALYZE is None, reason="systemd-analyze is not installed")
def test_systemd_accepts_the_rendered_units(tmp_path):
    """Rendered to run as the current user from this virtualenv, so that verify finds the programs and
    the user it checks for; anything it says about our units is a failure."""
    (tmp_path / "campaign.env").write_text("DEBUG=1\n")
    (tmp_path / "var" / "uploads").mkdir(parents=True)
    out = render(tmp_path / "out", "tls", venv=sys.prefix, user=getpass.getuser(),
                 env_file=str(tmp_path / "campaign.env"), var_dir=str(tmp_path / "var"))
    # A template unit is verified through one of its instances.
    shutil.copy(out / "campaign-worker@.service", out / "campaign-worker@email.service")
    units = [str(out / name) for name in UNIT_FILES if "@." not in name] + [str(out / "campaign-worker@email.service")]
    result = subprocess.run([SYSTEMD_ANALYZE, "verify", *units], capture_output=True, text=True, timeout=60)
    print(result.stdout, result.stderr)
    ours = [line for line in (result.stdout + result.stderr).splitlines() if "campaign" in line]
    assert result.returncode == 0 and ours == [], result.stdout + result.stderr
