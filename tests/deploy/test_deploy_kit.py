"""The deployment kit of deploy/, rendered by `manage.py render_deploy`, is accepted by the tools
that will read it: `nginx -t` (both variants, inside a minimal nginx.conf of the test's own) and
`systemd-analyze verify` (every unit), and the plain-HTTP site serves a download by X-Accel-Redirect
for real. Each tool's test skips, saying so, where it is absent."""

import getpass
import io
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
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


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class FakeApp(BaseHTTPRequestHandler):
    """Stands in for gunicorn: answers a download as files/responses.py does with
    UPLOAD_X_ACCEL_REDIRECT_PREFIX set, and echoes the proxy headers of anything else."""

    def do_GET(self):
        self.send_response(200)
        if self.path == "/download":
            self.send_header("X-Accel-Redirect", "/protected-uploads/2026/12/stored")
            self.send_header("Content-Type", "application/pdf")
            self.send_header("Content-Disposition", "inline; filename=a.pdf")
            self.send_header("Content-Security-Policy", "default-src 'none'; sandbox")
            self.end_headers()
            return
        body = "|".join(self.headers.get(name, "") for name in ("Host", "X-Forwarded-For", "X-Forwarded-Proto")).encode()
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.mark.skipif(NGINX is None, reason="nginx is not installed (Debian: apt-get install nginx-light)")
def test_nginx_serves_a_download_from_media_root_and_passes_the_proxy_headers(tmp_path, settings):
    """The plain-HTTP site for real, on free loopback ports: a download answered with X-Accel-Redirect
    comes from MEDIA_ROOT with its type and sandboxing policy, the internal location is out of reach,
    health checks and pages reach the app with Host and X-Forwarded-*."""
    settings.UPLOAD_X_ACCEL_REDIRECT_PREFIX = "/protected-uploads/"
    stored = tmp_path / "var" / "uploads" / "2026" / "12" / "stored"
    stored.parent.mkdir(parents=True)
    stored.write_bytes(b"%PDF-1.4 test")
    app = ThreadingHTTPServer(("127.0.0.1", 0), FakeApp)
    threading.Thread(target=app.serve_forever, daemon=True).start()
    port = free_port()
    out = render(tmp_path / "out", "http", server_name="campaign.test", var_dir=str(tmp_path / "var"),
                 bind=f"127.0.0.1:{app.server_address[1]}", http_port=port)
    site = out / "campaign.nginx.conf"
    # The test machine may have no IPv6: the site listens on the loopback address only.
    site.write_text(re.sub(r"\n\s*listen \[::\]:\d+;", "", site.read_text()).replace(f"listen {port};", f"listen 127.0.0.1:{port};"))
    conf = tmp_path / "nginx.conf"
    # As root nginx's workers would be `nobody`, who cannot enter pytest's private temporary folders.
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf.write_text(f"{user}error_log {tmp_path}/error.log;\npid {tmp_path}/nginx.pid;\nevents {{}}\n"
                    f"http {{\n  access_log off;\n  include {site};\n}}\n")
    nginx = subprocess.Popen([NGINX, "-p", str(tmp_path), "-c", str(conf), "-e", str(tmp_path / "error.log"),
                              "-g", "daemon off;"])
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.05)
        with urllib.request.urlopen(urllib.request.Request(base + "/download", headers={"Host": "campaign.test"})) as got:
            assert got.read() == b"%PDF-1.4 test"
            assert got.headers["Content-Type"] == "application/pdf"
            assert got.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
            assert got.headers["X-Content-Type-Options"] == "nosniff"
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(base + "/protected-uploads/2026/12/stored")
        assert refused.value.code == 404
        for path in ("/healthz", "/readyz", "/some/page"):
            with urllib.request.urlopen(urllib.request.Request(base + path, headers={"Host": "campaign.test"})) as got:
                assert got.read() == b"campaign.test|127.0.0.1|http", path
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
        app.shutdown()
