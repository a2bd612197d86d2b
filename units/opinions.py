"""The changes to mass opinions (群众意见), each audited (DESIGN rule 10).

002 (群组发〔2014〕7号, 二、在直接听取群众意见上下功夫): “市、县机关到基层听取意见可以‘下去一把抓、
回来再分家’，涉及哪个单位的意见，哪个单位要主动认领。” An office or a supervision group member
records what it heard (record_opinion) and suggests the unit it concerns; that unit claims it
(claim_opinion, units.rules.OPINION "claim": once, by the unit concerned) and answers it with what
was done (answer_opinion, rule "answer": only after claiming, by the claiming unit).
"""

from django.db import transaction

from access.scope import scope_for
from audit.services import change, created, record_change, snapshot
from core import clock
from units.models import Opinion

OPINION_FIELDS = ["collected_by", "concerned_unit", "text", "source", "channel", "four_winds", "collected_on"]


def collecting_office(user, unit):
    """The unit of the user's nearest office over `unit`, or None (a supervision group member
    collecting on a visit, or a superuser)."""
    offices = [anchor for anchor in scope_for(user).offices if unit.path.startswith(anchor.path)]
    if not offices:
        return None
    return max(offices, key=lambda anchor: len(anchor.path)).unit_id


@transaction.atomic
def record_opinion(opinion, *, unit, actor):
    """Record an opinion heard about `unit` (the caller checked units.rules.UNIT "collect_opinions"):
    collected by the actor's nearest office over the unit, or by the actor's group on a visit."""
    opinion.concerned_unit = unit
    opinion.collected_by_id = collecting_office(actor, unit)
    opinion.recorded_by = actor
    opinion.save()
    record_change(opinion, "create", actor=actor, changes=created(opinion, OPINION_FIELDS))
    return opinion


@transaction.atomic
def claim_opinion(opinion, *, actor):
    """The unit concerned takes the opinion as its own. One guarded UPDATE: of two claims at the
    same moment only one succeeds. Returns False when it had already been claimed."""
    now = clock.now()
    claimed = Opinion.objects.filter(pk=opinion.pk, claimed_by__isnull=True, concerned_unit_id=opinion.concerned_unit_id)
    if not claimed.update(claimed_by_id=opinion.concerned_unit_id, claimed_at=now):
        return False
    opinion.claimed_by_id, opinion.claimed_at = opinion.concerned_unit_id, now
    record_change(opinion, "claim", actor=actor, changes={"claimed_by": change(None, opinion.claimed_by)})
    return True


@transaction.atomic
def answer_opinion(opinion, answer, *, actor):
    """The claiming unit says what it did about the opinion (again, to correct it)."""
    before = snapshot(opinion, ["answer"])
    opinion.answer = answer
    opinion.answered_at = clock.now()
    opinion.answered_by = actor
    opinion.save(update_fields=["answer", "answered_at", "answered_by"])
    record_change(opinion, "answer", actor=actor, before=before)
    return opinion
