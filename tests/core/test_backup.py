"""manage.py backup and restore: the demo backed up from the test database and restored by a
`manage.py restore` process into a new database and MEDIA_ROOT has the same rows in every table
and the same files, byte for byte; a restore into a database with rows is refused."""

import hashlib
import io
import json
import os
import secrets
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from files.inventory import stored_file_models
from tests.conftest import load_demo

ROOT = Path(__file__).resolve().parents[2]
POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def counts(cursor, tables):
    result = {}
    for table in tables:
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
        result[table] = cursor.fetchone()[0]
    return result


def hashes(root):
    return {path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in Path(root).rglob("*") if path.is_file()}


def manage_restore(backup, database_url, media_root):
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": database_url, "MEDIA_ROOT": str(media_root)}
    return subprocess.run([sys.executable, "manage.py", "restore", str(backup)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def back_up_the_demo(tmp_path, settings):
    """Load the demo (committed: transactional_db), back it up in this process; return the
    backup directory, the row count of every table and the stored files' hashes."""
    settings.MEDIA_ROOT = tmp_path / "uploads"
    load_demo(verbosity=0, story=False)
    backup = tmp_path / "backup"
    call_command("backup", str(backup), stdout=io.StringIO(), stderr=io.StringIO())
    with connection.cursor() as cursor:
        rows = counts(cursor, connection.introspection.table_names(cursor))
    recorded = {row.stored_name: row.sha256 for model in stored_file_models()
                for row in model.objects.exclude(stored_name="")}
    files = hashes(settings.MEDIA_ROOT)
    assert recorded and files == recorded  # the demo's lookback plan, at least
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["tables"] == rows and manifest["warnings"] == []
    assert {entry["path"]: entry["sha256"] for entry in manifest["files"]} == files
    return backup, rows, files


def restore_into_new(backup, database_url, media_root):
    """Restore into a new database; first, restoring into the test database (rows) is refused."""
    with pytest.raises(CommandError, match="the target database is not empty: .*"):
        call_command("restore", str(backup))
    done = manage_restore(backup, database_url, media_root)
    assert done.returncode == 0, done.stderr
    assert "Every table's row count and every file's SHA-256 match the manifest." in done.stdout


@pytest.mark.skipif(not POSTGRES, reason="PostgreSQL: pg_dump and pg_restore")
def test_the_demo_restores_into_a_new_postgresql_database(transactional_db, settings, tmp_path):
    backup, rows, files = back_up_the_demo(tmp_path, settings)
    database = connection.settings_dict
    name = f"wt_backup_restore_{secrets.token_hex(4)}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        address = {"user": database["USER"], "password": database["PASSWORD"], "host": database["HOST"] or "127.0.0.1",
                   "port": database["PORT"] or 5432, "dbname": name}
        password = f":{address['password']}" if address["password"] else ""
        url = f"postgres://{address['user']}{password}@{address['host']}:{address['port']}/{name}"
        restore_into_new(backup, url, tmp_path / "restored")
        with closing(psycopg2.connect(**address)) as restored, restored.cursor() as cursor:
            assert counts(cursor, rows) == rows
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    assert hashes(tmp_path / "restored") == files


@pytest.mark.skipif(POSTGRES, reason="SQLite: the backup API and a copied file")
def test_the_demo_restores_into_a_new_sqlite_database(transactional_db, settings, tmp_path):
    backup, rows, files = back_up_the_demo(tmp_path, settings)
    target = tmp_path / "restored.sqlite3"
    restore_into_new(backup, f"sqlite:///{target}", tmp_path / "restored")
    with closing(sqlite3.connect(target)) as restored:
        assert counts(restored.cursor(), rows) == rows
    assert hashes(tmp_path / "restored") == files
