"""Databases made before accounts existed: their users live in auth_user, made by auth's own
migrations, and the other apps' migrations that point at the user are recorded as applied.

accounts.User keeps that very table (db_table "auth_user"), so accounts' initial migration
describes a table such a database already has, exactly as auth's migrations left it. Recording
it as applied, before Django reads the history, is all that is needed: the migrations after it
(new columns, the names copied into full_name, the old name columns dropped) then run as
normal migrations. `migrate` and `makemigrations` (accounts/management/commands) call
`adopt_user_table` first; on a new database, or once recorded, it does nothing.
"""

from django.core.management.base import CommandError
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext as _

INITIAL = ("accounts", "0001_initial")
# The state of auth_user that accounts' initial migration describes.
AUTH_USER_FINAL = ("auth", "0012_alter_user_first_name_max_length")
TABLE = "auth_user"


def adopt_user_table(connection):
    """Record accounts' initial migration as applied when `connection`'s database already has
    auth.User's table but not that record. Returns True when it recorded it."""
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return False
    applied = recorder.applied_migrations()
    if INITIAL in applied or TABLE not in connection.introspection.table_names():
        return False
    if AUTH_USER_FINAL not in applied:
        raise CommandError(
            _("数据库中已有 auth_user 表，但 auth 的迁移未全部完成：请先用上一版本完成迁移，再运行本版本的 migrate。")
        )
    recorder.record_applied(*INITIAL)
    return True
