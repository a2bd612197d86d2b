"""What became of the deliveries of a requirement's reminders: totals per channel and outcome,
the deliveries themselves with their errors in words, and the requirements with deliveries
that failed for good (issue 11).

A reminder counts as sent once any one channel delivered it (Digest.settle), so an e-mail that
failed for good hides behind its in-app copy in the reminder's own status. These queries read
the deliveries instead.

A delivery carries a digest: one recipient's reminders of one sweep. The digest's reminders are
that sweep's rows for that recipient (Digest.reminders: the index reminder_sweep_recipient_idx),
so a delivery belongs to every requirement one of them is about; a digest naming two
requirements is counted under each.
"""

import dataclasses
import datetime as dt
from collections import defaultdict

from django.db.models import Count, F, Min
from django.utils.translation import gettext_lazy as _

from campaign.models import Requirement
from notifications.channels import channel_named, configured_channels
from notifications.explanations import explain
from notifications.models import Delivery, Reminder

Status = Delivery.Status
# Not yet tried, or being sent right now: both are simply "on its way" to the office.
WAITING = (Status.PENDING, Status.SENDING)
# The outcomes the log lists deliveries of (?delivery=…), in the order of its tabs, in words.
LISTED = {Status.FAILED: _("发送失败"), Status.RETRY: _("等待重试"), Status.SKIPPED: _("无法送达")}
HOME_LIMIT = 20


def channel_label(name):
    """A channel's name in words: the channel's own label (channels.channel_named), else the name."""
    try:
        return channel_named(name).label
    except (LookupError, ImportError):
        return name


def channel_order(name):
    """Sort key: the channels in NOTIFICATION_CHANNELS' order, then any other by name."""
    names = [channel.name for channel in configured_channels()]
    return (names.index(name) if name in names else len(names), name)


@dataclasses.dataclass
class ChannelTotals:
    channel: str
    label: str
    sent: int = 0
    waiting: int = 0
    retry: int = 0
    failed: int = 0
    skipped: int = 0
    next_retry_at: dt.datetime | None = None

    @property
    def total(self):
        return self.sent + self.waiting + self.retry + self.failed + self.skipped


@dataclasses.dataclass
class Totals:
    """A requirement's deliveries by channel, and across channels."""

    channels: list

    def _sum(self, name):
        return sum(getattr(row, name) for row in self.channels)

    @property
    def failed(self):
        return self._sum("failed")

    @property
    def retry(self):
        return self._sum("retry")

    @property
    def skipped(self):
        return self._sum("skipped")

    @property
    def next_retry_at(self):
        moments = [row.next_retry_at for row in self.channels if row.next_retry_at]
        return min(moments) if moments else None

    def count(self, status):
        """Deliveries in `status` (one of LISTED) on every channel."""
        return self._sum(status)


def totals(requirement, statuses=None):
    """The requirement's deliveries counted by channel and outcome, in one query (only those in
    `statuses` when given: the requirement's page asks for failures and retries alone)."""
    rows = Delivery.objects.for_requirement(requirement)
    if statuses is not None:
        rows = rows.filter(status__in=statuses)
    by_channel = {}
    for channel, status, count, first_retry in (
        rows.order_by().values_list("channel", "status").annotate(n=Count("pk"), first=Min("next_attempt_at"))
    ):
        row = by_channel.setdefault(channel, ChannelTotals(channel, channel_label(channel)))
        if status in WAITING:
            row.waiting += count
        elif status == Status.RETRY:
            row.retry, row.next_retry_at = count, first_retry
        else:
            setattr(row, status, getattr(row, status) + count)
    return Totals([by_channel[name] for name in sorted(by_channel, key=channel_order)])


def listed(requirement, status, channel=""):
    """The requirement's deliveries in `status` (on `channel` if given), the latest first."""
    rows = Delivery.objects.for_requirement(requirement).filter(status=status)
    if channel:
        rows = rows.filter(channel=channel)
    return rows.select_related("digest__recipient").order_by("-created_at", "-pk")


def with_details(deliveries, requirement):
    """Give each delivery of a page what the log shows of it, in one query: `items`, its digest's
    reminders of this requirement (unit and kind); `label`, its channel in words; `explanation`,
    its last error in words (a skipped delivery's reason already is)."""
    deliveries = list(deliveries)
    reminders = Reminder.objects.filter(
        requirement=requirement,
        sweep_id__in={d.digest.sweep_id for d in deliveries},
        recipient_id__in={d.digest.recipient_id for d in deliveries},
    ).select_related("unit").order_by("unit__path", "kind", "pk") if deliveries else []
    by_digest = defaultdict(list)
    for reminder in reminders:
        by_digest[(reminder.sweep_id, reminder.recipient_id)].append(reminder)
    for delivery in deliveries:
        delivery.items = by_digest[(delivery.digest.sweep_id, delivery.digest.recipient_id)]
        explain_delivery(delivery)
    return deliveries


def explain_delivery(delivery):
    """Set `label` and `explanation` on a delivery (see with_details)."""
    delivery.label = channel_label(delivery.channel)
    if delivery.status == Status.SKIPPED:
        delivery.explanation = delivery.last_error
    else:
        delivery.explanation = explain(delivery.channel, delivery.last_error)
    return delivery


@dataclasses.dataclass
class RequirementFailures:
    requirement: Requirement
    by_channel: list  # [(label, count)]

    @property
    def failed(self):
        return sum(count for _label, count in self.by_channel)


def requirements_with_failures(user, limit=HOME_LIMIT):
    """The requirements `user` keeps the reminder log of ("edit": their issuing office) that have
    deliveries failed for good, most failures first: (rows, more than `limit`?). Two queries."""
    counts = (
        Delivery.objects.filter(
            # One filter() call: both conditions on the same reminder row.
            status=Status.FAILED,
            digest__sweep__reminders__recipient_id=F("digest__recipient_id"),
            digest__sweep__reminders__requirement__in=Requirement.objects.restrict(user, "edit").values("pk"),
        )
        .order_by()
        .values_list("digest__sweep__reminders__requirement_id", "channel")
        .annotate(n=Count("pk", distinct=True))
    )
    by_requirement = defaultdict(dict)
    for requirement_id, channel, count in counts:
        by_requirement[requirement_id][channel] = count
    if not by_requirement:
        return [], False
    ranked = sorted(by_requirement, key=lambda pk: (-sum(by_requirement[pk].values()), pk))
    requirements = Requirement.objects.select_related("directive").in_bulk(ranked[:limit])
    rows = [
        RequirementFailures(requirements[pk], [
            (channel_label(channel), count) for channel, count in sorted(by_requirement[pk].items(), key=lambda i: channel_order(i[0]))
        ])
        for pk in ranked[:limit] if pk in requirements
    ]
    return rows, len(ranked) > limit
