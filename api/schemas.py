"""What the API answers about campaigns, directives, requirements, obligations and units: the
output schemas (shown in /api/v1/openapi.json) and one serializer function per subject, shared
by the read and the write endpoints.

Every state travels twice: its stable code for programs ("status": "submitted") and its
Chinese label for people ("status_label": "已报送待审核"). Moments are given in Asia/Shanghai
time (+08:00), the campaign's own. An obligation's open/overdue/late/light come from
campaign.status (Obligation.objects.with_status), never from a second definition here."""

import datetime as dt

from django.utils import timezone
from ninja import Schema

from campaign.models import Obligation
from campaign.status import ObligationStatus
from core import clock, traffic_light
from core.people import person_name


def local(moment):
    """`moment` in Asia/Shanghai (the +08:00 offset in JSON), or None."""
    return timezone.localtime(moment) if moment is not None else None


# ---------------------------------------------------------------- references


class UnitRef(Schema):
    id: int
    code: str
    name: str


class RequirementRef(Schema):
    id: int
    title: str


def unit_ref(unit):
    return {"id": unit.pk, "code": unit.code, "name": unit.name} if unit is not None else None


# ---------------------------------------------------------------- campaigns


class CampaignOut(Schema):
    id: int
    name: str
    short_name: str
    status: str
    status_label: str
    starts_on: dt.date
    ends_on: dt.date | None
    description: str
    office_id: int | None


class PhaseOut(Schema):
    id: int
    ordinal: int
    code: str
    name: str


class BatchOut(Schema):
    id: int
    ordinal: int
    name: str
    starts_on: dt.date | None
    ends_on: dt.date | None


class CampaignDetailOut(CampaignOut):
    phases: list[PhaseOut]
    batches: list[BatchOut]


def campaign_out(campaign):
    return {
        "id": campaign.pk, "name": campaign.name, "short_name": campaign.short_name, "status": campaign.status,
        "status_label": str(campaign.get_status_display()), "starts_on": campaign.starts_on, "ends_on": campaign.ends_on,
        "description": campaign.description, "office_id": campaign.office_id,
    }


def campaign_detail_out(campaign):
    return {
        **campaign_out(campaign),
        "phases": [{"id": p.pk, "ordinal": p.ordinal, "code": p.code, "name": p.name}
                   for p in sorted(campaign.phases.all(), key=lambda p: (p.ordinal, p.pk))],
        "batches": [{"id": b.pk, "ordinal": b.ordinal, "name": b.name, "starts_on": b.starts_on, "ends_on": b.ends_on}
                    for b in sorted(campaign.batches.all(), key=lambda b: (b.ordinal, b.pk))],
    }


# ---------------------------------------------------------------- directives


class DirectiveOut(Schema):
    id: int
    campaign_id: int
    number: str
    title: str
    doc_type: str
    issuing_unit: UnitRef
    issuer_name: str
    primary_recipients: str
    copy_recipients: str
    signed_on: dt.date
    printed_on: dt.date | None
    urgency: str
    secrecy: str
    forwards: list[str]
    requirement_ids: list[int]
    created_at: dt.datetime
    updated_at: dt.datetime


def directive_out(directive):
    """A directive with the numbers of the directives it forwards and its requirements' ids.
    The forwards are those prefetched as `visible_forwards` (api.endpoints.campaigns restricts
    them to the reader, as the directive page does); without that prefetch, every directive it
    forwards (a writer has just chosen them). Needs `issuing_unit` (select_related spares a query)."""
    forwards = getattr(directive, "visible_forwards", None)
    if forwards is None:
        forwards = directive.forwards.all()
    return {
        "id": directive.pk, "campaign_id": directive.campaign_id, "number": directive.number, "title": directive.title,
        "doc_type": directive.doc_type, "issuing_unit": unit_ref(directive.issuing_unit),
        "issuer_name": directive.issuer_name, "primary_recipients": directive.primary_recipients,
        "copy_recipients": directive.copy_recipients, "signed_on": directive.signed_on, "printed_on": directive.printed_on,
        "urgency": directive.urgency, "secrecy": directive.secrecy,
        "forwards": [f.number or f.title for f in sorted(forwards, key=lambda f: f.pk)],
        "requirement_ids": sorted(r.pk for r in directive.requirements.all()),
        "created_at": local(directive.created_at), "updated_at": local(directive.updated_at),
    }


# ---------------------------------------------------------------- requirements


class RequirementOut(Schema):
    id: int
    directive_id: int
    directive_number: str
    title: str
    description: str
    phase: str
    scope_unit_id: int
    submit_to: UnitRef
    deadline_text: str
    due_at: dt.datetime | None
    due_event: str
    due_event_label: str
    due_days: int | None
    recurrence: str
    recurrence_label: str
    route: str
    route_label: str
    review_required: bool
    is_active: bool
    created_at: dt.datetime
    updated_at: dt.datetime


def requirement_out(requirement):
    """Needs `directive`, `phase` and `submit_to` (select_related spares the queries)."""
    return {
        "id": requirement.pk, "directive_id": requirement.directive_id, "directive_number": requirement.directive.number,
        "title": requirement.title, "description": requirement.description,
        "phase": requirement.phase.name if requirement.phase_id else "", "scope_unit_id": requirement.scope_unit_id,
        "submit_to": unit_ref(requirement.submit_to), "deadline_text": requirement.deadline_text,
        "due_at": local(requirement.due_at), "due_event": requirement.due_event,
        "due_event_label": str(requirement.get_due_event_display()), "due_days": requirement.due_days,
        "recurrence": requirement.recurrence_frequency,
        "recurrence_label": str(requirement.get_recurrence_frequency_display()),
        "route": requirement.route, "route_label": str(requirement.get_route_display()),
        "review_required": requirement.review_required, "is_active": requirement.is_active,
        "created_at": local(requirement.created_at), "updated_at": local(requirement.updated_at),
    }


