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

from units.models import PATH_SEGMENT, Unit

_deferred = contextvars.ContextVar("deferred_new_units", default=None)


def obligations_for_new_units(units, actor=None):
    """Create the obligations that active requirements owe to `units`; returns how many.

    A requirement applies when its scope unit is above (or is) the new unit and its
    targeting selects the unit; explicit-list requirements never pick up new units.
    """
    from audit.services import record_bulk
    from campaign.models import Obligation, Requirement

    units = [unit for unit in units if unit.is_active and unit.pk]
    if not units:
        return 0
    prefixes = {unit.path[:end] for unit in units for end in range(PATH_SEGMENT, len(unit.path) + 1, PATH_SEGMENT)}
    unit_ids = [unit.pk for unit in units]
    created = []
    with transaction.atomic():
        for requirement in Requirement.objects.filter(is_active=True, scope_unit__path__in=prefixes).select_related(
            "scope_unit"
        ):
            bound = requirement.bound_units().filter(pk__in=unit_ids).exclude(obligations__requirement=requirement)
            rows = [Obligation(requirement=requirement, unit_id=pk, due_at=requirement.due_at) for pk in bound.values_list("pk", flat=True)]
            created.extend(Obligation.objects.bulk_create(rows, batch_size=2000))
        created = [obligation for obligation in created if obligation.pk]
        record_bulk(created, "obligation_added", actor=actor, to_state="pending", reason="new unit matches the requirement")
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
