"""Error pages in the site's layout and language (handler400/403/404/500, CSRF_FAILURE_VIEW).

A refusal the code explains (PermissionDenied or BadRequest raised with a message in words)
shows that message; Django's own exceptions (a suspicious Host header, a missing record) carry
English internals and show the page's general wording instead. A traceback is never shown.
"""

import html
import logging

from django.core.exceptions import BadRequest
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.log_context import current_request_id
from core.security_log import security_event

logger = logging.getLogger(__name__)

# What a server error shows when even the layout cannot be rendered (database down, broken
# template): plain HTML in both languages, no template, no database. Both pages show the request's
# id (core.log_context), which a person quotes and the operator finds in the log.
BARE_SERVER_ERROR = """<!doctype html>
<html lang="zh-hans"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>系统出错</title></head>
<body style="font-family: sans-serif; margin: 2rem;">
<h1 style="font-size: 1.4rem;">系统出错 · Server error</h1>
<p>处理您的请求时出错，已记录。请稍后重试；如仍出错，请联系本级领导小组办公室。</p>
<p>Something went wrong on our side and it has been logged. Please try again later.</p>
<p>错误编号 · Error reference: <code>{request_id}</code></p>
<p><a href="/">返回首页 · Home</a></p>
</body></html>"""


# Machine clients (the JSON API under /api/) get the same refusals as JSON {"detail": "…"}.
API_PREFIX = "/api/"


def _answer(request, template, context, status, detail):
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": str(detail)}, status=status, json_dumps_params={"ensure_ascii": False})
    return render(request, template, context, status=status)


def _reason(exception, explained_by):
    """The message the code gave, when the exception is one our code raises with words."""
    if isinstance(exception, explained_by):
        message = str(exception)
        if message:
            return message
    return ""


def bad_request(request, exception=None):
    reason = _reason(exception, BadRequest)
    return _answer(request, "400.html", {"reason": reason}, 400, reason or _("请求无效。"))


def permission_denied(request, exception=None):
    # Every refusal of a page or action ends here (access.views.refused raises PermissionDenied too).
    security_event("permission_denied", method=request.method, path=request.path)
    reason = _reason(exception, Exception)
    return _answer(request, "403.html", {"reason": reason}, 403, reason or _("您无权执行此操作。"))


def page_not_found(request, exception=None):
    return _answer(request, "404.html", {}, 404, _("未找到，或您无权查看。"))


def server_error(request):
    request_id = current_request_id() or "-"
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": _("系统出错，已记录。错误编号：%(id)s") % {"id": request_id}}, status=500,
                            json_dumps_params={"ensure_ascii": False})
    try:
        return render(request, "500.html", {"request_id": request_id}, status=500)
    except Exception:  # the layout itself failed: the bare page, never a second traceback
        logger.exception("The server error page could not be rendered")
        return HttpResponseServerError(BARE_SERVER_ERROR.format(request_id=html.escape(request_id)))


def csrf_failure(request, reason=""):
    """A form sent without a valid CSRF token: almost always a page left open past the
    session's end, or cookies turned off. Say so, in words."""
    security_event("csrf_failure", method=request.method, path=request.path)
    return render(request, "403.html", {"reason": _(
        "页面已过期或浏览器未允许本站的 Cookie，表单未能提交。请刷新页面后重新填写提交。"
    ), "csrf": True}, status=403)
