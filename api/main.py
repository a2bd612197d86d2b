"""The API object: /api/v1/, its OpenAPI schema (/api/v1/openapi.json) and browsable docs
(/api/v1/docs, Swagger UI served from django-ninja's own static files: no CDN).

django-ninja rather than Django REST Framework: the schemas are plain type hints that give the
OpenAPI document with no second description to keep in step, the docs come with the package, and
the endpoints stay thin functions over our querysets and actions (DRF's serializers and viewsets
would be a second place where reads and writes are defined)."""

from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from api import errors
from api.auth import PerTokenThrottle, TokenAuth
from api.endpoints import campaigns, dashboard, me, obligations, units, writes


class ReadableJSON(JSONRenderer):
    """Chinese as characters, not \\u escapes: a person reading an answer in a log can read it."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="群众路线教育实践活动工作台 API",
    version="1",
    description=(
        "Every call carries a token: `Authorization: Bearer cwt_…` (made on the 接口令牌 page). "
        "A token sees and does exactly what its owner sees and does on the pages. Lists are paged "
        "by cursor: pass the `next_cursor` of one answer as `cursor` to get the next."
    ),
    auth=TokenAuth(),
    throttle=[PerTokenThrottle()],
    urls_namespace="api",
    renderer=ReadableJSON(),
)
errors.install(api)
api.add_router("/", me.router)
api.add_router("/", campaigns.router)
api.add_router("/", obligations.router)
api.add_router("/", units.router)
api.add_router("/", dashboard.router)
api.add_router("/", writes.router)
