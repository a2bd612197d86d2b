"""Input no page can use, refused before any view sees it."""

from django.core.exceptions import BadRequest
from django.utils.translation import gettext as _

from core import clock


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


# The session key of the moment a superuser pinned for their own requests (core.views.pin_clock).
PINNED_CLOCK_SESSION_KEY = "pinned_clock"


class PinnedClockMiddleware:
    """A superuser may look at the product as of another moment (a rehearsal, a training, checking
    what a unit saw on a given day): their requests run on core.clock pinned there, and only theirs.
    After authentication, so that the session's owner is known."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        text = request.session.get(PINNED_CLOCK_SESSION_KEY) if hasattr(request, "session") else None
        user = getattr(request, "user", None)
        if not text or not getattr(user, "is_superuser", False):
            return self.get_response(request)
        try:
            moment = clock.parse_moment(text)
        except ValueError:
            request.session.pop(PINNED_CLOCK_SESSION_KEY, None)
            return self.get_response(request)
        with clock.pinned_for_session(moment):
            return self.get_response(request)
