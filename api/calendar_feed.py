"""The person's calendar feed (iCalendar, RFC 5545): the due moments of their work, for a phone's
calendar app subscribed through a calendar token (api.views.calendar).

What goes in is what the to-do list (notifications.todo) already says is the person's work, through
its own querysets, in the roles the person holds: nothing here decides what is open or whose it is.
Only the kinds with a moment belong in a calendar:

- obligations to submit or correct (liaison): at their due moment (截止时间);
- rectification items to report on (liaison): all day on their time limit (完成时限);
- democratic life meetings to attend (supervision group), all day on their date; and the planned
  meetings of the person's own units (liaison), which the unit holds.

Reviews waiting for the person have no due moment of their own (a submission is reviewed as it
comes), so they stay on the to-do list and are not calendar items.

Bounded: from WINDOW_BEFORE ago to WINDOW_AFTER ahead, MAX_EVENTS in all, soonest first. The text
is written here (it is small): CRLF line ends, lines folded at 75 octets without splitting a
character, TEXT values escaped, moments in UTC ("Z"), all-day items as dates.
"""

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from access.scope import scope_for
from campaign.models import Campaign, Meeting
from core import clock
from core.people import person_name
from core.templatetags.core_tags import format_day
from notifications import todo
from units import scope as units

WINDOW_BEFORE = dt.timedelta(days=30)
WINDOW_AFTER = dt.timedelta(days=365)
MAX_EVENTS = 500
LINE_OCTETS = 75
CALENDAR_TIMEZONE = "Asia/Shanghai"


@dataclass
class Event:
    uid: str
    summary: str
    start: object  # an aware datetime (a due moment) or a date (an all-day item)
    path: str = ""
    description: str = ""

    @property
    def sort_key(self):
        if isinstance(self.start, dt.datetime):
            return self.start
        return timezone.make_aware(dt.datetime.combine(self.start, dt.time()))


# --- what goes in --------------------------------------------------------------------------------


def _item(kind, user, now, campaign, rows):
    """The to-do items of `rows` (their line and next step become the event's description)."""
    if kind.prepare is not None and rows:
        rows = kind.prepare(user, now, campaign, rows)
    return [(row, kind.item(row, now)) for row in rows]


def _description(item):
    return "\n".join(part for part in (item.line, item.next_step) if part)


def _obligations(queryset, start, end):
    return queryset.filter(due_at__gte=start, due_at__lt=end)


def _obligation_event(obligation, item):
    return Event(f"obligation-{obligation.pk}",
                 _("报送截止：%(title)s（%(unit)s）") % {"title": obligation.requirement.title, "unit": obligation.unit.name},
                 obligation.due_at, item.url, _description(item))


def _rectification(queryset, start, end):
    return queryset.filter(due_on__gte=timezone.localdate(start), due_on__lt=timezone.localdate(end))


def _rectification_event(rectification_item, item):
    return Event(f"rectification-{rectification_item.pk}",
                 _("整改时限：%(item)s（%(unit)s）") % {"item": rectification_item, "unit": rectification_item.plan.unit.name},
                 rectification_item.due_on, item.url, _description(item))


def _meeting_day(meeting):
    return meeting.held_on if meeting.status == Meeting.Status.HELD and meeting.held_on else meeting.planned_on


def _meetings(queryset, start, end):
    # The to-do's meetings are planned from today on or held in the last days, inside the window's start.
    return queryset.filter(planned_on__lt=timezone.localdate(end))


def _meeting_event(meeting, item):
    return Event(f"meeting-{meeting.pk}",
                 _("会议：%(unit)s%(kind)s") % {"unit": meeting.unit.name, "kind": meeting.get_kind_display()},
                 _meeting_day(meeting), item.url, _description(item))


# to-do kind name -> (narrowing to the window, the event of a row and its to-do item)
FEED_KINDS = {
    "obligations": (_obligations, _obligation_event),
    "rectification": (_rectification, _rectification_event),
    "meetings": (_meetings, _meeting_event),
}


