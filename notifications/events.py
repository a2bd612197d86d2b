"""Event notifications (issue 13): everyone around a report hears what happened to it, through the
same outbox as the reminders (DESIGN rule 5: each sent once, on every channel).

1. `tell()` records one Event row per recipient in the transaction of the change (a change
   rolled back tells nobody); the unique key (recipient, key) makes the same happening told once
   however often a signal fires.
2. `flush()` (beat, every EVENT_FLUSH_SECONDS) gathers the waiting rows into one digest per
   recipient and one delivery per channel (the sweep's own statements, notifications.sweep
   .build_digests), claiming them with a guarded UPDATE (two flushes at once never take the same
   row), and queues the deliveries after commit.
3. The senders (notifications.sending) send each digest in the recipient's language: the words
   are rendered at delivery from `params` (describe()).

Who hears what (the receivers are in notifications.signals):
- a new obligation: the unit's liaisons;
- material submitted: its reviewers (the office it is submitted to, or on the group-first route
  the supervision group over the unit);
- returned, approved, reopened: the unit's liaisons, with the reason;
- feedback waiting for sign-off: the group's leader; signed off: the unit's liaisons and the group;
- a deadline moved: the unit's liaisons, old → new;
- a close request: the supervision group over the unit; closed or sent back: the liaisons;
- a meeting scheduled: the supervision group over the unit;
- a chase: the unit's liaisons, with the note;
- a look-back report submitted (004: 报上级党组织和督查组审核): the office staff of the unit's parent
  and the supervision group over the unit; returned (with the reason) or accepted by both: the
  unit's liaisons. Its obligation, which follows the report, tells nobody a second time.
"""

import datetime as dt
import logging

from django.db import transaction
from django.utils.translation import gettext as _

from campaign.models import Meeting
from core import clock
from core.templatetags.core_tags import format_day, format_moment
from notifications.channels import configured_channels
from notifications.dispatch import enqueue
from notifications.models import Delivery, Event, Sweep
from notifications.sweep import build_digests

logger = logging.getLogger(__name__)

Kind = Event.Kind

# The line of each kind, rendered at delivery in the recipient's language from the event's params.
TEXTS = {
    Kind.ISSUED: lambda p: (_("新的报送任务：%(unit)s · “%(title)s”，截止时间待定（%(rule)s）") if p.get("due_pending")
                            else _("新的报送任务：%(unit)s · “%(title)s”，截止时间 %(due)s")) % p,
    Kind.SUBMITTED: lambda p: _("%(unit)s报送了“%(title)s”（第 %(version)s 版），请审核") % p,
    Kind.RETURNED: lambda p: _("“%(title)s”被退回，请修改后重新报送。理由：%(reason)s") % p,
    Kind.APPROVED: lambda p: _("“%(title)s”已审核通过") % p,
    Kind.REOPENED: lambda p: _("“%(title)s”已重新打开，请重新报送。理由：%(reason)s") % p,
    Kind.FEEDBACK_PENDING: lambda p: _("对%(unit)s的反馈意见“%(subject)s”待您签发") % p,
    Kind.FEEDBACK_SIGNED: lambda p: _("督导组对%(unit)s的反馈意见“%(subject)s”已签发") % p,
    Kind.DUE_MOVED: lambda p: _("%(unit)s · “%(title)s”的截止时间由 %(old)s 调整为 %(new)s") % p,
    Kind.CLOSE_REQUESTED: lambda p: _("%(unit)s申请整改事项“%(problem)s”销号，请审核") % p,
    Kind.CLOSED: lambda p: _("整改事项“%(problem)s”已销号") % p,
    Kind.CLOSE_REJECTED: lambda p: _("整改事项“%(problem)s”的销号申请被退回，请继续整改。理由：%(reason)s") % p,
    Kind.MEETING: lambda p: _("%(unit)s的%(meeting)s定于 %(day)s 召开") % p,
    Kind.CHASED: lambda p: (_("【催办】%(unit)s · “%(title)s”：%(note)s（催办人：%(by)s）") if p.get("note")
                            else _("【催办】%(unit)s · “%(title)s”，请尽快报送（催办人：%(by)s）")) % p,
    Kind.EXTENSION_REQUESTED: lambda p: _("%(unit)s申请将“%(title)s”延期至 %(new)s，理由：%(reason)s") % p,
    Kind.EXTENSION_DECIDED: lambda p: (_("“%(title)s”的延期申请已批准，新的截止时间 %(new)s") if p.get("granted")
                                       else _("“%(title)s”的延期申请未获批准。理由：%(reason)s")) % p,
    Kind.EXEMPTED: lambda p: (_("%(unit)s已免报“%(title)s”。理由：%(reason)s") if p.get("exempt", True)
                              else _("%(unit)s的“%(title)s”已撤销免报，请按期报送。理由：%(reason)s")) % p,
    Kind.LOOKBACK_SUBMITTED: lambda p: _("%(unit)s报送了回头看自查报告，请审核") % p,
    Kind.LOOKBACK_RETURNED: lambda p: _("回头看自查报告被%(by)s退回，请按退回理由修改后重新报送。理由：%(reason)s") % p,
    Kind.LOOKBACK_ACCEPTED: lambda p: _("回头看自查报告已经上级党组织和督查组审核通过") % p,
}
# Params holding a moment (ISO 8601), shown as a date and time in the reader's language; and a day.
MOMENTS = ("due", "old", "new")
DAYS = ("day",)


