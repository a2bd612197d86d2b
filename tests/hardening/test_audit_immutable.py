"""Audit entries cannot be rewritten after the fact: on PostgreSQL the database refuses UPDATE,
DELETE and TRUNCATE on the audit table whatever goes around the ORM (audit 0003)."""

import pytest
from django.db import DatabaseError, connection, transaction

from audit.models import AuditEntry
from audit.services import record_changes

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")


@pytest.fixture
def entry(world):
    with connection.cursor() as cursor:  # a transactional test before may have switched it off for its flush
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks: ALTER TABLE needs none
        cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER USER")
    return record_changes([world.obligation_organ], "edit", actor=world.office_province, reason="原始理由")[0]


def refused(sql, params=()):
    with pytest.raises(DatabaseError) as caught, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
    assert "append-only" in str(caught.value)


@postgres_only
def test_raw_sql_cannot_update_delete_or_truncate_the_audit_table(entry):
    refused("UPDATE audit_auditentry SET reason = %s WHERE id = %s", ["改写", entry.pk])
    refused("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
    refused("TRUNCATE audit_auditentry CASCADE")
    assert AuditEntry.objects.get(pk=entry.pk).reason == "原始理由"


@postgres_only
def test_going_around_the_orm_guards_is_refused(entry):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry._base_manager.filter(pk=entry.pk).update(reason="改写")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry._base_manager.filter(pk=entry.pk)._raw_delete(connection.alias)
    assert AuditEntry.objects.get(pk=entry.pk).reason == "原始理由"


@postgres_only
def test_appending_still_works(entry):
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM audit_auditentry")
        before = cursor.fetchone()[0]
    record_changes([entry.subject], "edit", actor=entry.actor, reason="追加")
    assert AuditEntry.objects.count() == before + 1
