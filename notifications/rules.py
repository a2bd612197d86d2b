"""Who may see reminders and notifications (registered with access.policy).

Each person reads their own notification centre. A requirement's reminder policy, its
reminder log and its holiday flag belong to the office that issued the requirement; an
office's reminder defaults to that office. A delivery (one digest on one channel) belongs
to the issuing office of every requirement its digest reminds of: that office sees it in the
reminder log and may resend it once it has failed for good (issue 11). Sweeps and digests
have no rules: only superusers browse them, in the admin.
"""

from django.db.models import Exists, OuterRef, Q

from notifications.models import Delivery, Reminder
from units import scope as units

_ISSUING_OFFICE = "requirement__directive__issuing_unit__"


def _of_issuing_office(user, scope):
    return units.office_over(scope, _ISSUING_OFFICE)


def _delivery_of_issuing_office(user, scope):
    """A digest's reminders are its sweep's rows for its recipient (Digest.reminders)."""
    if scope.everything:
        return Q()
    if not scope.offices:
        return units.NOTHING
    return Q(Exists(Reminder.objects.filter(
        _of_issuing_office(user, scope), sweep_id=OuterRef("digest__sweep_id"), recipient_id=OuterRef("digest__recipient_id"),
    )))


NOTIFICATION = {"view": lambda user, scope: Q(user=user)}
# The news waiting for a person's next digest: their own.
EVENT = {"view": lambda user, scope: Q(recipient=user)}
REQUIREMENT_REMINDERS = {"view": _of_issuing_office, "edit": _of_issuing_office}
OFFICE_DEFAULTS = {
    "view": lambda user, scope: units.office_over(scope, "office__"),
    "edit": lambda user, scope: units.office_over(scope, "office__"),
}
# Resent: only a delivery that has failed for good (DeliveryQuerySet.resend changes no other).
DELIVERY = {
    "view": _delivery_of_issuing_office,
    "resend": lambda user, scope: Q(status=Delivery.Status.FAILED),
}
