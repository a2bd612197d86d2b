"""Django's migrate, after adopting an existing auth_user table (accounts.adoption)."""

from django.core.management.commands import migrate
from django.db import connections
from django.utils.translation import gettext as _

from accounts.adoption import adopt_user_table


class Command(migrate.Command):
    def handle(self, *args, **options):
        if adopt_user_table(connections[options["database"]]) and options["verbosity"] >= 1:
            self.stdout.write(_("已接管现有的用户表 auth_user：accounts.0001_initial 记为已应用，其后的迁移添加新字段。"))
        return super().handle(*args, **options)
