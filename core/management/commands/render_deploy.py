"""manage.py render_deploy --out DIR [--mode tls|http] [--server-name HOST] …: the deployment kit of
deploy/ (systemd units, nginx site, environment file) filled in for one machine.

The templates hold `{{name}}` placeholders (nginx's own `$variables` are left alone); every one must
be filled, or nothing is written. Paths default to what the settings in force say (VAR_DIR,
MEDIA_ROOT, STATIC_ROOT, UPLOAD_X_ACCEL_REDIRECT_PREFIX), nginx's client_max_body_size to the
largest upload cap plus headroom (body_size_megabytes). Re-render after changing a cap or a path.
"""

import math
import re
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

DEPLOY_DIR = Path(settings.BASE_DIR) / "deploy"
PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")
MEGABYTE = 1024 * 1024
# Multipart framing and the form's other fields ride on top of the file: a fifth more, at least 1 MB.
BODY_HEADROOM = 0.2
DEFAULT_X_ACCEL_PREFIX = "/protected-uploads/"
FILE_SYSTEM_STORAGE = "django.core.files.storage.FileSystemStorage"

# output file → template (the nginx site's template depends on --mode).
UNITS = {
    "campaign-web.service": "campaign-web.service.in",
    "campaign-worker.service": "campaign-worker.service.in",
    "campaign-worker@.service": "campaign-worker@.service.in",
    "campaign-beat.service": "campaign-beat.service.in",
    "campaign.target": "campaign.target.in",
}
NGINX_FILE = "campaign.nginx.conf"
ENV_FILE = "campaign.env"
NGINX_TEMPLATES = {"tls": "nginx-tls.conf.in", "http": "nginx-http.conf.in"}


def body_size_megabytes():
    """nginx's client_max_body_size in MB: the largest file cap a request may carry (an upload, a
    directive to register from, a units import) plus BODY_HEADROOM, rounded up."""
    largest = max(settings.UPLOAD_MAX_BYTES, settings.INTAKE_MAX_BYTES, settings.UNIT_IMPORT_MAX_BYTES)
    return max(math.ceil(largest / MEGABYTE * (1 + BODY_HEADROOM)), math.ceil(largest / MEGABYTE) + 1)


def fill(text, values):
    """`text` with every {{name}} replaced; CommandError naming any placeholder without a value."""
    missing = sorted({name for name in PLACEHOLDER.findall(text) if name not in values})
    if missing:
        raise CommandError(f"no value for placeholder(s): {', '.join(missing)}")
    return PLACEHOLDER.sub(lambda match: str(values[match.group(1)]), text)


def _megabytes(value):
    return f"{value / MEGABYTE:g}"


