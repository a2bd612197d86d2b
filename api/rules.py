"""Who may see and revoke a token (registered with access.policy).

A person's own tokens are theirs alone. A service token is also seen and revoked by the offices
over its unit (the office that made it may leave; its successors can still stop the link)."""

from django.db.models import Q

from units import scope as units


def _own_or_over_service_unit(user, scope):
    return Q(user=user) | (Q(service_unit__isnull=False) & units.office_over(scope, "service_unit__"))


TOKEN = {"view": _own_or_over_service_unit, "revoke": _own_or_over_service_unit}
