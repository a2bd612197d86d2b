"""The changes with a rule behind them in notifications: a requirement's reminder policy and an
office's reminder defaults (DESIGN rule 5). Each keeps the trail (rule 10)."""

from django.db import transaction

from audit.services import record_change, snapshot
from notifications.models import PolicyFields

POLICY_FIELDS = ["enabled", *PolicyFields.FIELDS]


@transaction.atomic
def save_policy(policy, before, *, actor):
    """Save a requirement's reminder policy (or an office's defaults); `before` is its snapshot from
    before the form changed it ({} for a new one). The change is recorded on the requirement (or
    the office's unit), where people look for it."""
    policy.save()
    subject = getattr(policy, "requirement", None) or policy.office
    after = snapshot(policy, [name for name in POLICY_FIELDS if hasattr(policy, name)])
    changes = {name: {"before": before.get(name), "after": value} for name, value in after.items() if before.get(name) != value}
    if changes:
        record_change(subject, "reminder_policy", actor=actor, changes=changes)
    return policy