class Command(BaseCommand):
    help = "Render the deployment kit of deploy/ (systemd units, nginx site, environment file) into a folder."
    # Rendered before the machine has its SECRET_KEY: the checks that refuse the demo key do not apply.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="folder to write the rendered files into")
        parser.add_argument("--mode", choices=sorted(NGINX_TEMPLATES), default="tls",
                            help="tls: HTTPS ends at nginx, Secure cookies (default); http: plain HTTP on a closed intranet")
        parser.add_argument("--server-name", default="campaign.example.gov.cn", help="the site's host name")
        parser.add_argument("--app-dir", default=str(settings.BASE_DIR), help="the checkout (manage.py's folder)")
        parser.add_argument("--venv", default=None, help="the virtualenv (default: APP_DIR/.venv)")
        parser.add_argument("--user", default="campaign", help="the dedicated system user the services run as")
        parser.add_argument("--group", default=None, help="its group (default: the user's name)")
        parser.add_argument("--env-file", default="/etc/campaign/campaign.env")
        parser.add_argument("--var-dir", default=None, help="VAR_DIR (default: the setting in force)")
        parser.add_argument("--media-root", default=None, help="MEDIA_ROOT (default: VAR_DIR/uploads, or the setting)")
        parser.add_argument("--static-root", default=None, help="STATIC_ROOT (default: VAR_DIR/staticfiles, or the setting)")
        parser.add_argument("--bind", default="127.0.0.1:8000", help="gunicorn's address, nginx's upstream")
        parser.add_argument("--http-port", type=int, default=80, help="nginx's plain HTTP port")
        parser.add_argument("--https-port", type=int, default=443, help="nginx's HTTPS port (tls)")
        parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
        parser.add_argument("--timeout", type=int, default=120, help="gunicorn's --timeout in seconds")
        parser.add_argument("--tls-certificate", default="/etc/ssl/certs/campaign.pem")
        parser.add_argument("--tls-certificate-key", default="/etc/ssl/private/campaign.key")

    def handle(self, *args, **options):
        values = self.values(options)
        rendered = {name: fill((DEPLOY_DIR / template).read_text(), values) for name, template in UNITS.items()}
        rendered[NGINX_FILE] = fill((DEPLOY_DIR / NGINX_TEMPLATES[options["mode"]]).read_text(), values)
        rendered[ENV_FILE] = fill((DEPLOY_DIR / "campaign.env.example").read_text(), values)
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        for name, text in rendered.items():
            (out / name).write_text(text)
        self.stdout.write(
            f"rendered {len(rendered)} files into {out} ({options['mode']}; "
            f"client_max_body_size {values['client_max_body_size']})"
        )

    def values(self, options):
        app_dir = Path(options["app_dir"]).resolve()
        if options["var_dir"]:
            var_dir = Path(options["var_dir"])
            media_root = Path(options["media_root"] or var_dir / "uploads")
            static_root = Path(options["static_root"] or var_dir / "staticfiles")
        else:
            var_dir = Path(settings.VAR_DIR)
            media_root = Path(options["media_root"] or settings.MEDIA_ROOT)
            static_root = Path(options["static_root"] or settings.STATIC_ROOT)
        prefix = settings.UPLOAD_X_ACCEL_REDIRECT_PREFIX or DEFAULT_X_ACCEL_PREFIX
        prefix = "/" + prefix.strip("/") + "/"
        file_system = settings.STORAGES["default"]["BACKEND"] == FILE_SYSTEM_STORAGE
        tls = options["mode"] == "tls"
        scheme = "https" if tls else "http"
        default_port = 443 if tls else 80
        port = options["https_port"] if tls else options["http_port"]
        writable = [var_dir] + ([media_root] if not media_root.is_relative_to(var_dir) else [])
        user = options["user"]
        group = options["group"] or user
        channels = [channel for channel in settings.NOTIFICATION_CHANNELS if channel]
        units = ["campaign-web.service", "campaign-worker.service",
                 *(f"campaign-worker@{channel}.service" for channel in channels), "campaign-beat.service"]
        values = {
            "mode": options["mode"],
            "mode_label": "HTTPS, TLS ending at nginx" if tls else "plain HTTP on a closed intranet",
            "server_name": options["server_name"],
            "site_url": f"{scheme}://{options['server_name']}" + (f":{port}" if port != default_port else ""),
            "app_dir": app_dir,
            "venv": Path(options["venv"]).resolve() if options["venv"] else app_dir / ".venv",
            "user": user,
            "group": group,
            "env_file": options["env_file"],
            "var_dir": var_dir,
            "media_root": media_root,
            "static_root": static_root,
            "writable_paths": " ".join(str(path) for path in writable),
            "bind": options["bind"],
            "http_port": options["http_port"],
            "https_port": options["https_port"],
            "https_port_suffix": f":{options['https_port']}" if options["https_port"] != 443 else "",
            "workers": options["workers"],
            "timeout": options["timeout"],
            "proxy_timeout": options["timeout"] + 5,
            "units": " ".join(units),
            "client_max_body_size": f"{body_size_megabytes()}m",
            "upload_max_mb": _megabytes(settings.UPLOAD_MAX_BYTES),
            "intake_max_mb": _megabytes(settings.INTAKE_MAX_BYTES),
            "unit_import_max_mb": _megabytes(settings.UNIT_IMPORT_MAX_BYTES),
            "x_accel_prefix": prefix,
            # X-Accel-Redirect hands nginx a path under MEDIA_ROOT: with another storage Django streams.
            "x_accel_prefix_env": prefix if file_system else "",
            "tls_certificate": options["tls_certificate"],
            "tls_certificate_key": options["tls_certificate_key"],
            "cookie_secure": 1 if tls else 0,
            "proxy_ssl_header": "HTTP_X_FORWARDED_PROTO" if tls else "",
            "ssl_redirect": 1 if tls else 0,
        }
        values["hardening"] = fill((DEPLOY_DIR / "hardening.in").read_text().rstrip("\n"), values)
        values["locations"] = fill((DEPLOY_DIR / "nginx-locations.in").read_text().rstrip("\n"), values)
        return values

