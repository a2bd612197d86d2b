"""What units tells the apps above it (DESIGN rule 2: "adding units later gives them obligations too").

`units_joined` is sent, inside the transaction that made the change, with the units that were
created or changed in a way that may bind them to requirements (their level, type, batch or
place in the tree): campaign listens and gives them the obligations they now owe. Creations
made anywhere (a page, the admin, a command) are caught by post_save; bulk paths (the import)
wrap their work in `collect_new_units()` so that every new unit is announced once, at the end.
"""

import contextlib
import contextvars

from django.db.models.signals import post_save
from django.dispatch import Signal, receiver

from units.models import Unit

# sender: Unit; kwargs: units (a list), actor (a user or None).
units_joined = Signal()

_collected = contextvars.ContextVar("collected_new_units", default=None)


@contextlib.contextmanager
def collect_new_units(actor=None):
    """Collect the units created inside the block and announce them once, at the end."""
    collected = []
    token = _collected.set(collected)
    try:
        yield collected
    finally:
        _collected.reset(token)
    if collected:
        units_joined.send(sender=Unit, units=collected, actor=actor)


@receiver(post_save, sender=Unit, dispatch_uid="units_new_unit_joined")
def new_unit_joined(sender, instance, created, raw=False, **kwargs):
    if not created or raw:
        return
    collected = _collected.get()
    if collected is not None:
        collected.append(instance)
    else:
        units_joined.send(sender=Unit, units=[instance], actor=None)
