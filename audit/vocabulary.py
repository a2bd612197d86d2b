"""The audit trail in words people read (DESIGN rule 10; the standards: no internal codes, no
Python reprs, no UTC, people by full name, dates the Chinese way in Chinese).

Each app registers, in its AppConfig.ready(), the words of its trail: the verb of each action
(a state machine's transitions register themselves through `register_machine`), the labels of
details that are not fields of the model (a submission's files, a count of obligations), and
which field holds the state. Field names, state names and choices are otherwise read from the
model itself. `describe(entry)` turns one AuditEntry into a Described the timeline renders.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _

from core.people import person_name
from core.templatetags.core_tags import format_day, format_moment

# Verbs every model shares.
COMMON_ACTIONS = {
    "create": _("新建"),
    "edit": _("修改"),
    "delete": _("删除"),
    "import": _("导入"),
    "admin_create": _("在管理后台新建"),
    "admin_change": _("在管理后台修改"),
    "admin_delete": _("在管理后台删除"),
}
COMMON_DETAILS = {"object": _("对象")}

_ACTIONS = {}  # model label -> {action: verb}
_DETAILS = {}  # model label -> {name: label}
_STATE_FIELDS = {}  # model label -> name of the field holding the state
_VALUE_LABELS = {}  # model label -> {field name: {stored code: label}}, for codes held without choices (JSON lists)


def register(model, *, actions=None, details=None, state_field=None, value_labels=None):
    """`value_labels`: {field name: {code: label}} for fields that store codes without choices of
    their own (a JSON list of unit levels), so that the trail shows the labels."""
    label = model._meta.label
    _ACTIONS.setdefault(label, {}).update(actions or {})
    _DETAILS.setdefault(label, {}).update(details or {})
    _VALUE_LABELS.setdefault(label, {}).update(value_labels or {})
    if state_field:
        _STATE_FIELDS[label] = state_field


def register_machine(machine):
    """A state machine's verbs and state field (access.transitions.Machine)."""
    register(machine.model, actions=machine.labels(), state_field=machine.state_field)


def action_label(model, action):
    label = model._meta.label if model is not None else ""
    return _ACTIONS.get(label, {}).get(action) or COMMON_ACTIONS.get(action) or action


@dataclass
class Line:
    label: str
    before: str
    after: str

    @property
    def is_change(self):
        return bool(self.before) and bool(self.after)


@dataclass
class Described:
    entry: object
    verb: str
    from_state: str
    to_state: str
    actor: str
    lines: list = field(default_factory=list)


def _field(model, name):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except Exception:  # FieldDoesNotExist, or a name that is a detail, not a field
        return None


def _label(model, name):
    details = _DETAILS.get(model._meta.label, {}) if model is not None else {}
    if name in details:
        return str(details[name])
    if name in COMMON_DETAILS:
        return str(COMMON_DETAILS[name])
    found = _field(model, name)
    if found is not None and hasattr(found, "verbose_name"):
        return str(found.verbose_name)
    return name.replace("_", " ")


def format_value(value, model_field=None, labels=None):
    """One stored value as text: local dates and times, choice labels (or `labels`, {code: label}),
    names of related rows, 是/否 for booleans, lists joined with 、."""
    if value is None or value == "" or value == []:
        return ""
    if isinstance(value, list):
        return "、".join(filter(None, (format_value(item, model_field, labels) for item in value)))
    if labels and str(value) in labels:
        return str(labels[str(value)])
    if isinstance(value, dict):
        return str(value.get("label") or value.get("pk") or "")
    if isinstance(value, bool):
        return str(_("是") if value else _("否"))
    if model_field is not None and getattr(model_field, "choices", None):
        choices = {str(key): label for key, label in model_field.flatchoices}
        if str(value) in choices:
            return str(choices[str(value)])
    if isinstance(value, str):
        if isinstance(model_field, models.DateTimeField) or (model_field is None and "T" in value):
            moment = parse_datetime(value)
            if moment is not None:
                return format_moment(moment)
        if isinstance(model_field, models.DateField) or model_field is None:
            day = parse_date(value) if len(value) == 10 else None
            if day is not None:
                return format_day(day)
    if isinstance(value, dt.date):
        return format_moment(value)
    return str(value)


def _state_label(model, state):
    if not state:
        return ""
    name = _STATE_FIELDS.get(model._meta.label, "status") if model is not None else "status"
    return format_value(state, _field(model, name))


def _lines(model, changes):
    lines = []
    for name, value in (changes or {}).items():
        if isinstance(value, dict) and set(value) == {"before", "after"}:
            before, after = value["before"], value["after"]
        elif isinstance(value, list | tuple) and len(value) == 2 and name.endswith(("_at", "_on", "status")):
            before, after = value  # rows written before the schema was fixed
        else:
            before, after = None, value
        model_field = _field(model, name)
        labels = _VALUE_LABELS.get(model._meta.label, {}).get(name) if model is not None else None
        lines.append(Line(_label(model, name), format_value(before, model_field, labels),
                          format_value(after, model_field, labels)))
    return lines


def change_lines(model, changes):
    """`changes` of a `model` row in the trail's schema ({field: {"before", "after"}}) as Lines
    in words: what a preview shows before the change is made, as the trail will show it after."""
    return _lines(model, changes)


def describe(entry):
    """One audit row as words: who, what (the verb), from which state to which, and each change."""
    # get_for_id is cached: no query per row.
    model = ContentType.objects.get_for_id(entry.content_type_id).model_class() if entry.content_type_id else None
    return Described(
        entry=entry,
        verb=str(action_label(model, entry.action)),
        from_state=_state_label(model, entry.from_state),
        to_state=_state_label(model, entry.to_state),
        actor=person_name(entry.actor) if entry.actor_id else str(_("系统")),
        lines=_lines(model, entry.changes),
    )
