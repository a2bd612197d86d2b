"""Due moments that count from a unit's meeting (DESIGN rule 13: "会后一周内"; 000: 总结会议应安排
在中央和省委会议之后，然后报正式书面总结): an obligation under such a requirement has no due
moment (待定) until its unit's meeting is recorded as held; then it is due N days after that day
(campaign.deadlines.EventDeadline, Requirement.due_after). campaign.meetings calls
`settle_event_deadlines` when a meeting is recorded as held or its date corrected;
campaign.actions.move_deadline uses `move_due` when a requirement's deadline changes.

A deadline counting from the notice itself ("收到通知后10个工作日内", DueEvent.RECEIVED, issue 13)
counts from the day the notice reached the unit: the day its obligation was issued. Fan-out
sets the moment then (campaign.actions.fan_out); when the rule changes later, `counted_from`
reads that day back from the obligation's assigned_at.
"""

from django.db import transaction
from django.db.models import Min
from django.utils.translation import gettext as _

from audit.services import change, new_batch_key, record_changes
from campaign import bulk, signals
from campaign.deadlines import DueEvent
from campaign.models import Meeting, Obligation, Requirement
from core import clock

# Obligations of one requirement moved alike at once beyond which the move is audited as one row on
# the requirement (its count and batch key, which each obligation keeps: Obligation.due_batch), as
# campaign.bulk.move does; up to it, one row on each obligation's own timeline (a unit's meeting held,
# a granted extension). A recurring requirement's new rule moves a period of a whole province at once.
AUDIT_EACH_LIMIT = 100
# Ids per UPDATE (SQLite allows 32,766 parameters in one statement).
UPDATE_CHUNK = 5000


def _audited_in_bulk(action, moved):
    """Only a requirement's own change moves many alike at once (a meeting held or an extension
    granted concerns one unit): past AUDIT_EACH_LIMIT, one row on the requirement."""
    return action == "due_moved" and len(moved) > AUDIT_EACH_LIMIT


def move_due(obligations, new_due_for, *, actor, reason, action="due_moved"):
    """Give each of `obligations` the due moment `new_due_for(obligation)`: one UPDATE per (old, new)
    pair and requirement (in chunks), audited as `action` (AUDIT_EACH_LIMIT: per obligation, or one
    bulk row); updated_at moves too (the dashboard follows it). Returns how many moved."""
    groups = {}
    for obligation in obligations:
        new_due = new_due_for(obligation)
        if new_due != obligation.due_at:
            groups.setdefault((obligation.requirement_id, obligation.due_at, new_due), []).append(obligation)
    large = {requirement_id for (requirement_id, _old, _new), moved in groups.items() if _audited_in_bulk(action, moved)}
    requirements = Requirement.objects.in_bulk(large) if large else {}
    for (requirement_id, old_due, new_due), moved in groups.items():
        key = new_batch_key() if _audited_in_bulk(action, moved) else ""
        for start in range(0, len(moved), UPDATE_CHUNK):
            ids = [o.pk for o in moved[start:start + UPDATE_CHUNK]]
            values = {"due_at": new_due, "updated_at": clock.now(), **({"due_batch": key} if key else {})}
            Obligation.objects.filter(pk__in=ids).update(**values)
        if key:
            bulk.record_moved(requirements[requirement_id], len(moved), batch_key=key, actor=actor, reason=reason,
                              old_due=old_due, new_due=new_due)
        else:
            record_changes(moved, action, actor=actor, changes={"due_at": change(old_due, new_due)}, reason=reason)
    if groups:
        moves = [(o.pk, old_due, new_due) for (_requirement, old_due, new_due), moved in groups.items() for o in moved]
        signals.due_moved.send(Obligation, moves=moves, actor=actor, reason=reason, action=action)
    return sum(len(moved) for moved in groups.values())


def issued_on(requirement):
    """{unit id: the day (Asia/Shanghai) its obligation under `requirement` was issued}: the day
    it was assigned (Obligation.assigned_at, which campaign.bulk.issue writes with the fan-out's
    one audit row)."""
    return {unit_id: clock.local(at).date() for unit_id, at in
            Obligation.objects.filter(requirement_id=requirement.pk).values_list("unit_id", "assigned_at").iterator()}


def counted_from(requirement):
    """{unit id: the day its deadline under `requirement` counts from}: the day its meeting was
    first held (rule 13), or the day the notice reached it (DueEvent.RECEIVED); empty for a date."""
    if requirement.due_event == DueEvent.RECEIVED:
        return issued_on(requirement)
    return requirement.event_held_on()


def first_held_on(unit, kind):
    """The day `unit`'s first meeting of `kind` was held, or None: the day its deadlines count from."""
    return Meeting.objects.filter(unit=unit, kind=kind, status=Meeting.Status.HELD, held_on__isnull=False).aggregate(
        first=Min("held_on"))["first"]


@transaction.atomic
def settle_event_deadlines(unit, event, *, actor, previous_held_on):
    """Rule 13 (000: 总结会议……之后，然后报正式书面总结): once `unit`'s meeting of kind `event` is
    recorded as held, or its held date corrected, the unit's obligations under the requirements
    counting from that meeting are due N days after the day it was first held (first_held_on),
    end of day Asia/Shanghai. An obligation moves only while it still carries the moment
    `previous_held_on` (the first held day before this change, None the first time: 待定) gave it;
    a moment of its own from a return is kept. Called by campaign.meetings; returns how many moved."""
    if event not in DueEvent.values or event == DueEvent.RECEIVED:
        return 0
    held_on = first_held_on(unit, event)
    obligations = Obligation.objects.filter(unit=unit, requirement__due_event=event).select_related("requirement")
    moving = [o for o in obligations if o.due_at is None or o.due_at == o.requirement.due_after(previous_held_on)]
    return move_due(moving, lambda o: o.requirement.due_after(held_on), actor=actor, action="due_settled",
                    reason=_("本单位会议召开日期已记录，截止时间随之确定"))