def _own_units_meetings(user, start, end):
    """The planned meetings of the units the person is liaison of (the unit holds them)."""
    scope = scope_for(user)
    if not scope.is_liaison:
        return []
    meetings = (Meeting.objects.restrict(user, "record").filter(units.liaison_of(scope, "unit__"))
                .filter(status=Meeting.Status.PLANNED, planned_on__gte=timezone.localdate(start),
                        planned_on__lt=timezone.localdate(end))
                .select_related("unit").order_by("planned_on", "pk")[:MAX_EVENTS])
    return [Event(f"meeting-{meeting.pk}",
                  _("会议：%(unit)s%(kind)s") % {"unit": meeting.unit.name, "kind": meeting.get_kind_display()},
                  meeting.planned_on, meeting.get_absolute_url(),
                  _("计划 %(day)s 召开") % {"day": format_day(meeting.planned_on)}) for meeting in meetings]


def events(user, now=None):
    """The person's events in the window, soonest first, at most MAX_EVENTS."""
    now = now or clock.now()
    start, end = now - WINDOW_BEFORE, now + WINDOW_AFTER
    scope = scope_for(user)
    found = {}
    kinds = [kind for kind in todo.kinds_for(user) if kind.name in FEED_KINDS]
    for campaign in Campaign.objects.restrict(user).launched().order_by("-starts_on", "pk") if kinds else []:
        for kind in kinds:
            narrow, make = FEED_KINDS[kind.name]
            queryset = kind.query(user, scope, now, campaign)
            if queryset is None:
                continue
            for row, item in _item(kind, user, now, campaign, list(narrow(queryset, start, end)[:MAX_EVENTS])):
                event = make(row, item)
                found.setdefault(event.uid, event)
    for event in _own_units_meetings(user, start, end):
        found.setdefault(event.uid, event)
    return sorted(found.values(), key=lambda event: (event.sort_key, event.uid))[:MAX_EVENTS]


# --- the text ------------------------------------------------------------------------------------


def escape(text):
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and line breaks escaped."""
    text = str(text).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def fold(line):
    """One content line folded into lines of at most 75 octets (RFC 5545 3.1), never inside a
    UTF-8 character: each continuation starts with a space, which counts."""
    lines, current, size = [], "", 0
    for character in line:
        octets = len(character.encode("utf-8"))
        if size + octets > LINE_OCTETS:
            lines.append(current)
            current, size = " ", 1
        current += character
        size += octets
    lines.append(current)
    return "\r\n".join(lines)


def utc(moment):
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _when(event):
    if isinstance(event.start, dt.datetime):
        # A due moment is a point in time: no DTEND (RFC 5545 3.6.1: the event ends when it starts).
        return [f"DTSTART:{utc(event.start)}"]
    return [f"DTSTART;VALUE=DATE:{event.start:%Y%m%d}",
            f"DTEND;VALUE=DATE:{event.start + dt.timedelta(days=1):%Y%m%d}"]


def render(user, now=None):
    """The VCALENDAR text of the person's events (str; the view sends it as UTF-8)."""
    now = now or clock.now()
    site = settings.SITE_URL.rstrip("/")
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    lines = [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//campaign-tracker//calendar feed//ZH", "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH", f"X-WR-CALNAME:{escape(_('%(person)s的工作日程') % {'person': person_name(user)})}",
        f"X-WR-TIMEZONE:{CALENDAR_TIMEZONE}",
    ]
    stamp = utc(now)
    for event in events(user, now):
        lines += ["BEGIN:VEVENT", f"UID:{event.uid}@{domain}", f"DTSTAMP:{stamp}", *_when(event),
                  f"SUMMARY:{escape(event.summary)}"]
        if event.description:
            lines.append(f"DESCRIPTION:{escape(event.description)}")
        if event.path:
            lines.append(f"URL:{site}{event.path}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
