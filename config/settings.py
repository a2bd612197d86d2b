"""Settings for the campaign workflow tracker.

Everything that differs between a laptop demo and a provincial deployment comes
from the environment; every variable has a default that runs the demo on SQLite
with no servers.
"""

import json
import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# Public, so accepted with DEBUG on only: with DEBUG off start-up stops until SECRET_KEY is set
# (access.checks, error access.E001).
DEMO_SECRET_KEY = "insecure-demo-key-set-SECRET_KEY-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY") or DEMO_SECRET_KEY
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Where uploaded files, the embedded broker and the SQLite file live.
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "guardian",
    "axes",
    "import_export",
    # django-ninja's own templates and static files: the API docs page without a CDN.
    "ninja",
    "core",
    "accounts",
    "audit",
    "access",
    "files",
    "units",
    "campaign",
    "supervision",
    "rectification",
    "notifications",
    "personnel",
    "api",
    "demo",
]

MIDDLEWARE = [
    # First: every later middleware, view and error page logs under the request's id (core.log_context).
    "core.log_context.RequestIdMiddleware",
    # Before the HTTPS redirect, the host check and sign-in: a load balancer's probe gets its JSON (core.probes).
    "core.probes.HealthProbeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: the signed-in user's id on the request's log lines.
    "core.log_context.RequestUserMiddleware",
    # Before anything that writes: each request starts with no audit channel (an API token's name).
    "audit.middleware.ChannelMiddleware",
    # After authentication: a signed-in person's chosen language counts when no cookie says otherwise.
    "config.middleware.ChosenLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.middleware.RefuseNulCharactersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "access.middleware.ContentSecurityPolicyMiddleware",
    "access.middleware.PrivateResponsesMiddleware",
    # After authentication: someone given an initial password reaches only the password change.
    "accounts.middleware.PasswordChangeRequiredMiddleware",
    # After authentication: a superuser's session may run at a pinned moment (core.clock).
    "core.middleware.PinnedClockMiddleware",
    # After authentication: what a person changes drops the figures kept for them (core.personal_cache).
    "core.personal_cache.ForgetAfterWriteMiddleware",
    # Last, as django-axes asks: turns a lockout into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "access.context_processors.shell",
                "core.context_processors.clock_ribbon",
                "campaign.context_processors.campaign_switcher",
                "notifications.context_processors.unread_notifications",
                "notifications.context_processors.todo_count",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# A connection kept open (conn_max_age) is checked before a request reuses it: after a PostgreSQL
# restart or a terminated session the request opens a new one instead of failing.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the worker writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
    DATABASES["default"]["OPTIONS"]["timeout"] = 20

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# A person's page is an office page of personnel, an app above accounts (which knows no pages).
ABSOLUTE_URL_OVERRIDES = {"accounts.user": lambda user: reverse("personnel:account", args=[user.pk])}

AUTHENTICATION_BACKENDS = [
    # django-axes lockout first: a locked-out login never reaches the password check.
    "access.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
ANONYMOUS_USER_NAME = None  # guardian: no anonymous user row

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "full_name", "email", "mobile")},
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files: the file system under MEDIA_ROOT, or any Django storage backend (e.g. an
# S3-compatible one from django-storages, installed by the deployment) with its options as JSON.
STORAGES = {
    "default": {
        "BACKEND": os.environ.get("UPLOAD_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"),
        "OPTIONS": json.loads(os.environ.get("UPLOAD_STORAGE_OPTIONS", "{}")),
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploaded materials live outside the static root and are only served by a
# permission-checked view, never by URL.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "uploads"))
# Empty (Django's "not set"): no URL serves MEDIA_ROOT. None would break Django's live
# test server, which parses MEDIA_URL as a string.
MEDIA_URL = ""

# Email: console in the demo, SMTP when EMAIL_HOST is set.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Seconds a mail server may take over any one exchange before the send fails (and is retried).
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "campaign-tracker@localhost")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend",
)

# Redis when REDIS_URL is set; otherwise an embedded broker on the file system
# and a local-memory cache, so that the demo needs no server.
REDIS_URL = os.environ.get("REDIS_URL", "")
# Redis may be down or hung: a page waits at most REDIS_CACHE_TIMEOUT seconds for the cache (then
# computes without it: core.cache) and about twice REDIS_BROKER_TIMEOUT to queue work (then leaves
# it for the periodic jobs: core.queueing). The broker's timeout stays above the worker's 1-second
# BRPOP, which it would otherwise cut short.
REDIS_CACHE_TIMEOUT = float(os.environ.get("REDIS_CACHE_TIMEOUT", "0.5"))
REDIS_BROKER_TIMEOUT = float(os.environ.get("REDIS_BROKER_TIMEOUT", "2"))
# The office dashboard shows the figures last counted (统计截至 HH:MM, campaign.dashboard_cache): a
# worker counts them again after a change under the subtree, or once they are this many seconds old
# (the clock makes obligations overdue).
DASHBOARD_REFRESH_SECONDS = int(os.environ.get("DASHBOARD_REFRESH_SECONDS", "60"))
# A person's own figures on every page (the to-do badge, a review queue's filter choices) are kept
# this many seconds; their own changes and notices to them drop them at once (core.personal_cache).
PERSONAL_FIGURES_SECONDS = int(os.environ.get("PERSONAL_FIGURES_SECONDS", "30"))
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # A message taken by a worker that died is handed out again after this long. Deliveries do not
    # wait for it (their lease does the same within seconds); it must outlast the longest task.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "1800")),
        "socket_connect_timeout": REDIS_BROKER_TIMEOUT,
        "socket_timeout": REDIS_BROKER_TIMEOUT,
    }
    CACHES = {
        "default": {
            "BACKEND": "core.cache.BestEffortRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": REDIS_CACHE_TIMEOUT, "socket_timeout": REDIS_CACHE_TIMEOUT},
        }
    }
