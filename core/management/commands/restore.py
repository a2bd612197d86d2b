"""manage.py restore DIR: a backup of `manage.py backup` into an empty database and an empty (or
missing) MEDIA_ROOT, checked file by file (SHA-256) and table by table (row counts). Exit code 1
on a refusal or any mismatch."""

import getpass
import logging
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from core.backup import restoring
from core.backup.database import BackupError

security = logging.getLogger("security")  # why not the audit trail: see core/management/commands/backup.py


class Command(BaseCommand):
    help = "Restore a backup directory into an empty database and an empty MEDIA_ROOT, and verify it."
    # The target database is empty, and the system checks read it.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("directory", help="a directory written by manage.py backup")

    def handle(self, directory, **options):
        started = time.monotonic()
        try:
            result = restoring.restore(directory)
        except (BackupError, DatabaseError, OSError) as error:
            raise CommandError(f"restore refused or failed: {error}") from error
        elapsed = time.monotonic() - started
        database = settings.DATABASES["default"]["NAME"]
        security.info(
            "backup %s restored into %s by %s: %d tables, %d files, %d problems", directory, database,
            getpass.getuser(), result.tables, result.files, len(result.problems),
        )
        for problem in result.problems:
            self.stderr.write(self.style.ERROR(problem))
        self.stdout.write(
            f"Restored {directory} into {database} in {elapsed:.1f} s: {result.tables} tables, {result.rows} rows, "
            f"{result.files} files ({result.bytes} bytes) into {settings.MEDIA_ROOT}."
        )
        if result.unapplied_migrations:
            self.stdout.write(
                f"{result.unapplied_migrations} migrations of this code are newer than the backup: run manage.py migrate."
            )
        if result.problems:
            raise CommandError(f"the restore does not match the backup: {len(result.problems)} problems (listed above)")
        self.stdout.write(self.style.SUCCESS("Every table's row count and every file's SHA-256 match the manifest."))
