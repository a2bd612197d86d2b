"""Writing the audit trail (DESIGN rule 10: 留痕): who changed what, when and why.

Two kinds of row, written through two functions:

* ``record_transition(obj, action, actor=, from_state=, to_state=, changes=, reason=)``: a
  state machine moved `obj` (access.transitions writes these);
* ``record_change(obj, action, actor=, before=, changes=, reason=)``: anything else changed,
  was created or was removed; ``before`` is a `snapshot()` taken before the change and the
  differences from `obj` are recorded.

Their bulk forms, ``record_transitions`` and ``record_changes``, write one row per object of
one action, tied together by a batch key. An action on more objects than one transaction should
write rows for (a fan-out to a province) writes one summary row instead, ``record_bulk``, on
the object that caused it, with the count and a batch key (``new_batch_key``) that each touched
object keeps: AuditEntryQuerySet.for_object(obj, batch_keys=...) shows it on each of them. Every row's ``changes`` has one shape::

    {name: {"before": value, "after": value}, ...}

where a name is a field of the object or a detail its app registered with
audit.vocabulary (e.g. a submission's files), and values are JSON: text, numbers,
booleans, ISO dates and aware datetimes, lists, and ``{"pk": .., "label": ..}`` for a
related row (a unit, a person) so that pages can name it without another query.
audit.vocabulary turns rows into sentences people read.
"""

import contextlib
import contextvars
import datetime as dt
import decimal
import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from audit.models import AuditEntry
from core.people import person_name

# How the changes of the current request or task come in when not through the pages (an API
# token's name): written on every row recorded meanwhile. Set by acting_through().
_channel = contextvars.ContextVar("audit_channel", default="")


@contextlib.contextmanager
def acting_through(label):
    """Every row recorded inside the block says it came in through `label` (e.g. “接口令牌：OA对接”)."""
    token = _channel.set(str(label)[:200])
    try:
        yield
    finally:
        _channel.reset(token)


def set_channel(label):
    """Like acting_through() for code that cannot wrap a block (an authentication hook); the
    returned token goes to reset_channel(), which audit.middleware.ChannelMiddleware calls at the
    end of every request whatever happened."""
    return _channel.set(str(label)[:200])


def reset_channel(token):
    _channel.reset(token)


def current_channel():
    return _channel.get()


def plain(value):
    """A value as the audit trail stores it (JSON, see the module docstring)."""
    if isinstance(value, models.Model):
        label = person_name(value) if hasattr(value, "get_username") else str(value)
        return {"pk": value.pk, "label": label}
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple | set | models.QuerySet):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def change(before, after):
    """One entry of `changes`."""
    return {"before": plain(before), "after": plain(after)}


def snapshot(obj, fields=None):
    """The values of `obj`'s concrete fields (or only `fields`), as the trail stores them.
    Related rows are stored with their label (one query each: snapshot few fields)."""
    result = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields and field.attname not in fields:
            continue
        if field.is_relation:
            result[field.name] = plain(getattr(obj, field.name)) if getattr(obj, field.attname) is not None else None
        else:
            result[field.name] = plain(getattr(obj, field.attname))
    return result


IGNORED = {"updated_at"}


def diff(before, after):
    """{name: {"before", "after"}} for the names whose values differ between two snapshots."""
    return {
        name: {"before": before.get(name), "after": value}
        for name, value in after.items()
        if name in before and before.get(name) != value and name not in IGNORED
    }


def created(obj, fields):
    """The `changes` of a new object: each of `fields` from nothing to its value."""
    return {name: {"before": None, "after": value} for name, value in snapshot(obj, fields).items() if value not in (None, "", [])}


def _checked(changes):
    """Refuse anything but the one shape, so that every page can read every row."""
    for name, value in (changes or {}).items():
        if not (isinstance(value, dict) and set(value) == {"before", "after"}):
            raise ValueError(f"audit change {name!r} must be {{'before': ..., 'after': ...}}, not {value!r}")
    return {name: {"before": plain(value["before"]), "after": plain(value["after"])} for name, value in (changes or {}).items()}