else:
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
    }
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# The campaign's clock (core.clock): empty for real time; a moment such as 2014-01-08T10:00+08:00
# starts the clock there and lets it run on (a demo or a training system; make run sets it).
# Every page then carries a ribbon "演示时间：…".
CAMPAIGN_CLOCK = os.environ.get("CAMPAIGN_CLOCK", "").strip()

# Traffic light (DESIGN rule 4): open work due within this many days shows yellow.
TRAFFIC_LIGHT_DUE_SOON_DAYS = int(os.environ.get("TRAFFIC_LIGHT_DUE_SOON_DAYS", "3"))

# A requirement's fan-out or deadline move over more obligations than this runs as a background
# job with a progress bar (campaign.bulk, core.jobs); up to it, in the request.
BULK_INLINE_LIMIT = int(os.environ.get("BULK_INLINE_LIMIT", "2000"))

# Reminders (notifications app): a database sweep run by beat; see notifications/sweep.py.
REMINDER_SWEEP_SECONDS = int(os.environ.get("REMINDER_SWEEP_SECONDS", "300"))
# A sender's claim on a delivery lasts this long and is renewed every third of it while it sends:
# a dead sender's deliveries are taken over within a lease (notifications/sending.py).
REMINDER_LEASE_SECONDS = int(os.environ.get("REMINDER_LEASE_SECONDS", "30"))
# A failed delivery is retried after REMINDER_RETRY_BASE_SECONDS, then twice as long each time up
# to REMINDER_RETRY_MAX_SECONDS between attempts, for REMINDER_RETRY_WINDOW_HOURS after it was made
# (or resent); then it is failed, shown to the office, and can be resent. REMINDER_MAX_ATTEMPTS,
# when set above 0, also stops it after that many attempts.
# Escalations and overdue repeats that fall on a day off go out on the next working day.
REMINDER_ESCALATE_ON_WORKDAYS = env_bool("REMINDER_ESCALATE_ON_WORKDAYS", True)
REMINDER_RETRY_BASE_SECONDS = int(os.environ.get("REMINDER_RETRY_BASE_SECONDS", "60"))
REMINDER_RETRY_MAX_SECONDS = int(os.environ.get("REMINDER_RETRY_MAX_SECONDS", "3600"))
REMINDER_RETRY_WINDOW_HOURS = float(os.environ.get("REMINDER_RETRY_WINDOW_HOURS", "72"))
REMINDER_MAX_ATTEMPTS = int(os.environ.get("REMINDER_MAX_ATTEMPTS", "0"))
# Sending (notifications/dispatch.py): how often the dispatcher looks for deliveries without a
# message on their way; how long a queued message may wait in an empty queue before it counts as
# lost; deliveries per task (in-app notices are quick); the time limit of one send; how long the
# bookkeeping after a send keeps retrying while the database is away.
DELIVERY_DISPATCH_SECONDS = float(os.environ.get("DELIVERY_DISPATCH_SECONDS", "10"))
# Event notifications (notifications/events.py: a new obligation, a decision, a chase …) wait at
# most this long to be gathered into one digest per person.
EVENT_FLUSH_SECONDS = float(os.environ.get("EVENT_FLUSH_SECONDS", "60"))
DELIVERY_LOST_AFTER_SECONDS = int(os.environ.get("DELIVERY_LOST_AFTER_SECONDS", "30"))
DELIVERY_BATCH_SIZE = int(os.environ.get("DELIVERY_BATCH_SIZE", "20"))
DELIVERY_BATCH_SIZES = {"inapp": int(os.environ.get("DELIVERY_INAPP_BATCH_SIZE", "200"))}
DELIVERY_SEND_SECONDS = int(os.environ.get("DELIVERY_SEND_SECONDS", "60"))
DELIVERY_BOOKKEEPING_SECONDS = int(os.environ.get("DELIVERY_BOOKKEEPING_SECONDS", "120"))
NOTIFICATION_CHANNELS = env_list("NOTIFICATION_CHANNELS", "inapp,email")
# Queues: the sweep and the dispatcher have their own; each channel's deliveries go to
# deliveries.<channel> (notifications/dispatch.py); unit imports use the default queue "celery".
# A worker started without -Q takes them all (the demo); in production each gets its own worker
# (README: Reminders), so a stuck mail server holds back neither in-app notices nor the sweep.
# A channel given by its dotted path has the queue deliveries.<dotted path>.
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = [
    Queue(name) for name in ["celery", "sweep", *(f"deliveries.{entry}" for entry in NOTIFICATION_CHANNELS)]
]
CELERY_TASK_ROUTES = {
    "notifications.tasks.sweep_reminders": {"queue": "sweep"},
    "notifications.tasks.dispatch_deliveries": {"queue": "sweep"},
    "notifications.tasks.flush_events": {"queue": "sweep"},
}
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# A step of a unit import not taken by a worker this many seconds after it was queued (its message
# lost, or never sent while the broker was down) is queued again; beat looks this often.
UNIT_IMPORT_RESUME_SECONDS = int(os.environ.get("UNIT_IMPORT_RESUME_SECONDS", "300"))
CELERY_BEAT_SCHEDULE = {
    "reminder-sweep": {"task": "notifications.tasks.sweep_reminders", "schedule": float(REMINDER_SWEEP_SECONDS)},
    "delivery-dispatch": {"task": "notifications.tasks.dispatch_deliveries", "schedule": DELIVERY_DISPATCH_SECONDS},
    "event-flush": {"task": "notifications.tasks.flush_events", "schedule": EVENT_FLUSH_SECONDS},
    "unit-import-expiry": {"task": "units.tasks.expire_unit_imports", "schedule": 3600.0},
    "unit-import-resume": {"task": "units.tasks.resume_unit_imports", "schedule": float(UNIT_IMPORT_RESUME_SECONDS)},
    # Background jobs (core.jobs) whose message was lost or whose worker died are queued again.
    "job-resume": {"task": "core.tasks.resume_jobs", "schedule": 120.0},
    # Recurring requirements (每月5日前): the periods coming within each one's horizon get their obligations.
    "recurring-periods": {"task": "campaign.tasks.issue_recurring_periods", "schedule": 3600.0},
    # Housekeeping, nightly (Asia/Shanghai) while nobody works: expired sessions; sent reminders and
    # delivered digests past REMINDER_RETENTION_DAYS (notifications.actions.purge_sent_reminders);
    # directive intakes left unfinished past INTAKE_RETENTION_DAYS, abandoned with their files.
    "session-purge": {"task": "core.tasks.clear_expired_sessions", "schedule": crontab(hour=3, minute=10)},
    "reminder-purge": {"task": "notifications.tasks.purge_sent_reminders", "schedule": crontab(hour=3, minute=20)},
    "intake-purge": {"task": "campaign.tasks.abandon_stale_intakes", "schedule": crontab(hour=3, minute=30)},
    "job-result-purge": {"task": "core.tasks.purge_job_results", "schedule": crontab(hour=3, minute=40)},
}
# Housekeeping: days a sent reminder row and a delivered digest are kept (never fewer than the
# sweep needs to remember it was sent), days an unfinished directive intake keeps its file.
REMINDER_RETENTION_DAYS = int(os.environ.get("REMINDER_RETENTION_DAYS", "730"))
INTAKE_RETENTION_DAYS = int(os.environ.get("INTAKE_RETENTION_DAYS", "30"))
# Days the file a background job wrote (an export) can be downloaded after the job ended (core.jobs).
JOB_RESULT_RETENTION_DAYS = int(os.environ.get("JOB_RESULT_RETENTION_DAYS", "7"))

