"""Reading campaigns, their directives (公文) and the requirements (报送要求) the directives state,
as far as the token's owner sees them on the pages (Model.objects.restrict(user, "view")).
Lists are paged by cursor (api.paging); a list costs the same few queries whatever its page size."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from ninja import Query, Router

from api import schemas
from api.endpoints import filters
from api.paging import PageParams, page_of
from api.types import RowId
from campaign.models import Campaign, Directive, Requirement

router = Router(tags=["campaigns"])


def _campaigns(user):
    return Campaign.objects.restrict(user, "view")


def _directives(user):
    return Directive.objects.restrict(user, "view").select_related("issuing_unit").prefetch_related(
        Prefetch("forwards", queryset=Directive.objects.restrict(user, "view"), to_attr="visible_forwards"),
        Prefetch("requirements", queryset=Requirement.objects.restrict(user, "view").only("pk", "directive_id")),
    )


def _requirements(user):
    return Requirement.objects.restrict(user, "view").select_related("directive", "phase", "submit_to")


@router.get("/campaigns", response=schemas.CampaignPage, summary="教育实践活动列表")
def list_campaigns(request, page: Query[PageParams]):
    """The campaigns the token's owner may see (an office also sees those it is preparing)."""
    return page_of(_campaigns(request.user), page, schemas.campaign_out)


@router.get("/campaigns/{campaign_id}", response=schemas.CampaignDetailOut, summary="一项教育实践活动（含环节、批次）")
def get_campaign(request, campaign_id: RowId):
    """One campaign with its phases and batches; 404 when it does not exist or is not visible."""
    campaign = get_object_or_404(_campaigns(request.user).prefetch_related("phases", "batches"), pk=campaign_id)
    return schemas.campaign_detail_out(campaign)


@router.get("/directives", response=schemas.DirectivePage, summary="公文列表")
def list_directives(request, page: Query[PageParams], campaign: RowId | None = None, updated_since: str | None = None):
    """The directives the token's owner may read (issued within an office's subtree, or by a
    unit above one's own). Filters: `campaign` (id), `updated_since` (ISO 8601 moment: changed
    at or after it). Each carries the numbers of the directives it forwards and its requirements' ids."""
    directives = _directives(request.user)
    if campaign is not None:
        directives = directives.in_campaign(campaign)
    directives = filters.changed_since(directives, updated_since)
    return page_of(directives, page, schemas.directive_out)


@router.get("/directives/{directive_id}", response=schemas.DirectiveOut, summary="一份公文")
def get_directive(request, directive_id: RowId):
    """One directive, with the numbers of the directives it forwards (those the reader can see)
    and its requirements' ids; 404 when it does not exist or is not visible."""
    return schemas.directive_out(get_object_or_404(_directives(request.user), pk=directive_id))


@router.get("/requirements", response=schemas.RequirementPage, summary="报送要求列表")
def list_requirements(request, page: Query[PageParams], campaign: RowId | None = None, directive: RowId | None = None,
                      updated_since: str | None = None):
    """The requirements of the directives the token's owner may read. Filters: `campaign` (id),
    `directive` (id), `updated_since` (ISO 8601 moment)."""
    requirements = _requirements(request.user)
    if campaign is not None:
        requirements = requirements.in_campaign(campaign)
    if directive is not None:
        requirements = requirements.filter(directive_id=directive)
    requirements = filters.changed_since(requirements, updated_since)
    return page_of(requirements, page, schemas.requirement_out)


@router.get("/requirements/{requirement_id}", response=schemas.RequirementOut, summary="一项报送要求")
def get_requirement(request, requirement_id: RowId):
    """One requirement; 404 when it does not exist or is not visible."""
    return schemas.requirement_out(get_object_or_404(_requirements(request.user), pk=requirement_id))
