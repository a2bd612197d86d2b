"""The reminder sweep: derive from the data what is due now and record it in the outbox.

DESIGN rule 5 (reminders before each deadline to the liaisons, escalation after it
to the supervision group and the office; each sent once, even if the scheduler or
a worker runs twice or crashes mid-send); seed 000 (the 10 January 2014 deadline).

A sweep is one database transaction, set-based, and safe to run at any moment and
any number of times at once:

1. find the (requirement, due moment) pairs of open obligations inside the policies'
   time windows (one indexed range query);
2. for each kind of reminder, one INSERT … SELECT of the rows for all moments of that kind
   reached now (a derived table of moments joined to the obligations) and their
   recipients (joins: liaisons of the unit; members of
   the groups currently assigned to the unit or to an ancestor with include_subtree;
   office staff of the unit the requirement is submitted to). The unique key on
   (obligation, recipient, kind, offset, due moment) with ON CONFLICT DO NOTHING
   makes a repeated or concurrent sweep insert nothing new;
3. group this sweep's new rows into one digest per recipient (a digest's items are
   the sweep's rows for its recipient) and one delivery per
   digest and channel;
4. after commit, queue the deliveries for the workers (notifications.dispatch, which also
   re-queues, every few seconds, deliveries whose message was lost or whose sender died).

Nothing is ever scheduled with a long countdown: the database is the schedule.
"""

import dataclasses
import datetime as dt
import logging
from collections import defaultdict

from django.db import connection, transaction
from django.utils import timezone

from campaign.deadlines import SHANGHAI
from campaign.models import Obligation, Requirement
from core import clock
from notifications.channels import configured_channels
from notifications.dispatch import enqueue
from notifications.models import (
    Delivery,
    Digest,
    EffectivePolicy,
    OfficeReminderDefaults,
    Reminder,
    ReminderPolicy,
    Sweep,
    SweepHeartbeat,
)
from supervision.models import GroupAssignment
from units.models import Unit, UnitMembership

logger = logging.getLogger(__name__)

MOMENTS_PER_STATEMENT = 500
ANALYZE_AFTER = 10000


@dataclasses.dataclass
class SweepResult:
    sweep_id: int | None
    created: int
    digests: int
    delivery_ids: list


def _t(model):
    return connection.ops.quote_name(model._meta.db_table)


def _dt(value):
    return connection.ops.adapt_datetimefield_value(value)


def _sql(queryset):
    """A queryset's SQL and parameters, to use as a derived table."""
    return queryset.query.get_compiler(using=connection.alias).as_sql()


def recipient_sources(today):
    """Per kind of reminder, the SQL that finds its recipients (DESIGN rule 5), built from the
    querysets that define them where they are kept: open obligations (campaign.status), the
    liaisons and office staff in force (UnitMembership.objects.liaisons/office_staff), the
    members of groups assigned today (GroupAssignment.objects.supervisors). The sweep adds only
    the joins between them.

    Each yields rows (obligation_id, user_id, requirement_id, unit_id, due_at, offset_days,
    scheduled_for) from `{moments}`, a derived table of the moments due now (requirement_id,
    due_at, offset_days, scheduled_for) whose parameters come first, joined to the open
    obligations and their recipients.
    """
    open_sql, open_params = _sql(Obligation.objects.open().order_by().values("id", "requirement_id", "unit_id", "due_at"))
    liaisons_sql, liaisons_params = _sql(UnitMembership.objects.liaisons().order_by().values("unit_id", "user_id"))
    office_sql, office_params = _sql(UnitMembership.objects.office_staff().order_by().values("unit_id", "user_id"))
    supervisors_sql, supervisors_params = _sql(GroupAssignment.objects.supervisors(today))
    un, rq = _t(Unit), _t(Requirement)
    # Liaisons and office staff are unique per unit (UnitMembership's key); a person in two groups
    # assigned to one unit would appear twice, hence DISTINCT only there.
    select = (
        "SELECT {distinct} o.id, r.user_id AS uid, o.requirement_id, o.unit_id, o.due_at, p.offset_days, p.scheduled_for "
        "FROM ({{moments}}) p JOIN (" + open_sql + ") o ON p.requirement_id = o.requirement_id AND p.due_at = o.due_at "
    )
    liaisons = (
        select.format(distinct="") + f"JOIN ({liaisons_sql}) r ON r.unit_id = o.unit_id",
        [*open_params, *liaisons_params],
    )
    group_direct = (
        select.format(distinct="DISTINCT") + f"JOIN ({supervisors_sql}) r ON r.unit_id = o.unit_id",
        [*open_params, *supervisors_params],
    )
    group_subtree = (
        select.format(distinct="DISTINCT")
        + f"JOIN {un} un ON un.id = o.unit_id "
        f"JOIN ({supervisors_sql}) r ON r.include_subtree = %s AND un.path LIKE r.unit_path || '%%' AND un.id <> r.unit_id",
        [*open_params, *supervisors_params, True],
    )
    office = (
        select.format(distinct="")
        + f"JOIN {rq} rq ON rq.id = o.requirement_id JOIN ({office_sql}) r ON r.unit_id = rq.submit_to_id",
        [*open_params, *office_params],
    )
    return {
        Reminder.Kind.BEFORE: [liaisons],
        Reminder.Kind.ESCALATE_GROUP: [group_direct, group_subtree],
        Reminder.Kind.ESCALATE_OFFICE: [office],
        Reminder.Kind.REPEAT: [liaisons, group_direct, group_subtree],
    }


