"""New units join the requirements that already bind their kind (DESIGN rule 2).

"Adding units later gives them obligations too": when a unit is created inside
a requirement's scope and matches its targeting (Requirement.bound_units), it
gets its one obligation. Single creations go through the post_save receiver;
bulk paths (the .xlsx/.csv import) wrap their work in `deferred_fan_out()` so
that every new unit is handled in one pass at the end.
"""

import contextlib
import contextvars

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from units.models import PATH_SEGMENT, Unit

_deferred = contextvars.ContextVar("deferred_new_units", default=None)


# Unit ids per query (SQLite allows 32,766 parameters in one statement).
ID_CHUNK = 5000


def obligations_for_new_units(units, actor=None):
    """Create the obligations that active requirements owe to `units`; returns how many.

    A requirement applies when its scope unit is above (or is) the new unit and its
    targeting selects the unit; explicit-list requirements never pick up new units.
    Set-based whatever the number of units: the requirements are matched to the units
    by their scope paths in memory, then each requirement selects its bound units among
    its candidates with one query per chunk of ids, and the obligations and their audit
    rows are inserted in bulk.
    """
    from audit.services import record_bulk
    from campaign.models import Obligation, Requirement

    units = [unit for unit in units if unit.is_active and unit.pk]
    if not units:
        return 0
    scopes = {}  # scope unit path -> [requirement id]
    for pk, path in Requirement.objects.filter(is_active=True).values_list("pk", "scope_unit__path"):
        scopes.setdefault(path, []).append(pk)
    candidates = {}  # requirement id -> ids of the units inside its scope
    for unit in units:
        for end in range(PATH_SEGMENT, len(unit.path) + 1, PATH_SEGMENT):
            for requirement_id in scopes.get(unit.path[:end], ()):
                candidates.setdefault(requirement_id, []).append(unit.pk)
    if not candidates:
        return 0
    created = []
    with transaction.atomic():
        for requirement in Requirement.objects.filter(pk__in=list(candidates)).select_related("scope_unit").order_by("pk"):
            unit_ids = candidates[requirement.pk]
            rows = []
            for start in range(0, len(unit_ids), ID_CHUNK):
                bound = (
                    requirement.bound_units()
                    .filter(pk__in=unit_ids[start : start + ID_CHUNK])
                    .exclude(obligations__requirement=requirement)
                )
                rows += [Obligation(requirement=requirement, unit_id=pk, due_at=requirement.due_at)
                         for pk in bound.values_list("pk", flat=True)]
            created.extend(Obligation.objects.bulk_create(rows, batch_size=2000))
        created = [obligation for obligation in created if obligation.pk]
        record_bulk(created, "obligation_added", actor=actor, to_state="pending", reason=_("新单位属于报送要求的范围"))
    return len(created)


@contextlib.contextmanager
def deferred_fan_out(actor=None):
    """Collect units created inside the block and give them their obligations once, at the end."""
    collected = []
    token = _deferred.set(collected)
    try:
        yield collected
    finally:
        _deferred.reset(token)
    obligations_for_new_units(collected, actor=actor)


@receiver(post_save, sender=Unit, dispatch_uid="units_new_unit_obligations")
def new_unit_obligations(sender, instance, created, raw=False, **kwargs):
    if not created or raw:
        return
    collected = _deferred.get()
    if collected is not None:
        collected.append(instance)
    else:
        obligations_for_new_units([instance])
