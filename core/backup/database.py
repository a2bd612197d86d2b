"""The database part of a backup: a consistent copy, and what the manifest says about it.

PostgreSQL: pg_dump --format=custom runs inside a snapshot exported by a read-only REPEATABLE
READ transaction of ours (--snapshot), and the row counts, the migration state and the rows
naming stored files are read in that same transaction: they describe the dump exactly, whatever
is written meanwhile. SQLite: the sqlite3 backup API copies the file page by page under its
own lock, and the same facts are read from the copy. The password goes to pg_dump/pg_restore
in PGPASSWORD (Django's own psql helper builds the environment), never on the command line.
"""

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction
from django.db.backends.postgresql.client import DatabaseClient

from core.backup import stored_files
from core.backup.stored_files import quote

FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}


class BackupError(Exception):
    """A backup or restore cannot go on; the message says why, for the operator."""


@dataclass
class DatabaseCopy:
    file: str
    tables: dict = field(default_factory=dict)  # table -> row count
    migrations: dict = field(default_factory=dict)  # app -> latest applied migration
    stored: list = field(default_factory=list)  # StoredFileRow of the copy


def engine():
    vendor = connection.vendor
    if vendor not in FILES:
        raise BackupError(f"database engine {vendor!r} is not supported (PostgreSQL or SQLite only)")
    return vendor


def table_names(cursor, vendor):
    if vendor == "postgresql":
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
    else:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    return [name for (name,) in cursor.fetchall()]


def row_counts(cursor, tables):
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
        counts[table] = cursor.fetchone()[0]
    return counts


def migration_state(cursor, tables):
    """{app: the migration applied last}."""
    if "django_migrations" not in tables:
        return {}
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
    return dict(sorted(dict(cursor.fetchall()).items()))


def _describe(cursor, vendor, file):
    tables = table_names(cursor, vendor)
    return DatabaseCopy(
        file=file, tables=row_counts(cursor, tables), migrations=migration_state(cursor, tables),
        stored=stored_files.rows(cursor, set(tables)),
    )


def _pg_command(program, options, trailing=()):
    """[program, connection options..., options..., dbname, trailing...] and its environment."""
    args, env = DatabaseClient.settings_to_cmd_args_env(connection.settings_dict, ["--no-password", *options])
    return [program, *args[1:], *trailing], {**os.environ, **(env or {})}


def _run(args, env):
    try:
        done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError as error:
        raise BackupError(
            f"{args[0]} is not installed: install the PostgreSQL client tools of the server's major version"
        ) from error
    if done.returncode != 0:
        raise BackupError(f"{args[0]} failed (exit {done.returncode}): {done.stderr.strip()}")


def sqlite_path():
    return Path(connection.settings_dict["NAME"])


def copy(directory):
    """Copy the database into `directory`; return the DatabaseCopy describing it."""
    vendor = engine()
    target = Path(directory) / FILES[vendor]
    if vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            _run(*_pg_command("pg_dump", ["--format=custom", f"--file={target}", f"--snapshot={snapshot}"]))
            return _describe(cursor, vendor, target.name)
    if not sqlite_path().is_file():  # sqlite3.connect() would make an empty one to back up
        raise BackupError(f"the SQLite database {sqlite_path()} does not exist")
    with closing(sqlite3.connect(sqlite_path())) as source, closing(sqlite3.connect(target)) as copied:
        source.backup(copied)
        # A single file: the copy must not need a -wal beside it.
        copied.execute("PRAGMA journal_mode=DELETE")
        return _describe(copied.cursor(), vendor, target.name)


def tables_with_rows():
    """{table: rows} of the configured database's tables that are not empty (a missing SQLite
    file or a database without tables has none)."""
    vendor = engine()
    if vendor == "sqlite":
        path = sqlite_path()
        if not path.exists():
            return {}
        with closing(sqlite3.connect(path)) as database:
            cursor = database.cursor()
            counts = row_counts(cursor, table_names(cursor, vendor))
    else:
        with connection.cursor() as cursor:
            counts = row_counts(cursor, table_names(cursor, vendor))
    return {table: rows for table, rows in counts.items() if rows}


def load(directory, file):
    """Put the copy `file` of `directory` in place as the configured database (checked empty)."""
    vendor = engine()
    source = Path(directory) / file
    if file != FILES[vendor]:
        raise BackupError(f"the backup holds {file}, but the configured database is {vendor}")
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            leftovers = table_names(cursor, vendor)
        # Empty tables left by an earlier attempt are dropped first; tables with rows were refused.
        clean = ["--clean", "--if-exists"] if leftovers else []
        connection.close()
        _run(*_pg_command("pg_restore", ["--no-owner", "--exit-on-error", "--single-transaction", *clean, "--dbname"],
                          trailing=[str(source)]))
        return
    connection.close()
    path = sqlite_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.restoring")
    shutil.copyfile(source, partial)
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.replace(partial, path)


def restored_counts():
    """{table: rows} of the configured database, after a restore."""
    vendor = engine()
    with connection.cursor() as cursor:
        return row_counts(cursor, table_names(cursor, vendor))
