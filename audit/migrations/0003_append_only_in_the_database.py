"""On PostgreSQL the database itself refuses to change or remove audit entries.

The ORM already refuses (AuditEntryQuerySet, AuditEntry.save/delete); this covers what goes
around it: `_base_manager.update`, `_raw_delete`, raw SQL, a cascade, TRUNCATE. Only the table's
owner can still switch the triggers off (ALTER TABLE ... DISABLE TRIGGER): run the application
under a database role that does not own its tables to make even that impossible (README).
"""

from django.db import migrations

TABLE = "audit_auditentry"

CREATE = f"""
CREATE OR REPLACE FUNCTION audit_entry_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit entries are append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_entry_no_update_or_delete BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION audit_entry_is_append_only();
CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_is_append_only();
"""

DROP = f"""
DROP TRIGGER IF EXISTS audit_entry_no_truncate ON {TABLE};
DROP TRIGGER IF EXISTS audit_entry_no_update_or_delete ON {TABLE};
DROP FUNCTION IF EXISTS audit_entry_is_append_only();
"""


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_clock_time")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
