"""A supervision group's dossier of one unit (003: groups review the units' materials, attend their
democratic life meetings, follow their rectification; 001: they visit, listen to the masses and
give feedback; 000: they evaluate): every kind of record on one page, filtered by kind, dates
and requirement, each section the latest rows with a link to the rest (core.paging).

What is shown is what access.policy lets the reader see (`restrict(user)` on every queryset):
a member sees the units their group supervises, never another group's findings (001: 明察暗访).
rectification's sections (plan and items, look-back) are not imported here (supervision and
rectification know each other not at all): rectification registers them for the core.panels
page "unit_dossier" and this module fills them with the same filters, as plain values.
"""

from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Prefetch, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from campaign.models import Meeting, Obligation, Requirement, Review, Submission, SubmissionFile
from core import paging, panels
from supervision.models import Evaluation, Feedback, MeetingAttendance, Visit
from units.models import Opinion

PAGE = "unit_dossier"
# Rows a section shows when all kinds are shown together; asked alone, it pages by core.paging.PER_PAGE.
PREVIEW = 10

# supervision's own sections, in page order (rectification's come from core.panels, by their order).
KINDS = (
    ("obligations", _("报送任务和审核")),
    ("meetings", _("会议和列席点评")),
    ("opinions", _("群众意见")),
    ("visits", _("督导调研")),
    ("evaluations", _("评估")),
    ("feedback", _("反馈意见")),
)


def kind_choices():
    return [*KINDS, *((panel.name, panel.label) for panel in panels.registered(PAGE))]


def requirement_choices(user, unit, campaign):
    """The requirements of the unit's obligations the reader sees, in the campaign (one query)."""
    obligations = Obligation.objects.restrict(user).filter(unit=unit).in_campaign(campaign)
    requirements = Requirement.objects.restrict(user).filter(Exists(obligations.filter(requirement=OuterRef("pk"))))
    return list(requirements.order_by("directive__signed_on", "pk").values_list("pk", "title"))


def obligations(user, unit, campaign, date_from=None, date_to=None, requirement=None):
    """The unit's obligations with every version (its files) and review (who, when, why), latest
    submitted first. Dates keep those due, submitted or reviewed within them."""
    found = Obligation.objects.restrict(user).filter(unit=unit).in_campaign(campaign)
    if requirement:
        found = found.filter(requirement_id=requirement)
    if date_from or date_to:
        versions = Submission.objects.filter(paging.within("submitted_at__date", date_from, date_to), obligation=OuterRef("pk"))
        reviews = Review.objects.filter(paging.within("created_at__date", date_from, date_to), obligation=OuterRef("pk"))
        found = found.filter(paging.within("due_at__date", date_from, date_to) | Exists(versions) | Exists(reviews))
    files = SubmissionFile.objects.restrict(user).order_by("pk")
    return (
        found.with_status()
        .select_related("requirement")
        .prefetch_related(
            Prefetch("submissions", to_attr="versions", queryset=Submission.objects.restrict(user)
                     .select_related("submitted_by").prefetch_related(Prefetch("files", queryset=files)).order_by("-version")),
            Prefetch("reviews", to_attr="review_history", queryset=Review.objects.restrict(user)
                     .select_related("reviewer", "submission").order_by("-created_at", "-pk")),
        )
        .order_by(F("submitted_at").desc(nulls_last=True), "due_at", "pk")
    )


def meetings(user, unit, date_from=None, date_to=None, **_):
    """The unit's meetings with the groups' attendance and comments (点评), latest first."""
    found = Meeting.objects.restrict(user).filter(unit=unit).annotate(on=Coalesce("held_on", "planned_on"))
    attendances = MeetingAttendance.objects.restrict(user).select_related("attendee", "group").order_by("created_at", "pk")
    return (
        found.filter(paging.within("on", date_from, date_to))
        .prefetch_related(Prefetch("attendances", queryset=attendances, to_attr="attendance_list"))
        .order_by(F("on").desc(nulls_last=True), "-pk")
    )


def opinions(user, unit, date_from=None, date_to=None, **_):
    """Mass opinions (002) concerning the unit, or that it collected or claimed."""
    found = Opinion.objects.restrict(user).filter(Q(concerned_unit=unit) | Q(collected_by=unit) | Q(claimed_by=unit))
    return found.filter(paging.within("collected_on", date_from, date_to)).select_related(
        "concerned_unit", "collected_by", "claimed_by").order_by(
        "-collected_on", "-pk")


def visits(user, unit, date_from=None, date_to=None, **_):
    found = Visit.objects.restrict(user).filter(unit=unit)
    found = found.filter(paging.within("visited_on", date_from, date_to))
    return found.select_related("group", "recorded_by").order_by("-visited_on", "-pk")


def evaluations(user, unit, date_from=None, date_to=None, **_):
    found = Evaluation.objects.restrict(user).filter(unit=unit)
    return found.filter(paging.within("created_at__date", date_from, date_to)).select_related("group", "evaluated_by").order_by(
        "-created_at", "-pk")


def feedback(user, unit, date_from=None, date_to=None, **_):
    found = Feedback.objects.restrict(user).filter(unit=unit)
    return found.filter(paging.within("created_at__date", date_from, date_to)).select_related("group", "drafted_by").order_by(
        "-created_at", "-pk")


QUERIES = {"meetings": meetings, "opinions": opinions, "visits": visits, "evaluations": evaluations, "feedback": feedback}


@dataclass
class Section:
    kind: str
    label: str
    window: paging.Window


def sections(request, unit, campaign, filters, page=None):
    """(own sections, registered panels) for the filters {kind, date_from, date_to, requirement}:
    all kinds as previews, or the one kind asked for, paged."""
    user = request.user
    kind = filters.get("kind")
    dates = {"date_from": filters.get("date_from"), "date_to": filters.get("date_to")}
    expanded = kind is not None
    own = []
    for name, label in KINDS:
        if kind not in (None, name):
            continue
        if name == "obligations":
            rows = obligations(user, unit, campaign, requirement=filters.get("requirement"), **dates)
        else:
            rows = QUERIES[name](user, unit, **dates)
        own.append(Section(name, label, paging.window(rows, expanded=expanded, page=page, size=PREVIEW)))
    only = None if kind is None else {kind}
    filled = panels.fill(PAGE, request, only=only, unit=unit, campaign=campaign, expanded=expanded, page_number=page,
                         size=PREVIEW, **dates)
    return own, filled
