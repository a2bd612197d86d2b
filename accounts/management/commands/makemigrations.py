"""Django's makemigrations, after adopting an existing auth_user table (accounts.adoption):
its consistency check would otherwise refuse a database made before accounts existed."""

from django.conf import settings
from django.core.management.commands import makemigrations
from django.db import connections
from django.db.utils import OperationalError

from accounts.adoption import adopt_user_table


class Command(makemigrations.Command):
    def handle(self, *app_labels, **options):
        for alias in sorted(settings.DATABASES):
            try:
                adopt_user_table(connections[alias])
            except OperationalError:
                pass  # no database to read yet: makemigrations itself only warns about that
        return super().handle(*app_labels, **options)
