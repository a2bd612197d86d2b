"""Writing a backup directory: the database first, then the files its rows name, then the
manifest. Everything goes into a temporary sibling that is renamed to the requested name only
when complete, so a directory by that name is always a whole backup."""

import os
import shutil
import tempfile
from pathlib import Path

from core.backup import database, manifest, media
from core.backup.database import BackupError


def target_directory(directory):
    """The requested directory, refused if it exists and is not an empty folder."""
    target = Path(directory).absolute()
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BackupError(f"{target} already exists and is not empty: name a new (or empty) directory")
    return target


def make(directory):
    """Write a backup into `directory`; return its manifest."""
    target = target_directory(directory)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-", dir=target.parent))
    try:
        written = _write(partial)
        os.rename(partial, target)  # replaces an empty folder; fails if one appeared meanwhile
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return written


def _write(folder):
    copied = database.copy(folder)
    files, warnings = _copy_files(copied.stored, folder / "media")
    written = {
        "format": manifest.FORMAT,
        "created_at": manifest.created_at(),
        "engine": database.engine(),
        "database": copied.file,
        "migrations": copied.migrations,
        "tables": copied.tables,
        "files": files,
        "warnings": warnings,
    }
    manifest.write(folder, written)
    return written


def _copy_files(stored_rows, target_root):
    """Copy the files named by `stored_rows` from MEDIA_ROOT; return (files, warnings)."""
    target_root.mkdir()
    if not media.on_file_system():
        return [], [{"kind": "object_storage", "message": "uploads are kept in an object store, not under "
                     "MEDIA_ROOT: back them up with the store's own tools; no file was copied"}]
    by_name = {}
    for row in stored_rows:
        by_name.setdefault(row.name, []).append(row)
    root, files, warnings = media.media_root(), [], []
    for name, rows in sorted(by_name.items()):
        where = [f"{row.table} #{row.pk}" for row in rows]
        try:
            source = media.inside(root, name)
        except media.UnsafePath:
            warnings.append({"kind": "unsafe_path", "path": name, "rows": where})
            continue
        if not source.is_file():
            warnings.append({"kind": "missing", "path": name, "rows": where})
            continue
        size, sha256 = media.copy(source, media.inside(target_root, name))
        files.append({"path": name, "size": size, "sha256": sha256})
        recorded = {row.sha256 for row in rows if row.sha256}
        if recorded and recorded != {sha256}:
            warnings.append({"kind": "changed", "path": name, "rows": where, "recorded_sha256": sorted(recorded),
                             "sha256": sha256})
    warnings.extend(
        {"kind": "unreferenced", "path": name} for name in media.files_under(root) if name not in by_name
    )
    return files, warnings