# Units: the shape of a unit code (a regular expression the whole code must match) and how a
# message describes it; unit imports (units/imports.py): caps checked before a file is read, the
# row count above which checking and importing run in the worker, hours an unconfirmed upload is kept.
UNIT_CODE_PATTERN = os.environ.get("UNIT_CODE_PATTERN", r"[0-9A-Za-z]+(?:-[0-9A-Za-z]+)*")
UNIT_CODE_RULE = os.environ.get("UNIT_CODE_RULE") or _("只能由字母和数字组成，可用“-”分段，如 330106、330000-01")
UNIT_IMPORT_MAX_BYTES = int(os.environ.get("UNIT_IMPORT_MAX_BYTES", str(10 * 1024 * 1024)))
UNIT_IMPORT_MAX_ROWS = int(os.environ.get("UNIT_IMPORT_MAX_ROWS", "60000"))
UNIT_IMPORT_ASYNC_ROWS = int(os.environ.get("UNIT_IMPORT_ASYNC_ROWS", "2000"))
UNIT_IMPORT_KEEP_HOURS = int(os.environ.get("UNIT_IMPORT_KEEP_HOURS", "24"))

SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Login lockout (django-axes, access.lockout): AXES_FAILURE_LIMIT failed logins for one username
# from one client address lock that pair out for AXES_COOLOFF_HOURS; AXES_ADDRESS_FAILURE_LIMIT
# failed logins from one address, whatever the usernames, lock the address (0: no address limit).
AXES_HANDLER = "access.lockout.PairAndAddressLockoutHandler"
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_ADDRESS_FAILURE_LIMIT = int(os.environ.get("AXES_ADDRESS_FAILURE_LIMIT", "20"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = "access.lockout.lockout_parameters"
AXES_USERNAME_CALLABLE = "access.lockout.attempted_username"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = env_bool("AXES_VERBOSE", False)
AXES_LOCKOUT_TEMPLATE = os.environ.get("AXES_LOCKOUT_TEMPLATE") or "registration/locked_out.html"
AXES_LOCKOUT_CALLABLE = "access.lockout.lockout_response"
# Behind a reverse proxy: the request.META key holding the client address (e.g.
# HTTP_X_FORWARDED_FOR or HTTP_X_REAL_IP) and the number of proxies in front of Django.
# access.middleware.client_ip reads them; empty means REMOTE_ADDR.
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "")
CLIENT_IP_PROXY_COUNT = int(os.environ.get("CLIENT_IP_PROXY_COUNT", "1"))
AXES_CLIENT_IP_CALLABLE = "access.middleware.client_ip"
# The same choice for django-ipware, should it be installed (axes 8 settings).
AXES_IPWARE_META_PRECEDENCE_ORDER = (CLIENT_IP_HEADER, "REMOTE_ADDR") if CLIENT_IP_HEADER else ("REMOTE_ADDR",)
AXES_IPWARE_PROXY_COUNT = CLIENT_IP_PROXY_COUNT if CLIENT_IP_HEADER else None

# Transport security. Cookies are secure, and HSTS is sent, whenever DEBUG is off.
# TLS usually ends at the proxy: set SECURE_PROXY_SSL_HEADER_NAME (e.g.
# HTTP_X_FORWARDED_PROTO) so Django knows the request was HTTPS, and SECURE_SSL_REDIRECT=true
# unless the proxy redirects plain HTTP itself.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
# A form sent without a valid token (page left open past the session) gets a page in words.
CSRF_FAILURE_VIEW = "core.errors.csrf_failure"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
if os.environ.get("SECURE_PROXY_SSL_HEADER_NAME"):
    SECURE_PROXY_SSL_HEADER = (os.environ["SECURE_PROXY_SSL_HEADER_NAME"], "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Sent by access.middleware.ContentSecurityPolicyMiddleware; no inline scripts anywhere.
CONTENT_SECURITY_POLICY = os.environ.get(
    "CONTENT_SECURITY_POLICY",
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
)

# Logs go to standard error, one line per record with time, level, logger, request id and user id
# ("-" outside a request; a Celery task's id in the worker): plain text, or one JSON object per
# line with LOG_FORMAT=json (core.log_context). Security events (logins, lockouts, refusals,
# exports, imports, API token use) are on the logger "security" (core.security_log).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text").strip().lower()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "core.log_context.RequestContextFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [request=%(request_id)s user=%(user_id)s] %(message)s"},
        "json": {"()": "core.log_context.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_context"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Django's own handlers (its console with DEBUG, runserver's request lines) would print these
        # a second time in their own format: here they reach the root's handler only.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
    },
}
# The worker keeps this configuration rather than Celery's own format (task ids: core.log_context).
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# /readyz (core.probes, core.health): every check must answer within READYZ_TIMEOUT_SECONDS, and the
# file system holding MEDIA_ROOT must have READYZ_MIN_FREE_MB free.
READYZ_TIMEOUT_SECONDS = float(os.environ.get("READYZ_TIMEOUT_SECONDS", "3"))
READYZ_MIN_FREE_MB = int(os.environ.get("READYZ_MIN_FREE_MB", "1024"))

# The JSON API (api app): requests per token and period ("300/m", "20/s", "10000/d"), counted in
# the cache; past it the API answers 429 with Retry-After.
API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "300/m")

# Upload policy for submissions (extensions and cap are configurable).
UPLOAD_ALLOWED_EXTENSIONS = env_list(
    "UPLOAD_ALLOWED_EXTENSIONS", "pdf,doc,docx,wps,ofd,xls,xlsx,jpg,png,zip"
)
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", str(50 * 1024 * 1024)))
# Directive intake (campaign.intake.reading): the largest file whose text is read (a directive is
# rarely over a few MB; a bigger PDF is refused with a message that says this cap in MB).
INTAKE_MAX_BYTES = int(os.environ.get("INTAKE_MAX_BYTES", str(20 * 1024 * 1024)))
# Empty: Django streams downloads itself. Set (e.g. "/protected-uploads/") to hand the transfer
# to nginx with X-Accel-Redirect; nginx must map that internal location onto MEDIA_ROOT.
UPLOAD_X_ACCEL_REDIRECT_PREFIX = os.environ.get("UPLOAD_X_ACCEL_REDIRECT_PREFIX", "")
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
