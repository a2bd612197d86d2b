"""Who the token acts as: the first call a client makes to check its token."""

from ninja import Router, Schema

from access.scope import scope_for
from core.people import person_name

router = Router(tags=["token"])


class Me(Schema):
    username: str
    full_name: str
    token: str
    is_office: bool
    is_liaison: bool
    is_supervisor: bool


@router.get("/me", response=Me, summary="当前令牌及其使用人")
def me(request):
    scope = scope_for(request.user)
    return {
        "username": request.user.get_username(), "full_name": person_name(request.user), "token": str(request.auth),
        "is_office": scope.is_office, "is_liaison": scope.is_liaison, "is_supervisor": scope.is_supervisor,
    }
