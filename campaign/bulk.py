"""Writing obligations by the thousand without holding them (issue "province scale"): a one-off
requirement's fan-out to every unit it binds and a deadline move on every open obligation are
set-based statements run in batches of BULK_BATCH_SIZE rows, walked in id order (keyset, not
OFFSET), so that memory stays flat and the number of statements grows with the batches only.

Each bulk action writes one audit row on the requirement (audit.services.record_bulk) with its
count and a batch key; every obligation it wrote keeps that key (Obligation.issue_batch,
Obligation.due_batch), so each obligation's timeline still shows who issued or moved it and when.

Idempotent and resumable: the fan-out inserts only the (requirement, unit) pairs still missing
(INSERT ... ON CONFLICT DO NOTHING on the unique constraint), so a run
interrupted between batches is completed by running it again with the same batch key
(campaign.jobs passes it along). The callers decide the transaction: campaign.actions runs the
whole action in the request's one transaction; the background job commits batch by batch.

Used by campaign.actions (fan_out, move_deadline), which stay the entry points (DESIGN rule 2).
"""

from contextlib import nullcontext

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from audit.services import change, new_batch_key, record_bulk
from campaign import signals
from campaign.deadlines import DueEvent
from campaign.models import Obligation, Requirement
from campaign.status import ObligationStatus
from core import clock, jobs

# Rows per statement: small enough for SQLite's 32,766 parameters (the ids a batch tells the
# notifications) and for a short statement on PostgreSQL, large enough that 500,000 rows are 100.
BULK_BATCH_SIZE = 5000


def _batch_ends(queryset, size):
    """The last id of each batch of `size` rows of `queryset`, walking by id (keyset): one small
    query per batch, however large the table."""
    last = 0
    while True:
        ids = list(queryset.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[size - 1:size])
        if not ids:
            # The rest is one batch: it ends at the largest id left (None when nothing is left).
            end = queryset.filter(pk__gt=last).order_by("-pk").values_list("pk", flat=True).first()
            if end is not None:
                yield last, end
            return
        yield last, ids[0]
        last = ids[0]


def _insert_missing(requirement, units, *, due_at, batch_key, now):
    """INSERT ... SELECT ... ON CONFLICT DO NOTHING: an obligation for each unit of `units` (a
    queryset) that has none under `requirement` yet. Returns how many rows were inserted."""
    # No NOT EXISTS against the obligations: a requirement's rows are new within this transaction,
    # PostgreSQL plans the anti-join for none and scans every earlier batch's rows per unit. The
    # unique constraint (requirement, unit) skips the pairs that exist, one index probe each.
    select_sql, select_params = units.order_by().values("id").query.sql_with_params()
    quote = connection.ops.quote_name
    columns = ["requirement_id", "unit_id", "status", "due_at", "submitted_late", "period_label", "exemption_reason",
               "assigned_at", "updated_at", "issue_batch", "due_batch"]
    # "WHERE 1=1" before ON CONFLICT: SQLite reads "FROM (...) ON" as a join without it.
    # ON CONFLICT DO NOTHING (PostgreSQL, and SQLite >= 3.24) on the partial unique index.
    sql = (f"INSERT INTO {quote(Obligation._meta.db_table)} ({', '.join(quote(c) for c in columns)}) "
           f"SELECT %s, {quote('bound')}.{quote('id')}, %s, %s, %s, %s, %s, %s, %s, %s, %s "
           f"FROM ({select_sql}) {quote('bound')} WHERE 1=1 ON CONFLICT DO NOTHING")
    # Adapted as the ORM would: SQLite stores datetimes as naive UTC text, and compares them as text.
    moment = connection.ops.adapt_datetimefield_value
    values = [requirement.pk, ObligationStatus.PENDING, moment(due_at), False, "", "", moment(now), moment(now), batch_key, ""]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, *select_params])
        return max(cursor.rowcount, 0)


def issue(requirement, units, *, actor, batch_key=None, reason="", progress=None, size=None, each_batch=nullcontext):
    """Give each unit of `units` (a queryset of units the one-off `requirement` binds) its one
    obligation, batch by batch; one audit row for all of them. `progress(done)` is told after each
    batch. Returns how many obligations were created (by this run and any earlier one with the same
    `batch_key`, which is how a resumed job counts what the interrupted one had done)."""
    size = size or BULK_BATCH_SIZE
    key = batch_key or new_batch_key()
    now = clock.now()
    if requirement.due_event == DueEvent.RECEIVED:
        # "收到通知后10个工作日内" (issue 13): the notice reaches these units now, as their obligations are issued.
        due_at = requirement.due_after(clock.today())
    else:
        due_at = requirement.due_at  # None (待定) under a meeting's deadline until the meeting is held
    done = 0
    for after, last in _batch_ends(units, size):
        with each_batch():
            inserted = _insert_missing(requirement, units.filter(pk__gt=after, pk__lte=last), due_at=due_at, batch_key=key,
                                       now=now)
            if inserted:
                made = list(Obligation.objects.filter(requirement_id=requirement.pk, issue_batch=key, unit_id__gt=after,
                                                      unit_id__lte=last).values_list("pk", "unit_id"))
                if requirement.due_event and requirement.due_event != DueEvent.RECEIVED:
                    _settle_held(requirement, made)
                signals.obligations_issued.send(type(requirement), requirement=requirement,
                                                obligation_ids=[pk for pk, _unit in made], actor=actor)
        done += inserted
        if progress is not None:
            progress(done)
    count = Obligation.objects.filter(requirement_id=requirement.pk, issue_batch=key).count() if batch_key else done
    if count:
        record_issued(requirement, count, batch_key=key, actor=actor, reason=reason)
    return count


