"""Input no page can use, refused before any view sees it."""

from django.core.exceptions import BadRequest
from django.utils.translation import gettext as _


class RefuseNulCharactersMiddleware:
    """A NUL character in a query parameter or form field is never typed by a person: it is a
    probe, and PostgreSQL refuses it in any string, so it would fail deep inside a query. Refused
    here, once for every page, with a 400 that says why (the text of uploaded files is not
    looked at: files are checked by their own rules)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for data in (request.GET, request.POST if request.method == "POST" else None):
            if data and any("\x00" in key or any("\x00" in value for value in data.getlist(key)) for key in data):
                raise BadRequest(_("请求中含有无效字符（空字符），无法处理。请检查输入后重试。"))
        return self.get_response(request)
