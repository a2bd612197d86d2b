"""What state an obligation is in, and whether it is open, overdue, due soon or late:
the one definition every page, the dashboard, the export and the reminder sweep read
(DESIGN rule 4; seed 000: the preliminary written summary due before 10 January 2014).

- **open**: waiting for the unit: pending, or returned for another version.
- **exempt** (免报): an office over the unit excused it from this one obligation, with a reason
  (campaign.workflow `exempt`; withdrawn by `unexempt`). Never open, so never overdue, due soon
  or reminded (the reminder sweep reads `open_q`); counted apart (`counts()["exempt"]`) and
  left out of on-time and late counts, hence out of the on-time rate's denominator.
- **overdue**: open and past its due moment (the obligation's own, which a return may move).
- **due soon**: open and due within `core.traffic_light.due_soon_days()` (yellow).
- **due moment to be set** (待定): a requirement counting from a meeting (DESIGN rule 13, "总结会议
  召开后15日内") leaves the obligation's due moment empty until the unit's meeting is held; such an
  obligation is never overdue nor due soon (an open one is on track), and nothing reminds of it.
- **late** (逾期报送): a version was submitted after the due moment in force when it was
  submitted. A return that sets a new due moment puts that moment in force for the next
  version; an earlier late version stays late (rule 4: "late" stays visible afterwards).
  The submit transition records it (`Obligation.submitted_late`, and the moment in force on
  each `Submission.due_at`); everything else reads it from there.
- **on time**: submitted at least once and never late.
- **not signed for** (未签收): none of the unit's liaisons has opened the obligation yet
  (campaign.actions.sign_for_obligation records the receipt); "for more than N days" counts
  from the moment the unit was given it (`assigned_at`).
- **awaiting the affiliation body** (004, route OFFICE_AND_AFFILIATION): submitted, and the body
  the unit belongs to by Party-organisation affiliation has not reviewed the latest version. The
  body's part never moves the obligation's state, which the office decides.

Each rule is a Q object over an optional relation `prefix` (so that counts over
`unit__obligations__` use the same words), combined into `annotations(now)` for
`Obligation.objects.with_status(now)`.
"""

import datetime as dt

from django.db import models
from django.db.models import BooleanField, Case, CharField, Count, Exists, ExpressionWrapper, OuterRef, Q, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import traffic_light
from core.db import WholeDaysBetween


class ObligationStatus(models.TextChoices):
    PENDING = "pending", gettext_lazy("待报送")
    SUBMITTED = "submitted", gettext_lazy("已报送待审核")
    RETURNED = "returned", gettext_lazy("已退回")
    ACCEPTED = "accepted", gettext_lazy("已通过")
    EXEMPT = "exempt", gettext_lazy("免报")


# An obligation still waiting for the unit: the only states that can be overdue or reminded (rules 4, 5).
# An exempt one (免报) is not among them: nothing is owed.
OPEN_STATUSES = (ObligationStatus.PENDING, ObligationStatus.RETURNED)


def open_q(prefix=""):
    return Q(**{f"{prefix}status__in": OPEN_STATUSES})


def exempt_q(prefix=""):
    """Excused from this obligation by an office (免报)."""
    return Q(**{f"{prefix}status": ObligationStatus.EXEMPT})


def owed_q(prefix=""):
    """Not exempt: stated positively, so that it reads the same through a multi-valued `prefix`."""
    return Q(**{f"{prefix}status__in": [s for s in ObligationStatus.values if s != ObligationStatus.EXEMPT]})


def has_due_moment_q(prefix=""):
    """The due moment is known (not 待定 while the unit's meeting is still to come). A filter would
    leave NULLs out by itself; an annotation would read NULL, not False, without this."""
    return Q(**{f"{prefix}due_at__isnull": False})


def overdue_q(now, prefix=""):
    return open_q(prefix) & has_due_moment_q(prefix) & Q(**{f"{prefix}due_at__lt": now})


def due_soon_q(now, prefix=""):
    return open_q(prefix) & has_due_moment_q(prefix) & Q(
        **{f"{prefix}due_at__gte": now, f"{prefix}due_at__lte": now + traffic_light.due_soon_window()})


def late_q(prefix=""):
    return Q(**{f"{prefix}submitted_late": True})


def on_time_q(prefix=""):
    return Q(**{f"{prefix}first_submitted_at__isnull": False, f"{prefix}submitted_late": False})


def unreceived_q(prefix=""):
    """Not signed for (未签收) by the unit yet."""
    return Q(**{f"{prefix}received_at__isnull": True})


def unreceived_for_q(now, days, prefix=""):
    """Not signed for, more than `days` whole days after the unit was given the obligation."""
    return unreceived_q(prefix) & Q(**{f"{prefix}assigned_at__lt": now - dt.timedelta(days=days)})


