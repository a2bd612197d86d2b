"""A database made before accounts existed migrates to accounts.User and keeps every row.

Built for real: `migrate` with the settings of that time (auth.User, no accounts; the other
apps' migration files are the same), people and roles written through auth.User, then the
tracker's own `migrate`, which adopts auth_user (accounts.adoption) and runs accounts' later
migrations. On the database the suite runs on: a SQLite file, or a PostgreSQL database of its
own on the same server.
"""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

BEFORE = """
from django.contrib.auth.models import Permission, User
from django.contrib.contenttypes.models import ContentType
from units.models import Unit, UnitMembership
from audit.services import record_change
wang = User.objects.create_user("wang", "wang@example.org", "Old-Password-42", first_name="晓明", last_name="王")
wang.user_permissions.add(Permission.objects.get(codename="view_unit"))
User.objects.create_user("smith", first_name="John", last_name="Smith")
User.objects.create_user("noname")
province = Unit.objects.create(code="330000", name="浙江省", level="province", unit_type="committee")
UnitMembership.objects.create(user=wang, unit=province, role="office")
record_change(province, "edit", actor=wang, changes={"name": {"before": "浙江", "after": "浙江省"}})
print(json.dumps({"user_content_type": ContentType.objects.get(app_label="auth", model="user").pk, "wang": wang.pk}))
"""

AFTER = """
from django.contrib.auth import authenticate, get_user_model
from django.contrib.contenttypes.models import ContentType
from audit.models import AuditEntry
User = get_user_model()
wang = User.objects.get(username="wang")
print(json.dumps({
    "model": User._meta.label,
    "names": {u.username: u.full_name for u in User.objects.order_by("username")},
    "columns": [c.name for c in connection.introspection.get_table_description(connection.cursor(), "auth_user")],
    "login": authenticate(username="wang", password="Old-Password-42") == wang,
    "perm": wang.has_perm("units.view_unit"),
    "memberships": list(wang.unit_memberships.values_list("unit__code", "role")),
    "audit_actor": AuditEntry.objects.get().actor_id,
    "content_types": list(ContentType.objects.filter(model="user").values_list("app_label", "pk")),
    "must_change": wang.must_change_password,
}))
"""

COLUMNS = "print(json.dumps([c.name for c in connection.introspection.get_table_description(connection.cursor(), 'auth_user')]))"


def manage(database_url, settings_module, *args, script=None):
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    env.update(DEBUG="1", DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE=settings_module, DB_CONN_MAX_AGE="0")
    command = [sys.executable, "manage.py", *args]
    if script is not None:
        command += ["shell", "-c", "import json\nfrom django.db import connection\n" + script]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def shell_json(database_url, settings_module, script):
    """What `script` prints last, as JSON (the shell prints a banner first)."""
    return json.loads(manage(database_url, settings_module, script=script).strip().splitlines()[-1])


@pytest.fixture
def empty_database(tmp_path, django_db_blocker):
    """The URL of a new, empty database on the engine the suite runs on."""
    settings = connection.settings_dict
    if settings["ENGINE"] == "django.db.backends.sqlite3":
        yield f"sqlite:///{tmp_path / 'before-accounts.sqlite3'}"
        return
    import psycopg2

    name = f"{settings['NAME']}_adopt_{uuid.uuid4().hex[:8]}"
    server = dict(host=settings["HOST"] or "127.0.0.1", port=settings["PORT"] or 5432, user=settings["USER"],
                  password=settings["PASSWORD"] or None, dbname="postgres")
    admin = psycopg2.connect(**server)
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{name}"')
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    try:
        yield f"postgres://{settings['USER']}{password}@{server['host']}:{server['port']}/{name}"
    finally:
        admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_a_database_made_before_accounts_migrates_and_keeps_its_people(empty_database):
    old = "tests.accounts.main_state_settings"
    # --skip-checks: the URLs of today (personnel's forms) do not fit the user model of then.
    manage(empty_database, old, "migrate", "--noinput", "-v", "0", "--skip-checks")
    before = shell_json(empty_database, old, BEFORE)

    output = manage(empty_database, "config.settings", "migrate", "--noinput")
    assert "auth_user" in output and "accounts.0001_initial" in output  # the adoption says what it did
    assert "Applying accounts.0001_initial" not in output  # recorded, not run: the table is there
    assert "Applying accounts.0004_one_name_field" in output

    after = shell_json(empty_database, "config.settings", AFTER)
    assert after["model"] == "accounts.User"
    assert after["names"] == {"noname": "", "smith": "John Smith", "wang": "王晓明"}
    assert {"full_name", "mobile", "title", "must_change_password"} <= set(after["columns"])
    assert not {"first_name", "last_name"} & set(after["columns"])
    assert after["login"] and after["perm"] and not after["must_change"]
    assert after["memberships"] == [["330000", "office"]]
    assert after["audit_actor"] == before["wang"]
    # The one content type of users moved to accounts: its permissions and audit rows follow it.
    assert after["content_types"] == [["accounts", before["user_content_type"]]]

    again = manage(empty_database, "config.settings", "migrate", "--noinput")
    assert "No migrations to apply" in again
    manage(empty_database, "config.settings", "makemigrations", "--check", "--dry-run")


def test_a_new_database_creates_the_user_table_through_accounts(empty_database):
    output = manage(empty_database, "config.settings", "migrate", "--noinput")
    assert "Applying accounts.0001_initial" in output and "auth_user" not in output.split("Running migrations")[0]
    columns = shell_json(empty_database, "config.settings", COLUMNS)
    assert "full_name" in columns and "first_name" not in columns
