"""Restoring a backup directory into an empty database and an empty (or missing) MEDIA_ROOT,
then checking it: every file's SHA-256 while it is copied, every table's row count afterwards."""

from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from core.backup import database, manifest, media
from core.backup.database import BackupError


@dataclass
class Restored:
    tables: int = 0
    rows: int = 0
    files: int = 0
    bytes: int = 0
    unapplied_migrations: int = 0
    problems: list = field(default_factory=list)


def check_targets_empty():
    """Refuse a database with rows in any table, and a MEDIA_ROOT holding files."""
    busy = database.tables_with_rows()
    if busy:
        shown = ", ".join(f"{table} ({rows} rows)" for table, rows in sorted(busy.items())[:5])
        raise BackupError(
            f"the target database is not empty: {len(busy)} tables have rows, e.g. {shown}. "
            "Restore into a new, empty database (e.g. createdb, or a new SQLite file)."
        )
    present = media.files_under(media.media_root())
    if present:
        raise BackupError(
            f"MEDIA_ROOT {media.media_root()} holds {len(present)} files, e.g. {present[0]}: "
            "restore into an empty or missing MEDIA_ROOT."
        )


def restore(directory):
    """Restore `directory`; return a Restored whose `problems` list every mismatch found."""
    folder = Path(directory)
    written = manifest.read(folder)
    if written.get("engine") != database.engine():
        raise BackupError(
            f"the backup is of a {written.get('engine')} database, the configured one is {database.engine()}"
        )
    if not media.on_file_system():
        raise BackupError("uploads are configured to live in an object store: restore needs file-system storage")
    check_targets_empty()
    database.load(folder, written["database"])
    result = Restored()
    _check_counts(written["tables"], database.restored_counts(), result)
    _copy_files(folder / "media", written["files"], result)
    executor = MigrationExecutor(connection)
    result.unapplied_migrations = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    return result


def _check_counts(expected, found, result):
    result.tables, result.rows = len(found), sum(found.values())
    for table in sorted(set(expected) | set(found)):
        if expected.get(table) != found.get(table):
            result.problems.append(f"table {table}: {expected.get(table)} rows in the backup, {found.get(table)} restored")


def _copy_files(source_root, files, result):
    root = media.media_root()
    for entry in files:
        path = entry["path"]
        try:
            source, target = media.inside(source_root, path), media.inside(root, path)
        except media.UnsafePath as error:
            result.problems.append(f"file {path}: {error}")
            continue
        if not source.is_file():
            result.problems.append(f"file {path}: missing from the backup")
            continue
        size, sha256 = media.copy(source, target)
        result.files += 1
        result.bytes += size
        if (size, sha256) != (entry["size"], entry["sha256"]):
            result.problems.append(
                f"file {path}: {size} bytes, SHA-256 {sha256}; the manifest says {entry['size']} bytes, {entry['sha256']}"
            )