def affiliation_reviewed(reviews):
    """The affiliation body's part (004, route OFFICE_AND_AFFILIATION): done when the body the unit
    belongs to now has reviewed the latest version (a review of a version submitted no earlier than
    the obligation's latest submission); a new version makes it due again. `reviews` is
    AffiliationReview's manager (passed in: this module is below the models). An expression for
    Obligation querysets; an obligation never submitted has nothing to review (False)."""
    return Exists(reviews.filter(
        obligation=OuterRef("pk"), body_id=OuterRef("unit__party_affiliation_id"),
        submission__submitted_at__gte=OuterRef("submitted_at"),
    ))


def awaiting_affiliation_q():
    """Submitted at least once, and the affiliation body's part not done: needs the
    `affiliation_reviewed` annotation (ObligationQuerySet.with_affiliation_status)."""
    return Q(submitted_at__isnull=False, affiliation_reviewed=False)


def is_late_submission(submitted_at, due_at_in_force):
    """A version is late when it arrives after the due moment in force at that moment (never
    while that moment is still to be set)."""
    return due_at_in_force is not None and submitted_at > due_at_in_force


def light_expression(now, prefix=""):
    return Case(
        When(overdue_q(now, prefix), then=Value(traffic_light.OVERDUE)),
        When(due_soon_q(now, prefix), then=Value(traffic_light.DUE_SOON)),
        When(open_q(prefix), then=Value(traffic_light.ON_TRACK)),
        default=Value(traffic_light.DONE),
        output_field=CharField(),
    )


def annotations(now):
    """The status of each obligation as of `now`: is_open, is_overdue, is_due_soon, was_late,
    light (core.traffic_light) and days_late (whole days past the due moment while overdue)."""
    return {
        "is_open": ExpressionWrapper(open_q(), output_field=BooleanField()),
        "is_overdue": ExpressionWrapper(overdue_q(now), output_field=BooleanField()),
        "is_due_soon": ExpressionWrapper(due_soon_q(now), output_field=BooleanField()),
        "was_late": ExpressionWrapper(late_q(), output_field=BooleanField()),
        "light": light_expression(now),
        "days_late": Case(When(overdue_q(now), then=WholeDaysBetween(Value(now), "due_at")), default=None),
    }


def counts(now, prefix=""):
    """Conditional counts of the obligations reached through `prefix` (e.g. "unit__obligations__"),
    one per state and rule, for dashboards and workspaces. Exempt obligations (免报) are counted
    apart ("exempt") and neither on time nor late, even if a version was filed before the
    exemption: an on-time rate (campaign.dashboard.Counts.on_time_rate) leaves them out of its
    denominator; "total" still includes them."""
    field = f"{prefix}id" if prefix else "id"

    def count(condition=None):
        return Count(field, filter=condition) if condition is not None else Count(field)

    return {
        "total": count(),
        "pending": count(Q(**{f"{prefix}status": ObligationStatus.PENDING})),
        "submitted": count(Q(**{f"{prefix}status": ObligationStatus.SUBMITTED})),
        "returned": count(Q(**{f"{prefix}status": ObligationStatus.RETURNED})),
        "accepted": count(Q(**{f"{prefix}status": ObligationStatus.ACCEPTED})),
        "exempt": count(exempt_q(prefix)),
        "open": count(open_q(prefix)),
        "overdue": count(overdue_q(now, prefix)),
        "due_soon": count(due_soon_q(now, prefix)),
        "on_time": count(on_time_q(prefix) & owed_q(prefix)),
        "late": count(late_q(prefix) & owed_q(prefix)),
    }


def countdown(due_at, now):
    """The time left until `due_at`, or past it, in words: '还剩 3 天 4 小时' / '已逾期 2 天 3 小时';
    nothing while the due moment is still to be set (the due column says 待定 and why)."""
    if due_at is None:
        return ""
    delta = due_at - now
    overdue = delta.total_seconds() < 0
    delta = abs(delta)
    days, hours = delta.days, delta.seconds // 3600
    if overdue:
        return _("已逾期 %(days)d 天 %(hours)d 小时") % {"days": days, "hours": hours}
    return _("还剩 %(days)d 天 %(hours)d 小时") % {"days": days, "hours": hours}


def waiting_age(since, now):
    """How long something has waited since `since` (submitted), in words: '已等待 3 天 4 小时',
    '已等待 5 小时' within the first day, '已等待不到 1 小时' within the first hour."""
    if since is None:
        return ""
    seconds = max((now - since).total_seconds(), 0)
    days, hours = int(seconds // 86400), int(seconds % 86400 // 3600)
    if days:
        return _("已等待 %(days)d 天 %(hours)d 小时") % {"days": days, "hours": hours}
    if hours:
        return _("已等待 %(hours)d 小时") % {"hours": hours}
    return _("已等待不到 1 小时")
