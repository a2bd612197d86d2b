"""The changes with a rule behind them in notifications: a requirement's reminder policy and an
office's reminder defaults (DESIGN rule 5), and resending deliveries that failed for good
(issue 11). Each keeps the trail (rule 10)."""

import dataclasses
import datetime as dt
import logging
from collections import Counter, defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from audit.services import change, record_change, snapshot
from core import clock
from notifications import dispatch
from notifications.channels import InAppChannel
from notifications.models import MAX_LATENESS, Delivery, Digest, Event, PolicyFields, Reminder, Sweep
from notifications.outcomes import channel_label

logger = logging.getLogger(__name__)

POLICY_FIELDS = ["enabled", *PolicyFields.FIELDS]
# The details of a resend's audit row, in words (registered with audit.vocabulary).
RESEND_DETAILS = {"resent": _("重新发送条数"), "channels": _("渠道"), "deliveries": _("发送记录编号")}
# A resend of at most this many rows lists their ids in its audit row; a larger one gives counts
# (each resent row keeps its own resent_at and resend_count).
AUDITED_IDS = 200


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


@dataclasses.dataclass
class Resent:
    ids: list
    by_channel: dict  # {channel name: count}

    @property
    def count(self):
        return len(self.ids)


def resend_deliveries(queryset, *, actor, reason, requirement=None, enqueue=True):
    """Send again the deliveries of `queryset` that failed for good, each with a new retry window:
    the one way to resend, for the reminder log, the admin and `manage.py resend_deliveries`.

    Who may is the caller's question, asked of the rules: it passes
    Delivery.objects.restrict(user, "resend") narrowed to what was asked for. The rows change
    through DeliveryQuerySet.resend(), a guarded UPDATE: of two people resending the same row at
    once, one resends it and the other finds nothing left to do. A resend that changed rows
    writes one audit row with its reason, how many and on which channels, in the same
    transaction: on `requirement` when it was that requirement's (its trail shows it), else on
    the first delivery resent (the one, for a resend of one), the row listing them all up to
    AUDITED_IDS (the admin's audit list shows it). After commit the rows
    are queued for the workers (not when `enqueue` is False: the caller sends them itself); the
    dispatcher would find them anyway, as resend() clears enqueued_at.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("a resend is recorded with its reason")
    with transaction.atomic():
        ids = queryset.resend(clock.now())
        if not ids:
            return Resent([], {})
        by_channel = _channels_of(ids)
        changes = {
            "resent": change(None, len(ids)),
            "channels": change(None, [
                {"pk": name, "label": f"{channel_label(name)} {count}"} for name, count in sorted(by_channel.items())
            ]),
        }
        if len(ids) <= AUDITED_IDS:
            changes["deliveries"] = change(None, sorted(ids))
        subject = requirement if requirement is not None else Delivery.objects.get(pk=min(ids))
        record_change(subject, "resend_deliveries", actor=actor, reason=reason, changes=changes)
        if enqueue:
            transaction.on_commit(lambda: dispatch.enqueue(ids))
    return Resent(ids, by_channel)


def _channels_of(ids):
    counts = Counter()
    for start in range(0, len(ids), 5000):
        counts.update(dict(
            Delivery.objects.filter(pk__in=ids[start:start + 5000]).order_by().values_list("channel").annotate(n=Count("pk"))
        ))
    return dict(counts)


@transaction.atomic
def set_preferences(user, *, actor, language=None, quiet_channels=None):
    """A person's own preferences (issue 13): the language of pages and messages (rendered at
    delivery in it), and the channels they turned off among those offered (the notification
    centre stays on). Audited on the person."""
    before = snapshot(user, ["language", "quiet_channels"])
    if language is not None:
        user.language = language
    if quiet_channels is not None:
        user.quiet_channels = sorted(set(quiet_channels) - {InAppChannel.name})
    user.save(update_fields=["language", "quiet_channels"])
    if snapshot(user, ["language", "quiet_channels"]) != before:
        record_change(user, "preferences", actor=actor, before=before)
    return user


# How long after its moment the sweep may still record a reminder's key (obligation, recipient, kind,
# offset, due moment) anew: a moment is due until at most MAX_LATENESS after it (escalations,
# repeats; a reminder before the deadline only until the deadline), and recomputed under a changed
# policy or calendar it moves by at most the 40 days shift_to_workday looks ahead plus the send time.
DEDUP_HORIZON = MAX_LATENESS + dt.timedelta(days=41)
PURGE_BATCH = 500


def purge_sent_reminders(now=None, *, retention_days=None):
    """Delete what reminders leave behind once it is older than REMINDER_RETENTION_DAYS (beat, nightly).

    What goes: digests whose every delivery was sent (or skipped: nowhere to send it), with their
    deliveries and their reminder rows; then reminder rows sent with no digest left; then sweeps
    left with nothing. What stays, whatever its age: a digest with a delivery pending, retrying,
    sending or failed (an office may resend it, and its message is rendered from its reminder rows),
    every reminder row not sent, the in-app messages (Notification.delivery is set to empty), the
    news (Event: its unique key is what tells each happening once), and the audit trail.

    The rule that keeps reminders exactly once: the sweep skips a reminder whose key already has a
    row, so deleting the row would send it again should its moment still be due. A row goes only
    once both its due moment and its scheduled moment lie more than DEDUP_HORIZON in the past, when
    no sweep can find that moment due any more; with the default two years' retention that is
    always so, with a short one the horizon wins. Returns {"reminders": n, "digests": n, "sweeps": n}.
    """
    now = now or clock.now()
    retention = dt.timedelta(days=settings.REMINDER_RETENTION_DAYS if retention_days is None else retention_days)
    cutoff, horizon = now - retention, now - DEDUP_HORIZON
    forgettable = Q(status=Reminder.Status.SENT, sent_at__lt=cutoff, scheduled_for__lt=horizon, due_at__lt=horizon)
    done = Digest.objects.filter(created_at__lt=cutoff).exclude(
        Exists(Delivery.objects.filter(digest=OuterRef("pk")).exclude(
            status__in=[Delivery.Status.SENT, Delivery.Status.SKIPPED]))
    ).exclude(
        Exists(Reminder.objects.filter(sweep_id=OuterRef("sweep_id"), recipient_id=OuterRef("recipient_id"))
               .exclude(forgettable))
    )
    counts = Counter()
    for chunk in _batches(done, "pk", "sweep_id", "recipient_id", size=PURGE_BATCH):
        recipients_by_sweep = defaultdict(list)
        for _pk, sweep_id, recipient_id in chunk:
            recipients_by_sweep[sweep_id].append(recipient_id)
        with transaction.atomic():
            for sweep_id, recipients in recipients_by_sweep.items():
                counts["reminders"] += Reminder.objects.filter(
                    forgettable, sweep_id=sweep_id, recipient_id__in=recipients).delete()[0]
            # Asked again at the deletion: a digest that stopped qualifying meanwhile stays.
            _total, by_model = done.filter(pk__in=[pk for pk, _s, _r in chunk]).delete()
        counts["digests"] += by_model.get(Digest._meta.label, 0)
    orphans = Reminder.objects.filter(forgettable).exclude(Exists(
        Digest.objects.filter(sweep_id=OuterRef("sweep_id"), recipient_id=OuterRef("recipient_id"))))
    for ids in _batches(orphans, "pk", flat=True):
        counts["reminders"] += Reminder.objects.filter(pk__in=ids).delete()[0]
    empty = Sweep.objects.filter(started_at__lt=cutoff).exclude(
        Exists(Reminder.objects.filter(sweep_id=OuterRef("pk")))).exclude(
        Exists(Digest.objects.filter(sweep_id=OuterRef("pk")))).exclude(
        Exists(Event.objects.filter(sweep_id=OuterRef("pk"))))
    for ids in _batches(empty, "pk", flat=True):
        counts["sweeps"] += Sweep.objects.filter(pk__in=ids).delete()[1].get(Sweep._meta.label, 0)
    result = {name: counts[name] for name in ("reminders", "digests", "sweeps")}
    logger.info("reminder purge (older than %s days): reminders=%s digests=%s sweeps=%s",
                retention.days, result["reminders"], result["digests"], result["sweeps"])
    return result


def _batches(queryset, *fields, flat=False, size=PURGE_BATCH * 10):
    """The rows of `queryset` in batches of `size` by ascending primary key (the first field), each
    batch taken after the last one's key: one walk along the key, however many rows are deleted."""
    last = 0
    while batch := list(queryset.filter(pk__gt=last).order_by("pk").values_list(*fields, flat=flat)[:size]):
        yield batch
        last = batch[-1] if flat else batch[-1][0]
