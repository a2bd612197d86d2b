"""core's readiness checks (core.health): the database, the cache, the Celery broker, the disk under
MEDIA_ROOT and the work calendar. Registered in CoreConfig.ready(); each returns None or a short
fixed reason, and has a timeout of its own shorter than READYZ_TIMEOUT_SECONDS."""

import os
import shutil
import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import FileSystemStorage, storages
from django.db import connection
from kombu import Connection

from core import checks, workdays
from core.health import register_readiness_check

# Seconds to wait for a broker other than the embedded one (Redis: connect and answer PING).
BROKER_TIMEOUT = 2.0


def database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def cache_works():
    """Write a key and read it back. The Redis cache forgives an outage (core.cache): a write that
    was skipped reads back as nothing."""
    key, value = f"readyz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, timeout=30)
    read = cache.get(key)
    cache.delete(key)
    return None if read == value else "unreachable"


def broker():
    """The embedded broker of `make run` (filesystem://) is its folders: they must exist and be
    writable. Any other broker (Redis) must accept a connection within BROKER_TIMEOUT."""
    url = settings.CELERY_BROKER_URL
    options = dict(getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}))
    if url.startswith("filesystem://"):
        folders = {options.get("data_folder_in"), options.get("data_folder_out"), options.get("processed_folder")} - {None}
        if not all(os.path.isdir(folder) and os.access(folder, os.W_OK | os.X_OK) for folder in folders):
            return "folders missing or not writable"
        return None
    options.update(socket_connect_timeout=BROKER_TIMEOUT, socket_timeout=BROKER_TIMEOUT)
    with Connection(url, connect_timeout=BROKER_TIMEOUT, transport_options=options) as conn:
        try:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=BROKER_TIMEOUT)
        except Exception:  # any failure to connect (kombu's, the socket's): the reason is all it may say
            return "unreachable"
    return None


def _size(megabytes):
    return f"{megabytes // 1024} GB" if megabytes % 1024 == 0 else f"{megabytes} MB"


def upload_disk():
    """Free space on the file system holding MEDIA_ROOT (its nearest existing folder before the first
    upload creates it) of at least READYZ_MIN_FREE_MB."""
    path = Path(settings.MEDIA_ROOT)
    while not path.exists() and path != path.parent:
        path = path.parent
    free_mb = shutil.disk_usage(path).free // (1024 * 1024)
    minimum = settings.READYZ_MIN_FREE_MB
    return None if free_mb >= minimum else f"less than {_size(minimum)} free"


def work_calendar():
    """The work calendar covers the years core.checks asks for: this year, and next year from
    1 November (the State Council's notice comes out in October or November, so asking earlier
    would fail every instance for most of the year)."""
    if not checks.missing_years():
        return None
    # core.workdays remembers the declared years per process; a year imported since by another
    # process (manage.py import_calendar, another web worker) is seen once the memory is dropped.
    # Dropped only while the answer is "missing", so a ready instance does not re-read the table.
    workdays.forget()
    return "year not entered" if checks.missing_years() else None


def register():
    register_readiness_check("database", database)
    register_readiness_check("cache", cache_works)
    register_readiness_check("broker", broker)
    # Uploads kept elsewhere (an object store) have no disk here to run out of.
    if isinstance(storages["default"], FileSystemStorage):
        register_readiness_check("disk", upload_disk)
    register_readiness_check("calendar", work_calendar)