def _candidate_pairs(now, policies_horizon):
    """(requirement_id, due_at) of open obligations whose due moment is within reach of a reminder now;
    a due moment still to be set (NULL until the unit's meeting is held, campaign.status) never is."""
    ahead, behind = policies_horizon
    return (
        Obligation.objects.open().filter(due_at__gt=now - behind, due_at__lte=now + ahead)
        .filter(requirement__is_active=True)
        .order_by()  # the model's default ordering would put id into the DISTINCT
        .values_list("requirement_id", "due_at")
        .distinct()
    )


def load_policies(requirement_ids=None):
    """EffectivePolicy for active requirements (few: ~10 per campaign), loaded in three queries."""
    office_defaults = {d.office.path: d for d in OfficeReminderDefaults.objects.select_related("office")}
    requirements = Requirement.objects.filter(is_active=True).select_related("directive__issuing_unit")
    if requirement_ids is not None:
        requirements = requirements.filter(pk__in=requirement_ids)
    own = {p.requirement_id: p for p in ReminderPolicy.objects.filter(requirement__in=requirements)}
    policies = {}
    for requirement in requirements:
        if requirement.pk in own:
            requirement.reminder_policy = own[requirement.pk]
        else:
            requirement.reminder_policy = ReminderPolicy(requirement=requirement)  # all fields inherit
        policies[requirement.pk] = EffectivePolicy.for_requirement(requirement, office_defaults)
    return policies


def plan(now, policies=None):
    """What is due now: {(kind, offset, moment): [(requirement_id, due_at), …]}."""
    policies = policies if policies is not None else load_policies()
    if not policies:
        return {}
    horizons = [p.horizon() for p in policies.values()]
    window = (max(h[0] for h in horizons), max(h[1] for h in horizons))
    due_now = defaultdict(list)
    for requirement_id, due_at in _candidate_pairs(now, window):
        policy = policies.get(requirement_id)
        if policy is None:
            continue
        for moment in policy.moments(due_at):
            if moment.at <= now < moment.until:
                due_now[(moment.kind, moment.offset, moment.at)].append((requirement_id, due_at))
    return due_now


def _moments_table(chunk):
    """A derived table (requirement_id, due_at, offset_days, scheduled_for) of the given moments, portable SQL."""
    row = "SELECT %s AS requirement_id, %s AS due_at, %s AS offset_days, %s AS scheduled_for"
    sql = " UNION ALL ".join([row] + ["SELECT %s, %s, %s, %s"] * (len(chunk) - 1))
    params = [value for rid, due, offset, at in chunk for value in (rid, _dt(due), offset, _dt(at))]
    return sql, params


def _insert_reminders(sweep, kind, moments, wall_now, today):
    """INSERT … SELECT the reminder rows of one kind for all its moments due now; returns rows inserted.

    `moments` is a list of (requirement_id, due_at, offset_days, scheduled_for): one statement per
    recipient source covers every offset and due moment of the kind at once.
    """
    reminder = _t(Reminder)
    inserted = 0
    columns = ("obligation_id, recipient_id, requirement_id, unit_id, due_at, kind, offset_days, scheduled_for, "
               "status, sweep_id, created_at, last_error")
    for sql, params in recipient_sources(today)[kind]:
        for start in range(0, len(moments), MOMENTS_PER_STATEMENT):
            moments_sql, moments_params = _moments_table(moments[start:start + MOMENTS_PER_STATEMENT])
            # The NOT EXISTS keeps a re-run cheap (an anti-join, nothing to insert); ON CONFLICT DO
            # NOTHING on the unique key settles a race with a concurrent sweep.
            statement = (
                f"INSERT INTO {reminder} ({columns}) "
                f"SELECT src.id, src.uid, src.requirement_id, src.unit_id, src.due_at, %s, src.offset_days, "
                f"src.scheduled_for, %s, %s, %s, '' "
                f"FROM ({sql.format(moments=moments_sql)}) src "
                f"WHERE NOT EXISTS (SELECT 1 FROM {reminder} r WHERE r.obligation_id = src.id AND r.recipient_id = src.uid "
                f"AND r.kind = %s AND r.offset_days = src.offset_days AND r.due_at = src.due_at) "
                f"ON CONFLICT DO NOTHING"
            )
            with connection.cursor() as cursor:
                cursor.execute(
                    statement,
                    [kind, Reminder.Status.QUEUED, sweep.pk, _dt(wall_now), *moments_params, *params, kind],
                )
                count = max(cursor.rowcount, 0)
                inserted += count
                if count >= ANALYZE_AFTER and connection.vendor == "postgresql":
                    # Fresh statistics, so that the next statement's NOT EXISTS probes the unique
                    # index instead of scanning a table the planner still believes is empty.
                    cursor.execute(f"ANALYZE {reminder}")
    return inserted