def moment_param(value):
    """A moment for `params`: ISO 8601 (JSON has no datetime), None stays None."""
    return value.isoformat() if value is not None else None


def _readable(params):
    # A due moment still to be set (a meeting's rule) is said with its rule instead of a date.
    shown = {**params, "due_pending": "due" in params and not params["due"]}
    for name in MOMENTS:
        if name in shown:
            value = shown[name]
            shown[name] = format_moment(dt.datetime.fromisoformat(value)) if value else _("待定")
    for name in DAYS:
        if shown.get(name):
            shown[name] = format_day(dt.date.fromisoformat(shown[name]))
    if "meeting" in shown:
        shown["meeting"] = str(Meeting.Kind(shown["meeting"]).label) if shown["meeting"] in Meeting.Kind.values else ""
    return shown


def describe(event):
    """The line of `event` in the active language."""
    text = TEXTS.get(event.kind)
    if text is None:
        return event.get_kind_display()
    try:
        return text(_readable(event.params))
    except (KeyError, TypeError, ValueError):  # params of an older shape: say at least what kind it was
        return event.get_kind_display()


def tell(user_ids, kind, key, params, path=""):
    """Record that each of `user_ids` is to be told of one happening (`key`, the same for everyone
    told of it). Must run inside the change's transaction. Returns how many rows were new."""
    now = clock.now()
    return tell_many([Event(recipient_id=user_id, kind=kind, key=key[:120], params=params, path=path[:500],
                            created_at=now) for user_id in sorted(set(user_ids))])


def tell_many(rows):
    """Bulk form of tell(): `rows` are Event instances (a fan-out to 50,000 units); a row already
    recorded for its (recipient, key) is left alone (exactly once)."""
    if not rows:
        return 0
    return len(Event.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True))


def flush(now=None, *, dispatch=True):
    """Put every waiting event into its recipient's digest, one delivery per digest and channel;
    returns (events, digests, delivery ids). Safe to run at any moment and several times at once:
    a row is taken by one flush only (a guarded UPDATE on sweep IS NULL)."""
    wall_now = clock.now()
    now = now or wall_now
    channels = configured_channels()
    with transaction.atomic():
        last = Event.objects.filter(sweep__isnull=True).order_by("-pk").values_list("pk", flat=True).first()
        if last is None:
            return 0, 0, []
        sweep = Sweep.objects.create(started_at=wall_now, as_of=now)
        # One guarded UPDATE: of two flushes at once, each row goes to the one that takes it.
        taken = Event.objects.filter(sweep__isnull=True, pk__lte=last).update(sweep=sweep)
        if not taken:
            sweep.delete()
            return 0, 0, []
        digests = build_digests(sweep, wall_now, channels, rows=Event)
        delivery_ids = list(Delivery.objects.filter(digest__sweep=sweep).values_list("pk", flat=True))
        Sweep.objects.filter(pk=sweep.pk).update(created=taken, digests=digests, finished_at=clock.now())
        if dispatch and delivery_ids:
            transaction.on_commit(lambda: enqueue(delivery_ids))
    logger.info("event flush: events=%s digests=%s", taken, digests)
    return taken, digests, delivery_ids
