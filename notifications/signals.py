"""Requirement saved → record (or clear) the holiday flag on its due date (DESIGN rule 5)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from campaign.models import Requirement


@receiver(post_save, sender=Requirement, dispatch_uid="notifications.flag_holiday_due_date")
def flag_holiday_due_date(sender, instance, raw=False, **kwargs):
    """Flag a due date on a holiday or weekend for the office's reminder log; drop a stale flag."""
    if raw:
        return
    from notifications.models import DueDateFlag

    DueDateFlag.record(instance)