def build_digests(sweep, wall_now, channels, rows=Reminder):
    """One digest per recipient of this sweep's new rows (of `rows`: the reminders, or the news of
    notifications.events), one delivery per digest and channel: two set-based statements."""
    source, digest, delivery = _t(rows), _t(Digest), _t(Delivery)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {digest} (sweep_id, recipient_id, created_at) "
            f"SELECT DISTINCT %s, recipient_id, %s FROM {source} WHERE sweep_id = %s",
            [sweep.pk, _dt(wall_now), sweep.pk],
        )
        digests = max(cursor.rowcount, 0)
        if digests >= ANALYZE_AFTER and connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {digest}")  # as in _insert_reminders: no plan for an "empty" table
        if channels:
            # All channels in one statement: the digests of this sweep × a derived table of channel names.
            names = " UNION ALL ".join(["SELECT %s AS name"] * len(channels))
            cursor.execute(
                f"INSERT INTO {delivery} (digest_id, channel, status, attempts, next_attempt_at, enqueued_at, "
                f"lease_token, last_error, created_at, resend_count) "
                f"SELECT d.id, c.name, %s, 0, %s, NULL, '', '', %s, 0 FROM {digest} d CROSS JOIN ({names}) c "
                f"WHERE d.sweep_id = %s",
                [Delivery.Status.PENDING, _dt(wall_now), _dt(wall_now),
                 *[channel.name for channel in channels], sweep.pk],
            )
    return digests


# Any constant will do: it names the sweep's lock among PostgreSQL's advisory locks.
SWEEP_LOCK_KEY = 5_150_2014


def _take_turns():
    """Concurrent sweeps (two beats, a manual send_reminders) run one after the other.

    The unique key already keeps a reminder from being recorded twice; taking turns also
    spares two sweeps from blocking on each other's rows mid-statement (and the deadlocks
    that can follow). PostgreSQL: a transaction-scoped advisory lock. SQLite: the
    transaction itself takes the write lock up front (transaction_mode IMMEDIATE).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SWEEP_LOCK_KEY])


def run_sweep(now=None, *, dispatch=True, dry_run=False):
    """One sweep as of `now` (business time; default: the current moment). See the module docstring.

    dispatch=True enqueues the deliveries for Celery workers after commit; dispatch=False
    leaves them for the caller (send_reminders sends them in-process). dry_run rolls back.
    """
    wall_now = clock.now()
    now = now or wall_now
    today = now.astimezone(SHANGHAI).date()
    channels = configured_channels()
    with transaction.atomic():
        _take_turns()
        sweep = Sweep.objects.create(started_at=wall_now, as_of=now)
        created = 0
        by_kind = defaultdict(list)
        for (kind, offset, at), pairs in sorted(plan(now).items(), key=lambda item: (item[0][2], item[0][0])):
            by_kind[kind].extend((rid, due, offset, at) for rid, due in pairs)
        for kind, moments in by_kind.items():
            created += _insert_reminders(sweep, kind, moments, wall_now, today)
        digests = build_digests(sweep, wall_now, channels) if created else 0
        delivery_ids = list(Delivery.objects.filter(digest__sweep=sweep).values_list("pk", flat=True))
        Sweep.objects.filter(pk=sweep.pk).update(created=created, digests=digests, finished_at=clock.now())
        if dry_run:
            transaction.set_rollback(True)
            return SweepResult(None, created, digests, [])
        # Real time (see SweepHeartbeat): how long ago the sweep last ran, for /readyz.
        SweepHeartbeat.objects.update_or_create(pk=1, defaults={"finished_at": clock.wall_now()})
        if not created:
            sweep.delete()  # an empty sweep leaves no trace (but its heartbeat)
        if dispatch and delivery_ids:
            transaction.on_commit(lambda: enqueue(delivery_ids))
    logger.info("reminder sweep as of %s: created=%s digests=%s", now.isoformat(), created, digests)
    return SweepResult(sweep.pk if created else None, created, digests, delivery_ids)


def as_of(text):
    """Parse --now / task arguments: ISO 8601; a naive value is Asia/Shanghai."""
    if isinstance(text, dt.datetime):
        value = text
    else:
        value = dt.datetime.fromisoformat(text)
    if timezone.is_naive(value):
        value = value.replace(tzinfo=SHANGHAI)
    return value

