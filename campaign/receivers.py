"""What campaign does when something happens in the apps below it."""

from django.dispatch import receiver

from campaign.actions import fan_out_to_units
from units.signals import units_joined


@receiver(units_joined, dispatch_uid="campaign.units_joined")
def units_join_requirements(sender, units, actor=None, **kwargs):
    """Rule 2: adding units later gives them obligations too."""
    fan_out_to_units(units, actor=actor)