def record_issued(requirement, count, *, batch_key, actor, reason):
    """The one audit row of `count` obligations issued under `requirement` with `batch_key`."""
    record_bulk(requirement, "obligations_issued", actor=actor, count=count, batch_key=batch_key, reason=reason,
                changes={"requirement": change(None, requirement), "obligations_added": change(None, count)})


def record_moved(requirement, count, *, batch_key, actor, reason, old_due, new_due):
    """The one audit row of `count` obligations of `requirement` moved from `old_due` to `new_due`."""
    record_bulk(requirement, "obligations_due_moved", actor=actor, count=count, batch_key=batch_key, reason=reason,
                changes={"requirement": change(None, requirement), "due_at": change(old_due, new_due)})


def _settle_held(requirement, made):
    """Units whose meeting was already held get their moment now (rule 13); the others stay 待定."""
    held = requirement.event_held_on([unit_id for _pk, unit_id in made])
    by_day = {}
    for pk, unit_id in made:
        if unit_id in held:
            by_day.setdefault(held[unit_id], []).append(pk)
    for day, ids in by_day.items():
        Obligation.objects.filter(pk__in=ids).update(due_at=requirement.due_after(day))


def move(requirement, obligations, new_due, *, actor, reason, old_due, progress=None, size=None, each_batch=nullcontext):
    """Give every obligation of `obligations` (a queryset, all carrying `old_due`) the due moment
    `new_due`: one UPDATE per batch of ids, one audit row for all, the batch key kept on each
    (Obligation.due_batch); updated_at moves too (the dashboard follows it). The notifications
    hear of each batch (signals.due_moved). Returns how many moved."""
    size = size or BULK_BATCH_SIZE
    key = new_batch_key()
    done = 0
    last = 0
    while True:
        # Keyset by the ids themselves: the batch's ids are needed anyway (the notifications hear of them).
        with each_batch():
            ids = list(obligations.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:size])
            if not ids:
                break
            moved = Obligation.objects.filter(pk__in=ids).update(due_at=new_due, due_batch=key, updated_at=clock.now())
            signals.due_moved.send(Obligation, moves=[(pk, old_due, new_due) for pk in ids], actor=actor, reason=reason,
                                   action="due_moved")
        last = ids[-1]
        done += moved
        if progress is not None:
            progress(done)
    if done:
        record_moved(requirement, done, batch_key=key, actor=actor, reason=reason, old_due=old_due, new_due=new_due)
    return done


# --- in the background: more rows than settings.BULK_INLINE_LIMIT (core.jobs) ----------------------

FAN_OUT_JOB = "campaign.fan_out"
MOVE_JOB = "campaign.move_deadline"


def over_inline_limit(count):
    return count > settings.BULK_INLINE_LIMIT


def start_fan_out(requirement, *, actor, count):
    """Queue the fan-out of `requirement` (about `count` obligations) as a job: the requirement
    shows 生成中 (Requirement.issuing) until the job has written every batch. Returns the job."""
    Requirement.objects.filter(pk=requirement.pk).update(issuing=True)
    requirement.issuing = True
    return jobs.start(FAN_OUT_JOB, owner=actor, total=count,
                      title=_("正在生成 %(count)s 项报送任务") % {"count": f"{count:,}"} + f"：{requirement.title}"[:150],
                      params={"requirement": requirement.pk, "batch_key": new_batch_key()})


def start_move(requirement, *, actor, count, old_due):
    """Queue the move of `count` open obligations from `old_due` to the requirement's due moment."""
    return jobs.start(MOVE_JOB, owner=actor, total=count,
                      title=_("正在调整 %(count)s 项报送任务的截止时间") % {"count": f"{count:,}"} + f"：{requirement.title}"[:150],
                      params={"requirement": requirement.pk, "old_due": old_due.isoformat()})


def _job_actor(job):
    return get_user_model().objects.filter(pk=job.owner_id).first() if job.owner_id else None


def run_fan_out(job, progress):
    """The fan-out job: batch by batch, each its own transaction; a job resumed after its worker
    died runs again with the same batch key and completes what is missing (no duplicates)."""
    requirement = Requirement.objects.select_related("scope_unit", "directive").filter(pk=job.params["requirement"]).first()
    if requirement is None:
        return {"message": _("报送要求已删除，未生成报送任务。")}
    made = 0
    if requirement.is_active and requirement.recurrence is None:
        made = issue(requirement, requirement.bound_units(), actor=_job_actor(job), batch_key=job.params["batch_key"],
                     reason=_("属于报送要求的范围"), progress=lambda done: progress(done, job.total),
                     each_batch=transaction.atomic)
    Requirement.objects.filter(pk=requirement.pk).update(issuing=False)
    return {"message": _("已生成 %(count)s 项报送任务") % {"count": f"{made:,}"}}


def run_move(job, progress):
    """The deadline-move job: the open obligations still at the old moment move to the moment the
    requirement has now (a later edit's own move then finds nothing left to do)."""
    requirement = Requirement.objects.filter(pk=job.params["requirement"]).first()
    if requirement is None or requirement.due_event or requirement.recurrence is not None:
        return {"message": _("报送要求已改变，无需调整。")}
    old_due = parse_datetime(job.params["old_due"])
    moved = move(requirement, requirement.obligations.open().filter(due_at=old_due), requirement.due_at,
                 actor=_job_actor(job), reason=_("报送要求的截止时间已调整"), old_due=old_due,
                 progress=lambda done: progress(done, job.total), each_batch=transaction.atomic)
    return {"message": _("已调整 %(count)s 项报送任务的截止时间") % {"count": f"{moved:,}"}}