# ---------------------------------------------------------------- obligations

# What with_status() adds (campaign.status.annotations); an obligation without them is read again.
STATUS_ANNOTATIONS = ("is_open", "is_overdue", "is_due_soon", "was_late", "light", "days_late")
OBLIGATION_RELATIONS = ("requirement", "unit")


class ObligationOut(Schema):
    id: int
    requirement: RequirementRef
    unit: UnitRef
    period_label: str
    status: str
    status_label: str
    light: str
    light_label: str
    is_open: bool
    is_overdue: bool
    is_due_soon: bool
    was_late: bool
    days_late: int | None
    due_at: dt.datetime | None
    assigned_at: dt.datetime
    received_at: dt.datetime | None
    submitted_at: dt.datetime | None
    first_submitted_at: dt.datetime | None
    accepted_at: dt.datetime | None
    updated_at: dt.datetime


def with_status(obligation):
    """`obligation` with its status annotations as of now (campaign.status): itself when it was
    read through with_status(), else read again so (one query; a writer's freshly changed row)."""
    if all(hasattr(obligation, name) for name in STATUS_ANNOTATIONS):
        return obligation
    return Obligation.objects.with_status(clock.now()).select_related(*OBLIGATION_RELATIONS).get(pk=obligation.pk)


def obligation_out(obligation):
    """An obligation and its status (campaign.status, as of the moment it was read)."""
    o = with_status(obligation)
    return {
        "id": o.pk, "requirement": {"id": o.requirement_id, "title": o.requirement.title}, "unit": unit_ref(o.unit),
        "period_label": o.period_label, "status": o.status, "status_label": str(ObligationStatus(o.status).label),
        "light": o.light, "light_label": str(traffic_light.LABELS[o.light]),
        "is_open": bool(o.is_open), "is_overdue": bool(o.is_overdue), "is_due_soon": bool(o.is_due_soon),
        "was_late": bool(o.was_late), "days_late": o.days_late,
        "due_at": local(o.due_at), "assigned_at": local(o.assigned_at), "received_at": local(o.received_at),
        "submitted_at": local(o.submitted_at), "first_submitted_at": local(o.first_submitted_at),
        "accepted_at": local(o.accepted_at), "updated_at": local(o.updated_at),
    }


class FileOut(Schema):
    id: int
    name: str
    size: int
    download_url: str
    withdrawn: bool


class SubmissionOut(Schema):
    id: int
    version: int
    text: str
    submitted_by: str
    submitted_at: dt.datetime
    due_at: dt.datetime | None
    files: list[FileOut]


class ReviewOut(Schema):
    id: int
    submission_version: int
    decision: str
    decision_label: str
    reason: str
    reviewer: str
    reviewed_for: str
    new_due_at: dt.datetime | None
    created_at: dt.datetime


class ObligationDetailOut(ObligationOut):
    submissions: list[SubmissionOut]
    reviews: list[ReviewOut]


def submission_out(submission, absolute):
    """`absolute(path)` makes the file's download link absolute (request.build_absolute_uri)."""
    return {
        "id": submission.pk, "version": submission.version, "text": submission.text,
        "submitted_by": person_name(submission.submitted_by), "submitted_at": local(submission.submitted_at),
        "due_at": local(submission.due_at),
        "files": [{"id": f.pk, "name": f.original_name, "size": f.size, "download_url": absolute(f.get_absolute_url()),
                   "withdrawn": f.withdrawn_at is not None} for f in submission.files.all()],
    }


def review_out(review):
    return {
        "id": review.pk, "submission_version": review.submission.version, "decision": review.decision,
        "decision_label": str(review.get_decision_display()), "reason": review.reason,
        "reviewer": person_name(review.reviewer), "reviewed_for": review.reviewed_for,
        "new_due_at": local(review.new_due_at), "created_at": local(review.created_at),
    }


# ---------------------------------------------------------------- units


class UnitOut(Schema):
    id: int
    code: str
    name: str
    short_name: str
    parent_id: int | None
    depth: int
    level: str
    level_label: str
    unit_type: str
    unit_type_label: str
    is_active: bool
    is_contact_point: bool
    is_window_unit: bool
    party_affiliation_id: int | None


def unit_out(unit):
    return {
        "id": unit.pk, "code": unit.code, "name": unit.name, "short_name": unit.short_name, "parent_id": unit.parent_id,
        "depth": unit.depth, "level": unit.level, "level_label": str(unit.get_level_display()),
        "unit_type": unit.unit_type, "unit_type_label": str(unit.get_unit_type_display()), "is_active": unit.is_active,
        "is_contact_point": unit.is_contact_point, "is_window_unit": unit.is_window_unit,
        "party_affiliation_id": unit.party_affiliation_id,
    }


# ---------------------------------------------------------------- pages


class CampaignPage(Schema):
    items: list[CampaignOut]
    next_cursor: str | None


class DirectivePage(Schema):
    items: list[DirectiveOut]
    next_cursor: str | None


class RequirementPage(Schema):
    items: list[RequirementOut]
    next_cursor: str | None


class ObligationPage(Schema):
    items: list[ObligationOut]
    next_cursor: str | None


class UnitPage(Schema):
    items: list[UnitOut]
    next_cursor: str | None
