"""Reading units (参加单位), as far as the token's owner sees them on the pages
(Unit.objects.restrict(user, "view")); a subtree is one prefix match on the materialized path."""

from django.shortcuts import get_object_or_404
from ninja import Query, Router

from api import schemas
from api.endpoints import filters
from api.paging import PageParams, page_of
from api.types import RowId
from units.models import Level, Unit

router = Router(tags=["units"])


def _units(user):
    return Unit.objects.restrict(user, "view")


@router.get("/units", response=schemas.UnitPage, summary="单位列表")
def list_units(request, page: Query[PageParams], under: RowId | None = None, q: str | None = None,
               level: str | None = None):
    """The units the token's owner may see. Filters: `under` (id: that unit and its whole
    subtree; 404 when the unit is not visible), `q` (part of the name, short name or code),
    `level`: central 中央, province 省, city 市, county 县（市、区）, township 乡镇、街道, village 村、社区."""
    units = _units(request.user)
    if under is not None:
        units = units.subtree(get_object_or_404(_units(request.user), pk=under))
    text = filters.search_text("q", q)
    if text is not None:
        units = units.search(text)
    wanted = filters.choice("level", level, dict(Level.choices))
    if wanted is not None:
        units = units.filter(level=wanted)
    return page_of(units, page, schemas.unit_out)


@router.get("/units/{unit_id}", response=schemas.UnitOut, summary="一个单位")
def get_unit(request, unit_id: RowId):
    """One unit; 404 when it does not exist or is not visible."""
    return schemas.unit_out(get_object_or_404(_units(request.user), pk=unit_id))
