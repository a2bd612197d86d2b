"""催办: an office, or a supervision group over its units, chases units by hand (issue 13).

The automatic reminders (DESIGN rule 5) go out before and after each deadline; a chase is a
person's: "this unit, now, and here is why". It is recorded per obligation (who, when, note),
audited on the obligation (its timeline shows it), and delivered to the unit's liaisons through
the notifications outbox (exactly once, every channel) by listening to `campaign.signals.chased`.

A unit is chased at most once a day per obligation unless the person confirms a second chase:
liaisons are people, and three chases before lunch teach them to ignore the fourth.
"""

import dataclasses
import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import change, record_change, record_changes
from campaign import signals
from campaign.deadlines import SHANGHAI
from campaign.models import Chase, Obligation
from campaign.status import open_q
from core import clock

NOTE_MAX_LENGTH = 500


@dataclasses.dataclass
class ChaseResult:
    chased: list  # the Chase rows written
    already_today: list  # obligations left alone: chased today already, and not confirmed
    not_open: int  # obligations left alone: nothing is waiting for the unit


def start_of_day(moment):
    """The start of `moment`'s day in Asia/Shanghai: the once-a-day limit counts calendar days there."""
    local = moment.astimezone(SHANGHAI)
    return dt.datetime.combine(local.date(), dt.time(0, 0), tzinfo=SHANGHAI)


def chased_today(obligation_ids, now=None):
    """The ids among `obligation_ids` chased since the start of today (Asia/Shanghai)."""
    since = start_of_day(now or clock.now())
    return set(Chase.objects.filter(obligation_id__in=obligation_ids, chased_at__gte=since)
               .values_list("obligation_id", flat=True))


@transaction.atomic
def chase(obligations, *, actor, note="", confirm=False):
    """Chase the open obligations among `obligations`, a queryset the caller has narrowed with
    Obligation.objects.restrict(actor, "remind") (who may chase is the rules' question). Those
    chased today already are left out unless `confirm`. Returns a ChaseResult."""
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise ValueError(_("催办说明不能超过 %(max)s 个字。") % {"max": NOTE_MAX_LENGTH})
    now = clock.now()
    candidates = list(obligations.select_related(None).only("pk", "unit_id", "requirement_id", "status"))
    open_ids = set(obligations.filter(open_q()).values_list("pk", flat=True))
    waiting = [o for o in candidates if o.pk in open_ids]
    today = set() if confirm else chased_today([o.pk for o in waiting], now)
    targets = [o for o in waiting if o.pk not in today]
    rows = Chase.objects.bulk_create(
        [Chase(obligation_id=o.pk, chased_by=actor, chased_at=now, note=note) for o in targets], batch_size=2000
    )
    if targets:
        record_changes(targets, "chase", actor=actor, changes={"note": change(None, note)} if note else None,
                       reason=note)
        if any(row.pk is None for row in rows):  # a database that returns no keys from a bulk INSERT
            rows = list(Chase.objects.filter(obligation_id__in=[o.pk for o in targets], chased_at=now, chased_by=actor))
        signals.chased.send(Chase, chases=rows, actor=actor)
    return ChaseResult(rows if targets else [], [o for o in waiting if o.pk in today], len(candidates) - len(waiting))


def sign_for_chases(obligation, user):
    """签收: a liaison of the unit opening its obligation after a chase signs for every chase not yet
    signed for, once (the guarded UPDATE only touches unsigned chases, and only when the rules say
    this person's opening counts: campaign.rules "sign_for"); audited when it signed any. Returns
    how many."""
    now = clock.now()
    with transaction.atomic():
        signed = Chase.objects.filter(
            obligation__in=Obligation.objects.restrict(user, "sign_for").filter(pk=obligation.pk),
            received_at__isnull=True,
        ).update(received_at=now)
        if signed:
            record_change(obligation, "sign_for_chases", actor=user, changes={"chases": change(None, signed)})
    return signed
