"""Every refusal of the API as JSON ``{"detail": "…"}`` in the caller's language, with the status
a client can act on: 400 bad input, 401 no or a wrong token, 403 not allowed, 404 not found or
not visible (the same answer: a token learns nothing of what it may not see), 409 the state
does not allow it, 422 the body or parameters do not fit the schema, 429 too many requests."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.http.request import RawPostDataException
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, Throttled
from ninja.errors import ValidationError as SchemaError

from access.transitions import TransitionRefused
from api.paging import BadCursor
from core.security_log import security_event


def _messages(error):
    if hasattr(error, "message_dict"):
        return [f"{field}: {' '.join(map(str, messages))}" if field != "__all__" else " ".join(map(str, messages))
                for field, messages in error.message_dict.items()]
    return [str(message) for message in error.messages]


def _field(location):
    return ".".join(str(part) for part in location if part not in ("body", "query", "path", "payload", "filters"))


def install(api):
    def answer(request, detail, status, **more):
        return api.create_response(request, {"detail": str(detail), **more}, status=status)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return answer(request, _("缺少接口令牌或令牌无效（已撤销或不存在）：请在请求头 Authorization 中提供 Bearer 令牌。"), 401)

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        security_event("permission_denied", path=request.path, via="api")
        return answer(request, str(exc) or _("您无权执行此操作。"), 403)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return answer(request, _("未找到，或您无权查看。"), 404)

    @api.exception_handler(TransitionRefused)
    def refused(request, exc):
        if getattr(exc, "forbidden", False):
            security_event("permission_denied", path=request.path, via="api")
            return answer(request, str(exc), 403)
        return answer(request, str(exc), 409)

    @api.exception_handler(ValidationError)
    def invalid(request, exc):
        messages = _messages(exc)
        return answer(request, " ".join(messages), 400, errors=messages)

    @api.exception_handler(RawPostDataException)
    def form_sent_to_a_json_endpoint(request, exc):
        # A form-encoded body was read as a form before the endpoint could read it as JSON.
        return answer(request, _("请求内容须为 JSON（Content-Type: application/json）。"), 400)

    @api.exception_handler(BadCursor)
    def bad_cursor(request, exc):
        return answer(request, str(exc), 400)

    @api.exception_handler(SchemaError)
    def schema_error(request, exc):
        errors = [
            {"field": _field(error.get("loc", ())), "message": _("取值不符合要求（%(type)s）") % {"type": error.get("type", "")}}
            for error in exc.errors
        ]
        fields = "、".join(e["field"] for e in errors if e["field"]) or _("请求内容")
        return answer(request, _("参数或请求内容有误：%(fields)s。") % {"fields": fields}, 422, errors=errors)

    @api.exception_handler(Throttled)
    def throttled(request, exc):
        return answer(request, _("请求过于频繁，请稍后再试。"), 429)
