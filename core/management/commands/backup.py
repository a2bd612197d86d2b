"""manage.py backup DIR: a consistent copy of the database and of the stored files, with a
manifest (core.backup). Exit code 1 if no complete backup was written; warnings (files missing
or not referenced) are printed and kept in the manifest, and do not fail the backup."""

import getpass
import logging
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from core.backup import making
from core.backup.database import BackupError

# An operator's action on the whole database: no row of ours stands for it, so it is logged
# here rather than written to the audit trail (an audit row written after the dump would not
# be in the backup; one written by a restore would break its row-count check).
security = logging.getLogger("security")


class Command(BaseCommand):
    help = "Write a backup of the database and the uploaded files into a new directory."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="a directory that does not exist yet (or is empty)")

    def handle(self, directory, **options):
        started = time.monotonic()
        try:
            written = making.make(directory)
        except (BackupError, DatabaseError, OSError) as error:
            raise CommandError(f"backup failed: {error}") from error
        elapsed = time.monotonic() - started
        for warning in written["warnings"]:
            self.stderr.write(self.style.WARNING(describe(warning)))
        size = sum(entry["size"] for entry in written["files"])
        self.stdout.write(
            f"Backup written to {directory} in {elapsed:.1f} s: {written['engine']} database "
            f"({len(written['tables'])} tables, {sum(written['tables'].values())} rows), "
            f"{len(written['files'])} files ({size} bytes), {len(written['warnings'])} warnings."
        )
        security.info(
            "backup written to %s by %s: %s, %d tables, %d files, %d warnings", directory, getpass.getuser(),
            written["engine"], len(written["tables"]), len(written["files"]), len(written["warnings"]),
        )


def describe(warning):
    rows = ", ".join(warning.get("rows", []))
    kind = warning["kind"]
    if kind == "missing":
        return f"warning: {warning['path']} is named by {rows} but is not on disk (not in the backup)"
    if kind == "unreferenced":
        return f"warning: {warning['path']} is on disk but no row names it (not in the backup)"
    if kind == "changed":
        return (f"warning: {warning['path']} ({rows}) has SHA-256 {warning['sha256']}, "
                f"its row records {', '.join(warning['recorded_sha256'])} (copied as it is)")
    if kind == "unsafe_path":
        return f"warning: {warning['path']} ({rows}) is not a path inside MEDIA_ROOT (not copied)"
    return f"warning: {warning.get('message', kind)}"
