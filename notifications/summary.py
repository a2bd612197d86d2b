"""What a reminder digest says when it is big: a summary, not a dump (issue "province scale").

DESIGN rule 5 escalates every overdue obligation to its unit's supervision group and to the office
it reports to. At provincial scale one sweep gives the province office tens of thousands of them
in one digest; listed one per line, that was a 7 MB message, stored, mailed and shown whole.

So a message names at most LISTED items (the first ones, as the digest orders them) and says
"及其他 N 项" for the rest. An escalation digest, or any digest with more items than that, also
carries its counts per requirement and per unit level (units.models.Level), each requirement with
a link to the overdue list filtered to it (campaign.views.chasing.overdue_list, ?requirement=ID),
where the office can read and chase them. Everything is counted in the database (one aggregate,
one grouped query over the digest's rows, Digest.reminders), never loaded row by row: building
a message costs the same for 20 items and for 300,000. A liaison's digest (a few items) stays a
list, item by item.
"""

import dataclasses
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse

from notifications.models import Reminder
from units.models import LEVEL_LABELS, LEVEL_ORDER

# Items a message or a notification names one by one; the rest are counted.
LISTED = 20
# Rows read to name LISTED lines: reminders before the deadline that holidays moved onto one day are
# one line (channels.merge_same_day), at most one row per offset, and adjacent in the digest's order.
ROWS_FOR_LISTED = LISTED * 5

ESCALATIONS = (Reminder.Kind.ESCALATE_GROUP, Reminder.Kind.ESCALATE_OFFICE)
OVERDUE = ~Q(kind=Reminder.Kind.BEFORE)


@dataclasses.dataclass
class RequirementCount:
    """One requirement's obligations in a digest: in all, per level (LEVEL_ORDER), and where to see them."""

    requirement_id: int
    title: str
    obligations: int
    by_level: list  # [(label, count)] in the order of DigestSummary.levels, zeros included
    url: str  # relative: the overdue list filtered to this requirement, else the requirement's page

    @property
    def present(self):
        """(label, count) of the levels this requirement has obligations at."""
        return [(label, count) for label, count in self.by_level if count]


@dataclasses.dataclass
class DigestSummary:
    lines: int  # the items as a message lists them (channels.merge_same_day)
    overdue: int  # reminders after the deadline (escalations and repeats)
    obligations: int
    requirements: list  # of RequirementCount
    levels: list  # [(level, label, count)] of the levels present, top down
    overdue_url: str  # the overdue list, relative
    escalation: bool  # any escalation to a group or an office among the items

    @property
    def shown(self):
        """Whether a message carries the counts: an escalation (an office's, a group's view of many
        units), or more items than it names."""
        return self.escalation or self.lines > LISTED

    @property
    def unlisted(self):
        return max(self.lines - LISTED, 0)

    def as_json(self):
        """What a notification keeps of it (Notification.summary): a few hundred bytes per
        requirement, whatever the number of items; level names are read again when shown."""
        return {
            "lines": self.lines, "overdue": self.overdue, "obligations": self.obligations,
            "escalation": self.escalation, "overdue_url": self.overdue_url,
            "levels": [[level, count] for level, _label, count in self.levels],
            "requirements": [[row.requirement_id, row.title, row.obligations, [count for _label, count in row.by_level],
                              row.url] for row in self.requirements],
        }

    @classmethod
    def from_json(cls, data):
        """The summary a notification kept, with the level names of the active language."""
        levels = [(level, LEVEL_LABELS.get(level, level), count) for level, count in data["levels"]]
        return cls(
            lines=data["lines"], overdue=data["overdue"], obligations=data["obligations"],
            escalation=data["escalation"], overdue_url=data["overdue_url"], levels=levels,
            requirements=[
                RequirementCount(requirement_id=pk, title=title, obligations=obligations, url=url,
                                 by_level=[(label, count) for (_level, label, _total), count in zip(levels, counts, strict=True)])
                for pk, title, obligations, counts, url in data["requirements"]
            ],
        )


def overdue_list_url(requirement_id=None):
    """The overdue list (relative), filtered to a requirement when given."""
    url = reverse("campaign:overdue")
    return f"{url}?{urlencode({'requirement': requirement_id})}" if requirement_id else url


def summarize(reminders):
    """The DigestSummary of a digest's reminder rows (Digest.reminders): two queries, whatever their number."""
    reminders = reminders.order_by()
    figures = reminders.aggregate(
        other=Count("id", filter=OVERDUE),
        before=Count("obligation", distinct=True, filter=Q(kind=Reminder.Kind.BEFORE)),
        escalations=Count("id", filter=Q(kind__in=ESCALATIONS)),
        obligations=Count("obligation", distinct=True),
    )
    grouped = (
        reminders.values("requirement_id", "requirement__title", "unit__level")
        .annotate(obligations=Count("obligation", distinct=True), overdue=Count("id", filter=OVERDUE))
        .order_by("requirement_id", "unit__level")
    )
    per_requirement, per_level = {}, {}
    for row in grouped:
        entry = per_requirement.setdefault(
            row["requirement_id"], {"title": row["requirement__title"], "levels": {}, "overdue": 0}
        )
        entry["levels"][row["unit__level"]] = entry["levels"].get(row["unit__level"], 0) + row["obligations"]
        entry["overdue"] += row["overdue"]
        per_level[row["unit__level"]] = per_level.get(row["unit__level"], 0) + row["obligations"]
    levels = [level for level in LEVEL_ORDER if level in per_level]
    levels += sorted(level for level in per_level if level not in LEVEL_ORDER)
    requirements = [
        RequirementCount(
            requirement_id=requirement_id,
            title=entry["title"],
            obligations=sum(entry["levels"].values()),
            by_level=[(LEVEL_LABELS.get(level, level), entry["levels"].get(level, 0)) for level in levels],
            url=overdue_list_url(requirement_id) if entry["overdue"]
            else reverse("campaign:requirement", args=[requirement_id]),
        )
        for requirement_id, entry in per_requirement.items()
    ]
    return DigestSummary(
        lines=figures["other"] + figures["before"],
        overdue=figures["other"],
        obligations=figures["obligations"],
        requirements=requirements,
        levels=[(level, LEVEL_LABELS.get(level, level), per_level[level]) for level in levels],
        overdue_url=overdue_list_url(),
        escalation=bool(figures["escalations"]),
    )
