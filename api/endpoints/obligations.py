"""Reading obligations (报送任务) with their status, as far as the token's owner sees them on the
pages: Obligation.objects.restrict(user, "view"), annotated by campaign.status as of
core.clock.now() (the one definition of open, overdue, due soon and late)."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from ninja import Query, Router

from api import schemas
from api.endpoints import filters
from api.paging import PageParams, page_of
from api.types import RowId
from campaign.models import Obligation, Review, Submission, SubmissionFile
from campaign.status import ObligationStatus
from core import clock, traffic_light
from units.models import Unit

router = Router(tags=["obligations"])

# ?state= takes an obligation's state, or a traffic light (core.traffic_light).
STATES = dict(ObligationStatus.choices)
LIGHTS = dict(traffic_light.LABELS)


def _obligations(user, now):
    return Obligation.objects.restrict(user, "view").with_status(now).select_related(*schemas.OBLIGATION_RELATIONS)


@router.get("/obligations", response=schemas.ObligationPage, summary="报送任务列表（含状态）")
def list_obligations(
    request, page: Query[PageParams], campaign: RowId | None = None, requirement: RowId | None = None,
    unit: RowId | None = None, state: str | None = None, overdue: bool | None = None, updated_since: str | None = None,
):
    """The obligations the token's owner may see, each with its status as of now.

    Filters: `campaign` (id); `requirement` (id); `unit` (id: that unit and its whole subtree;
    404 when the unit is not visible); `state`: pending 待报送, submitted 已报送待审核, returned
    已退回, accepted 已通过, exempt 免报, or a traffic light: on_track 正常, due_soon 临近截止,
    overdue 有逾期, done 已完成; `overdue` (true/false: open and past the due moment);
    `updated_since` (ISO 8601 moment: changed at or after it)."""
    now = clock.now()
    obligations = _obligations(request.user, now)
    if campaign is not None:
        obligations = obligations.in_campaign(campaign)
    if requirement is not None:
        obligations = obligations.filter(requirement_id=requirement)
    if unit is not None:
        top = get_object_or_404(Unit.objects.restrict(request.user, "view"), pk=unit)
        obligations = obligations.filter(unit__in=Unit.objects.subtree(top))
    wanted = filters.choice("state", state, {**STATES, **LIGHTS})
    if wanted in STATES:
        obligations = obligations.filter(status=wanted)
    elif wanted in LIGHTS:
        obligations = obligations.filter(light=wanted)
    if overdue is not None:
        obligations = obligations.filter(is_overdue=overdue)
    obligations = filters.changed_since(obligations, updated_since)
    return page_of(obligations, page, schemas.obligation_out)


@router.get("/obligations/{obligation_id}", response=schemas.ObligationDetailOut, summary="一项报送任务（含报送材料和审核）")
def get_obligation(request, obligation_id: RowId):
    """One obligation with its status, every submitted version (newest first, with its files'
    names and download links: the pages' links, opened in a signed-in browser) and every review
    (newest first). 404 when it does not exist or is not visible. Reading it here does not sign
    for it (签收): that is a liaison opening it on its page."""
    user = request.user
    obligation = get_object_or_404(_obligations(user, clock.now()), pk=obligation_id)
    submissions = (
        Submission.objects.restrict(user, "view").filter(obligation=obligation).select_related("submitted_by")
        .prefetch_related(Prefetch("files", queryset=SubmissionFile.objects.restrict(user, "view").order_by("pk")))
        .order_by("-version")
    )
    reviews = (
        Review.objects.restrict(user, "view").filter(obligation=obligation).select_related("reviewer", "submission")
        .order_by("-created_at", "-pk")
    )
    return {
        **schemas.obligation_out(obligation),
        "submissions": [schemas.submission_out(s, request.build_absolute_uri) for s in submissions],
        "reviews": [schemas.review_out(r) for r in reviews],
    }
