"""Signal receivers that keep guardian's rows in step (access/grants.py) the moment a
membership, a group member, an assignment or a group is saved or deleted."""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from access import grants
from supervision.models import GroupAssignment, GroupMember, SupervisionGroup
from units.models import UnitMembership


def _previous(sender, instance, field):
    """The value of `field` before this save (for rows moved to another user or group)."""
    if instance.pk is None:
        return None
    return sender.objects.filter(pk=instance.pk).values_list(field, flat=True).first()


@receiver(pre_save, sender=UnitMembership, dispatch_uid="access_membership_pre")
@receiver(pre_save, sender=GroupMember, dispatch_uid="access_member_pre")
@receiver(pre_save, sender=GroupAssignment, dispatch_uid="access_assignment_pre")
def remember_owner(sender, instance, raw=False, **kwargs):
    if raw:
        return
    field = "user_id" if sender is UnitMembership else "group_id"
    instance._access_previous_owner = _previous(sender, instance, field)


@receiver(post_save, sender=UnitMembership, dispatch_uid="access_membership_saved")
@receiver(post_delete, sender=UnitMembership, dispatch_uid="access_membership_deleted")
def membership_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    previous = getattr(instance, "_access_previous_owner", None)
    for user_id in {instance.user_id, previous} - {None}:
        grants.sync_user(user_id)


@receiver(post_save, sender=GroupMember, dispatch_uid="access_member_saved")
@receiver(post_delete, sender=GroupMember, dispatch_uid="access_member_deleted")
@receiver(post_save, sender=GroupAssignment, dispatch_uid="access_assignment_saved")
@receiver(post_delete, sender=GroupAssignment, dispatch_uid="access_assignment_deleted")
def group_part_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    previous = getattr(instance, "_access_previous_owner", None)
    for group_id in {instance.group_id, previous} - {None}:
        grants.sync_group(group_id)


@receiver(post_save, sender=SupervisionGroup, dispatch_uid="access_group_saved")
def group_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    grants.sync_group(instance.pk)
