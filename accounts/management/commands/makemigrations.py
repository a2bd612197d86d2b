"""Django's makemigrations, after adopting an existing auth_user table (accounts.adoption):
its consistency check would otherwise refuse a database made before accounts existed."""

from django.conf import settings
from django.core.checks import Tags
from django.core.checks.registry import registry
from django.core.management.commands import makemigrations
from django.db import connections
from django.db.utils import OperationalError

from accounts.adoption import adopt_user_table


class Command(makemigrations.Command):
    # Every check but the security ones (access.E001: a production SECRET_KEY): writing or
    # checking migrations never serves a page nor signs anything, so `makemigrations --check`
    # answers on a fresh clone without DEBUG=1. Start-up, `check` and `migrate` still stop.
    requires_system_checks = [tag for tag in registry.tags_available() if tag != Tags.security]

    def handle(self, *app_labels, **options):
        for alias in sorted(settings.DATABASES):
            try:
                adopt_user_table(connections[alias])
            except OperationalError:
                pass  # no database to read yet: makemigrations itself only warns about that
        return super().handle(*app_labels, **options)
