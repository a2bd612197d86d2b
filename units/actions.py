"""The changes with a rule behind them for units: create, edit, move, deactivate, set the type of
many at once, import. One function each, called by the pages, the admin, commands and the API
alike; each keeps the trail (DESIGN rule 10) and tells the apps above which units may now owe
obligations (units.signals.units_joined, DESIGN rule 2).
"""

import tablib
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import change, created, diff, record_change, record_changes, snapshot
from units.models import Unit
from units.resources import HEADERS, UnitResource
from units.signals import collect_new_units, units_joined

UNIT_FIELDS = ["code", "name", "short_name", "parent", "level", "unit_type", "is_window_unit", "is_contact_point", "is_active"]
# A change of these may bind the unit to requirements it was not bound to (rule 2).
BINDING_FIELDS = {"level", "unit_type", "parent"}


@transaction.atomic
def create_unit(unit, *, actor):
    """A new unit under its parent (its place in the tree is computed on save)."""
    with collect_new_units(actor=actor):
        unit.save()
        record_change(unit, "create", actor=actor, changes=created(unit, UNIT_FIELDS))
    return unit


@transaction.atomic
def edit_unit(unit, before, *, actor):
    """Save an edited unit; `before` is its snapshot(UNIT_FIELDS) from before the edit."""
    unit.save()
    entry = record_change(unit, "edit", actor=actor, before=before)
    if BINDING_FIELDS & set(entry.changes):
        units_joined.send(sender=Unit, units=[unit], actor=actor)
    return unit


@transaction.atomic
def move_unit(unit, new_parent, *, actor, reason=""):
    """Re-hang `unit` and its subtree under `new_parent` (who sees what follows at once)."""
    old_parent = unit.parent
    unit.move_to(new_parent)
    record_change(unit, "move", actor=actor, reason=reason, changes={"parent": change(old_parent, new_parent)})
    units_joined.send(sender=Unit, units=list(Unit.objects.subtree(unit)), actor=actor)
    return unit


@transaction.atomic
def deactivate_unit(unit, *, actor, reason):
    """Deactivate a unit and its whole active subtree; units are never deleted, their history
    stays (rule 10). Returns how many units were deactivated."""
    affected = list(Unit.objects.subtree(unit).filter(is_active=True).only("pk"))
    Unit.objects.filter(pk__in=[u.pk for u in affected]).update(is_active=False)
    record_changes(affected, "deactivate", actor=actor, reason=reason, changes={"is_active": change(True, False)})
    return len(affected)


@transaction.atomic
def set_unit_type(units, unit_type, *, actor):
    """Give the ticked units a unit type, in one UPDATE."""
    units = list(units)
    values = {"unit_type": unit_type}
    if not units:
        return 0
    before = {unit.pk: snapshot(unit, list(values)) for unit in Unit.objects.filter(pk__in=[u.pk for u in units])}
    Unit.objects.filter(pk__in=list(before)).update(**values)
    after = {name: change(None, value)["after"] for name, value in values.items()}
    record_changes(units, "edit", actor=actor, per_object={
        pk: {"changes": {name: {"before": old[name], "after": after[name]} for name in values if old[name] != after[name]}}
        for pk, old in before.items()
    })
    units_joined.send(sender=Unit, units=list(Unit.objects.filter(pk__in=list(before))), actor=actor)
    return len(units)


def import_reason(file_name):
    return _("单位导入：%(file)s") % {"file": file_name}


def load_dataset(path):
    """A .xlsx or .csv file of units as a tablib Dataset."""
    raw = path.read_bytes()
    if path.suffix == ".csv":
        return tablib.Dataset().load(raw.decode("utf-8-sig"), format="csv")
    return tablib.Dataset().load(raw, format="xlsx")


def _import_errors(result):
    """Row-by-row problems: [(row number in the file, [messages])]."""
    rows = []
    for invalid in result.invalid_rows:
        messages = [f"{HEADERS.get(field, field)}：{message}" for field, errors in invalid.error_dict.items() for message in errors]
        rows.append((invalid.number + 1, messages))
    for number, errors in result.row_errors():
        rows.append((number + 1, [str(error.error) for error in errors]))
    rows.extend((0, [str(error.error)]) for error in result.base_errors)
    return sorted(rows, key=lambda item: item[0])


def import_units(path, *, actor, dry_run, file_name=""):
    """Validate (dry run) or write a file of units; nothing is written unless every row is valid.

    Both passes read every row the same way inside one transaction. The writing pass inserts the
    new units in bulk (parents first), saves the changed ones, deactivates with their subtrees
    the ones the file marks inactive, records every change in the trail with the file's name as
    the reason, and announces the new units (rule 2), all or nothing. Returns (result, errors).
    """
    roots = list(Unit.objects.office_roots(actor))
    resource = UnitResource(roots=roots, write=not dry_run)
    try:
        dataset = load_dataset(path)
    except Exception as exc:  # tablib and openpyxl raise many kinds on a broken file
        return None, [(0, [_("无法读取文件：%(error)s") % {"error": exc}])]
    reason = import_reason(file_name or path.name)
    with transaction.atomic(), collect_new_units(actor=actor) as new_units:
        # dry_run=False: the rows themselves write nothing (resource.write decides), and no
        # per-row savepoint is needed since a failed import rolls the whole transaction back.
        result = resource.import_data(dataset, dry_run=False, use_transactions=False, raise_errors=False)
        errors = _import_errors(result)
        if errors or dry_run:
            transaction.set_rollback(True)
            return result, errors
        made = resource.create_new_units()
        new_units.extend(made)
        record_changes(made, "import", actor=actor, reason=reason,
                       per_object={unit.pk: {"changes": created(unit, UNIT_FIELDS)} for unit in made})
        changed = {}
        for unit in resource.updated:
            found = diff(unit._before_import, snapshot(unit, list(unit._before_import)))
            if found:
                changed[unit.pk] = {"changes": found}
        record_changes([u for u in resource.updated if u.pk in changed], "import", actor=actor, reason=reason,
                       per_object=changed)
        units_joined.send(sender=Unit, units=[u for u in resource.updated if u.pk in changed], actor=actor)
        for unit in resource.deactivated:
            deactivate_unit(unit, actor=actor, reason=reason)
    return result, errors
