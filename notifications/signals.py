"""What the notifications app does when something happens elsewhere.

- A requirement is saved: record (or clear) the holiday flag on its due date (DESIGN rule 5).
- A reviewer decides on an obligation or a rectification item (access.transitions): the
  unit's liaisons read the decision, and why, in their notification centre.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from access.transitions import transitioned
from campaign.models import Obligation, Requirement
from notifications.inbox import notify_unit_liaisons
from notifications.models import DueDateFlag
from rectification.models import RectificationItem


@receiver(post_save, sender=Requirement, dispatch_uid="notifications.flag_holiday_due_date")
def flag_holiday_due_date(sender, instance, raw=False, **kwargs):
    """Flag a due date on a holiday or weekend for the office's reminder log; drop a stale flag."""
    if raw:
        return
    DueDateFlag.record(instance)


_OBLIGATION_TITLES = {
    "approve": _("“%(title)s”已审核通过"),
    "return": _("“%(title)s”被退回，请修改后重新报送"),
    "reopen": _("“%(title)s”已重新打开，请重新报送"),
}
_ITEM_TITLES = {
    "approve_close": _("整改事项“%(problem)s”已销号"),
    "reject_close": _("整改事项“%(problem)s”的销号申请被退回，请继续整改"),
}


@receiver(transitioned, sender=Obligation, dispatch_uid="notifications.obligation_decided")
def tell_liaisons_of_the_review(sender, obj, transition, reason, **kwargs):
    title = _OBLIGATION_TITLES.get(transition.action)
    if title:
        notify_unit_liaisons(obj.unit, title % {"title": obj.requirement.title}, reason, obj.get_absolute_url())


@receiver(transitioned, sender=RectificationItem, dispatch_uid="notifications.item_decided")
def tell_liaisons_of_the_close_review(sender, obj, transition, reason, **kwargs):
    title = _ITEM_TITLES.get(transition.action)
    if title:
        notify_unit_liaisons(obj.plan.unit, title % {"problem": str(obj)}, reason, obj.get_absolute_url())
