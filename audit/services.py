"""Writing the audit trail. Every state change in the project goes through `record`."""

import uuid

from django.contrib.contenttypes.models import ContentType

from audit.models import AuditEntry


def record(obj, action, *, actor=None, from_state="", to_state="", changes=None, reason=""):
    """Append one audit row for `obj`."""
    return AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=obj.pk,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        from_state=from_state or "",
        to_state=to_state or "",
        changes=changes or {},
        reason=reason or "",
    )


def record_bulk(objects, action, *, actor=None, from_state="", to_state="", changes=None, reason=""):
    """Append one audit row per object of a bulk change, tied together by one batch key."""
    objects = list(objects)
    if not objects:
        return []
    key = str(uuid.uuid4())
    content_type = ContentType.objects.get_for_model(objects[0], for_concrete_model=False)
    actor = actor if getattr(actor, "is_authenticated", False) else None
    rows = [
        AuditEntry(
            content_type=content_type,
            object_id=obj.pk,
            actor=actor,
            action=action,
            from_state=from_state or "",
            to_state=to_state or "",
            changes=changes or {},
            reason=reason or "",
            batch_key=key,
        )
        for obj in objects
    ]
    return AuditEntry.objects.bulk_create(rows, batch_size=2000)
