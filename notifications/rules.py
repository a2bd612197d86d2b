"""Who may see reminders and notifications (registered with access.policy).

Each person reads their own notification centre. A requirement's reminder policy, its
reminder log and its holiday flag belong to the office that issued the requirement; an
office's reminder defaults to that office. The outbox tables (sweeps, digests, deliveries)
have no rules: only superusers browse them, in the admin.
"""

from django.db.models import Q

from units import scope as units

_ISSUING_OFFICE = "requirement__directive__issuing_unit__"


def _of_issuing_office(user, scope):
    return units.office_over(scope, _ISSUING_OFFICE)


NOTIFICATION = {"view": lambda user, scope: Q(user=user)}
REQUIREMENT_REMINDERS = {"view": _of_issuing_office, "edit": _of_issuing_office}
OFFICE_DEFAULTS = {
    "view": lambda user, scope: units.office_over(scope, "office__"),
    "edit": lambda user, scope: units.office_over(scope, "office__"),
}
