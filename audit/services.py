"""Writing the audit trail (DESIGN rule 10: 留痕). Every state change in the project goes
through `record` (one object) or `record_bulk` (many objects changed by one action).

`snapshot` and `diff` describe what changed: take a snapshot of the fields before the
change, change the object, then pass ``changes=diff(before, obj)`` (or use `record_change`,
which does both). Changes are stored as ``{field: {"before": ..., "after": ...}}`` with
values made JSON-safe; the reason is free text, required by the actions that take one.
"""

import datetime as dt
import decimal
import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import models

from audit.models import AuditEntry


def _plain(value):
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def snapshot(obj, fields=None):
    """The concrete field values of `obj` (or only `fields`), JSON-safe, keyed by attribute name."""
    result = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields and field.attname not in fields:
            continue
        result[field.name] = _plain(getattr(obj, field.attname))
    return result


def diff(before, after, fields=None):
    """{field: {"before": old, "after": new}} for the fields that differ between a snapshot
    `before` and an object or snapshot `after`."""
    if isinstance(after, models.Model):
        after = snapshot(after, fields or list(before))
    return {
        name: {"before": before.get(name), "after": after.get(name)}
        for name in after
        if name in before and before.get(name) != after.get(name) and name not in {"updated_at"}
    }


def _actor(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def record(obj, action, *, actor=None, from_state="", to_state="", changes=None, reason=""):
    """Append one audit row for `obj`."""
    return AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=obj.pk,
        actor=_actor(actor),
        action=action,
        from_state=from_state or "",
        to_state=to_state or "",
        changes=changes or {},
        reason=reason or "",
    )


def record_change(obj, action, before, *, actor=None, reason="", state_field="status"):
    """Append one row describing how `obj` differs from the snapshot `before`."""
    changes = diff(before, obj)
    from_state = before.get(state_field, "") if state_field in before else ""
    to_state = getattr(obj, state_field, "") if state_field in before else ""
    return record(obj, action, actor=actor, from_state=from_state, to_state=to_state, changes=changes, reason=reason)


def record_bulk(objects, action, *, actor=None, from_state="", to_state="", changes=None, reason="", per_object=None):
    """Append one audit row per object of a bulk change, tied together by one batch key.

    `per_object`, if given, maps an object's pk to a dict overriding from_state, to_state or
    changes for that object (e.g. each obligation's own previous state). Returns the rows.
    """
    objects = list(objects)
    if not objects:
        return []
    key = str(uuid.uuid4())
    content_type = ContentType.objects.get_for_model(objects[0], for_concrete_model=False)
    actor = _actor(actor)
    per_object = per_object or {}
    rows = []
    for obj in objects:
        own = per_object.get(obj.pk, {})
        rows.append(
            AuditEntry(
                content_type=content_type,
                object_id=obj.pk,
                actor=actor,
                action=action,
                from_state=own.get("from_state", from_state) or "",
                to_state=own.get("to_state", to_state) or "",
                changes=own.get("changes", changes) or {},
                reason=reason or "",
                batch_key=key,
            )
        )
    return AuditEntry.objects.bulk_create(rows, batch_size=2000)


def bulk_update_with_audit(queryset, action, *, actor=None, reason="", state_field="status", **values):
    """Apply `values` to every row of `queryset` with one UPDATE and record one audit row per
    object (its own previous state), in one batch. Returns how many rows changed."""
    from django.db import transaction

    with transaction.atomic():
        fields = list(values)
        rows = list(queryset.select_for_update().values("pk", *fields))
        if not rows:
            return 0
        queryset.model._default_manager.filter(pk__in=[row["pk"] for row in rows]).update(**values)
        per_object = {}
        for row in rows:
            changes = {
                name: {"before": _plain(row[name]), "after": _plain(values[name])}
                for name in fields if row[name] != values[name]
            }
            entry = {"changes": changes}
            if state_field in values:
                entry.update(from_state=row[state_field], to_state=values[state_field])
            per_object[row["pk"]] = entry
        objects = [queryset.model(pk=row["pk"]) for row in rows]
        record_bulk(objects, action, actor=actor, reason=reason, per_object=per_object)
    return len(rows)
