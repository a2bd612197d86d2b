"""Receipts (签收, issue 13): the first opening of something by a person whose opening counts
records that it was received, once, at that moment, by that person.

Who counts is each app's rule "sign_for" (access.policy), typically the unit's own liaisons. The
receipt is one guarded UPDATE (`received_at` still empty, and the row within what the person may
sign for), so two first openings at once record one receipt and one audit row. The model needs
`received_at` and `received_by`.
"""

from django.db import transaction

from audit.services import change, record_change
from core import clock


def sign_for(obj, user):
    """Record `user`'s opening of `obj` as its receipt when it is the first that counts; returns
    whether it was."""
    if obj.received_at is not None:
        return False  # signed for already: not even a query
    now = clock.now()
    with transaction.atomic():
        signed = (
            type(obj).objects.restrict(user, "sign_for")
            .filter(pk=obj.pk, received_at__isnull=True)
            .update(received_at=now, received_by=user)
        )
        if signed != 1:
            return False
        record_change(obj, "sign_for", actor=user,
                      changes={"received_at": change(None, now), "received_by": change(None, user)})
    obj.received_at, obj.received_by = now, user
    return True
