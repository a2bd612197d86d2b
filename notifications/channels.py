"""Channels that carry a reminder digest to a person.

NOTIFICATION_CHANNELS lists the channels in use, by short name ("inapp", "email",
"sms", "messenger") or by the dotted path of a Channel subclass, so SMS or an
enterprise messenger (政务微信, 浙政钉 …) can be added by configuration. Until a real
gateway is written, "sms" and "messenger" only log what they would send.

A channel's send() either returns (delivered), raises SkipDelivery (this person
cannot be reached on this channel: no e-mail address, no phone), or raises any
other exception (a failure: retried with backoff, the error kept).
"""

import dataclasses
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from notifications.models import Notification
from notifications.summary import LISTED, ROWS_FOR_LISTED, summarize

logger = logging.getLogger(__name__)


class SkipDelivery(Exception):
    """The recipient has no address on this channel; not an error worth retrying."""


@dataclasses.dataclass
class Message:
    """A rendered digest: subject, plain-text body, and the items with their links."""

    subject: str
    body: str
    items: list  # [{"text": ..., "url": ...}], at most summary.LISTED
    unlisted: int = 0  # the digest's items beyond those
    summary: dict = dataclasses.field(default_factory=dict)  # DigestSummary.as_json() when it is shown


def merge_same_day(reminders):
    """One line per obligation for its reminders before the deadline that holidays moved onto the
    same day (each kept as its own row: EffectivePolicy.moments); yields (reminder, other offsets)."""
    lines = {}
    for reminder in reminders:
        key = (reminder.obligation_id, reminder.kind, reminder.scheduled_for) if reminder.kind == "before" else reminder.pk
        if key in lines:
            lines[key][1].append(reminder.offset_days)
        else:
            lines[key] = (reminder, [])
    return list(lines.values())


def absolute(path):
    """A link for a message read outside the site (e-mail, SMS): SITE_URL and the path."""
    return settings.SITE_URL.rstrip("/") + path if path.startswith("/") else path


def render_digest(digest):
    """One message for everything in a digest, in the recipient's language (User.language, else
    the site's): the happenings first (notifications.events), then the reminders, each with the
    link to its page (relative; e-mails add SITE_URL). At most summary.LISTED items are named,
    the rest counted; an escalation or a long digest also carries its counts per requirement and
    per level with links to the overdue list (notifications.summary). Its size, and the memory and
    queries to build it, do not grow with the number of items."""
    recipient = digest.recipient
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        event_count = digest.events.count()
        events = [{"text": event.describe(), "url": event.path} for event in digest.events[:LISTED]]
        summary = summarize(digest.reminders)
        reminders = []
        if summary.lines and len(events) < LISTED:
            rows = merge_same_day(digest.items(digest.item_ids()[:ROWS_FOR_LISTED]))[:LISTED - len(events)]
            reminders = [{"text": reminder.describe(merged), "url": reminder.path()} for reminder, merged in rows]
        items = events + reminders
        unlisted = event_count + summary.lines - len(items)
        if summary.lines:
            subject = _("报送提醒：%(count)s 项待办") % {"count": summary.lines}
            if summary.overdue:
                subject += _("（含 %(overdue)s 项逾期）") % {"overdue": summary.overdue}
            if event_count:
                subject += _("，另有 %(count)s 条通知") % {"count": event_count}
        elif event_count == 1:
            subject = events[0]["text"][:150]
        else:
            subject = _("工作通知：%(count)s 条") % {"count": event_count}
        shown = summary if summary.lines and summary.shown else None
        body = render_to_string(
            "notifications/digest.txt",
            {"recipient": recipient, "items": [{**item, "url": absolute(item["url"])} for item in items],
             "unlisted": unlisted, "summary": shown,
             "requirements": [dataclasses.replace(row, url=absolute(row.url)) for row in summary.requirements],
             "overdue_url": absolute(summary.overdue_url),
             "center_url": absolute(reverse("notifications:list"))},
        )
    return Message(subject=subject, body=body, items=items, unlisted=unlisted,
                   summary=shown.as_json() if shown else {})


def hears_on(user, channel_name):
    """Whether `user` takes messages on `channel_name`: the channels they did not turn off
    (User.quiet_channels); the notification centre cannot be turned off."""
    return channel_name == InAppChannel.name or channel_name not in (user.quiet_channels or [])


class Channel:
    """The interface: a name stored on each delivery, a label for the log, and send()."""

    name = ""
    label = ""

    def send(self, delivery, message):
        raise NotImplementedError


class InAppChannel(Channel):
    """The notification centre. Idempotent: one notification per delivery, however often it is retried."""

    name = "inapp"
    label = _("站内通知")

    def send(self, delivery, message):

        Notification.objects.get_or_create(
            delivery=delivery,
            defaults={
                "user_id": delivery.digest.recipient_id,
                "title": message.subject,
                "body": message.body,
                "items": message.items,
                "item_count": len(message.items) + message.unlisted,
                "summary": message.summary,
                "url": message.items[0]["url"] if len(message.items) == 1 else "",
            },
        )


class EmailChannel(Channel):
    """Django's e-mail backend: SMTP in production, console or file in the demo."""

    name = "email"
    label = _("电子邮件")

    def send(self, delivery, message):
        address = delivery.digest.recipient.email
        if not address:
            raise SkipDelivery(_("未登记电子邮箱"))
        EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[address],
            # The same Message-ID on every attempt: a message sent again after a lost "sent"
            # (README: Reminders, at least once) is recognisably the same message.
            headers={"X-Reminder-Delivery": str(delivery.pk), "Message-ID": delivery.message_id()},
        ).send(fail_silently=False)


class LoggingChannel(Channel):
    """A placeholder for a gateway not yet connected: logs what it would send and counts as sent."""

    name = "log"
    label = _("日志（未接入）")

    def send(self, delivery, message):
        logger.info(
            "%s channel (not connected) would send to user %s: %s — %s",
            self.name, delivery.digest.recipient_id, message.subject,
            " | ".join(item["text"] for item in message.items) + (f" (+{message.unlisted})" if message.unlisted else ""),
        )


class SmsChannel(LoggingChannel):
    name = "sms"
    label = _("短信（未接入，仅记录）")


class MessengerChannel(LoggingChannel):
    name = "messenger"
    label = _("政务即时通讯（未接入，仅记录）")


BUILT_IN = {cls.name: cls for cls in (InAppChannel, EmailChannel, SmsChannel, MessengerChannel, LoggingChannel)}


def configured_channels():
    """The channel instances NOTIFICATION_CHANNELS names, in order."""
    channels = []
    for entry in settings.NOTIFICATION_CHANNELS:
        cls = BUILT_IN.get(entry) or import_string(entry)
        channels.append(cls())
    return channels


def channel_named(name):
    """The configured channel whose name a delivery row carries."""
    for channel in configured_channels():
        if channel.name == name:
            return channel
    if name in BUILT_IN:
        return BUILT_IN[name]()
    raise LookupError(_("渠道“%(name)s”未配置。") % {"name": name})