def _actor(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _content_type(obj):
    return ContentType.objects.get_for_model(obj, for_concrete_model=False)


def record_transition(obj, action, *, actor, from_state, to_state, changes=None, reason=""):
    """One state move of `obj` (a transition of its state machine)."""
    return AuditEntry.objects.create(
        content_type=_content_type(obj), object_id=obj.pk, actor=_actor(actor), action=action,
        from_state=from_state or "", to_state=to_state or "", changes=_checked(changes), reason=reason or "",
        via=_channel.get(),
    )


def record_change(obj, action, *, actor, before=None, changes=None, reason=""):
    """A change to `obj` other than a state move: `before` is a snapshot() taken before it (the
    differences from `obj` now are recorded), `changes` adds entries of its own."""
    found = dict(diff(before, snapshot(obj, list(before))) if before else {})
    found.update(_checked(changes))
    return AuditEntry.objects.create(
        content_type=_content_type(obj), object_id=obj.pk, actor=_actor(actor), action=action,
        changes=_checked(found), reason=reason or "", via=_channel.get(),
    )


def _bulk(objects, action, *, actor, reason, per_object, defaults):
    objects = list(objects)
    if not objects:
        return []
    key = str(uuid.uuid4())
    content_type = _content_type(objects[0])
    actor = _actor(actor)
    via = _channel.get()
    rows = []
    for obj in objects:
        values = {**defaults, **(per_object or {}).get(obj.pk, {})}
        rows.append(AuditEntry(
            content_type=content_type, object_id=obj.pk, actor=actor, action=action,
            from_state=values.get("from_state") or "", to_state=values.get("to_state") or "",
            changes=_checked(values.get("changes")), reason=reason or "", batch_key=key, via=via,
        ))
    return AuditEntry.objects.bulk_create(rows, batch_size=2000)


def record_transitions(objects, action, *, actor, from_state="", to_state="", changes=None, reason="", per_object=None):
    """One transition row per object of a bulk move, tied by one batch key. `per_object` maps a pk
    to its own from_state, to_state or changes."""
    return _bulk(objects, action, actor=actor, reason=reason, per_object=per_object,
                 defaults={"from_state": from_state, "to_state": to_state, "changes": changes})


def record_changes(objects, action, *, actor, changes=None, reason="", per_object=None):
    """One change row per object of a bulk change, tied by one batch key."""
    return _bulk(objects, action, actor=actor, reason=reason, per_object=per_object, defaults={"changes": changes})


def new_batch_key():
    """A key for one bulk action: its summary row (record_bulk) and the objects it touched share it."""
    return str(uuid.uuid4())


def record_bulk(obj, action, *, actor, count, batch_key, changes=None, reason=""):
    """One summary row for a bulk action caused by `obj` (a requirement fanning out) that touched
    `count` objects, each of which keeps `batch_key`: the per-object detail is read from the
    objects carrying the key, not from `count` rows written in one transaction."""
    return AuditEntry.objects.create(
        content_type=_content_type(obj), object_id=obj.pk, actor=_actor(actor), action=action,
        changes=_checked(changes), reason=reason or "", batch_key=batch_key, count=count, via=_channel.get(),
    )


def update_with_audit(queryset, action, *, actor, reason="", **values):
    """Apply `values` to every row of `queryset` with one UPDATE and record one change row per
    object with its own previous values, in one transaction. Returns how many rows changed."""
    with transaction.atomic():
        fields = list(values)
        rows = list(queryset.select_for_update().values("pk", *fields))
        if not rows:
            return 0
        queryset.model._default_manager.filter(pk__in=[row["pk"] for row in rows]).update(**values)
        per_object = {
            row["pk"]: {"changes": {name: change(row[name], values[name]) for name in fields if row[name] != values[name]}}
            for row in rows
        }
        record_changes([queryset.model(pk=row["pk"]) for row in rows], action, actor=actor, reason=reason, per_object=per_object)
    return len(rows)
