"""What campaign does when something happens in the apps below it, and the one place where
changes the dashboard counts mark its figures out of date (campaign.dashboard_cache)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from access.transitions import transitioned
from campaign import dashboard_cache, signals
from campaign.actions import fan_out_to_units
from campaign.models import Obligation, Requirement
from units.models import Unit
from units.signals import units_joined


@receiver(units_joined, dispatch_uid="campaign.units_joined")
def units_join_requirements(sender, units, actor=None, **kwargs):
    """Rule 2: adding units later gives them obligations too."""
    fan_out_to_units(units, actor=actor)


# -- the dashboard's figures: which changes count, and where ----------------------------------


@receiver(transitioned, dispatch_uid="campaign.dashboard_transition")
def obligation_moved_state(sender, obj, **kwargs):
    """An obligation submitted, returned, accepted, exempted…: its unit and every ancestor."""
    if sender is Obligation:
        path = obj.unit.path if Obligation.unit.is_cached(obj) else Unit.objects.filter(pk=obj.unit_id).values_list(
            "path", flat=True).first()
        if path is not None:
            dashboard_cache.mark_changed(path, [obj.requirement_id])


@receiver(signals.obligations_issued, dispatch_uid="campaign.dashboard_issued")
def obligations_issued(sender, obligation_ids, **kwargs):
    """New obligations (fan-out, a unit joining, a recurring period)."""
    dashboard_cache.mark_obligations_changed(obligation_ids)


@receiver(signals.due_moved, dispatch_uid="campaign.dashboard_due_moved")
def obligations_due_moved(sender, moves, **kwargs):
    """A deadline moved (a requirement's, a meeting's, an extension): overdue and due-soon change."""
    dashboard_cache.mark_obligations_changed([obligation_id for obligation_id, _old, _new in moves])


@receiver(post_save, sender=Requirement, dispatch_uid="campaign.dashboard_requirement_saved")
@receiver(post_delete, sender=Requirement, dispatch_uid="campaign.dashboard_requirement_deleted")
def requirement_changed(sender, raw=False, **kwargs):
    """A requirement edited (title, deadline, phase, active): the figures carry its data, over every
    subtree it may reach (rare: an office's edit)."""
    if not raw:
        dashboard_cache.mark_everything_changed()


@receiver(units_joined, dispatch_uid="campaign.dashboard_units_joined")
def units_rearranged(sender, units, **kwargs):
    """Units created, moved or re-typed: a move takes its subtree's obligations from one ancestor
    line to another (the old one is no longer known here), so every subtree is marked."""
    if units:
        dashboard_cache.mark_everything_changed()
