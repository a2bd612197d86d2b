"""Bearer-token authentication of the API: ``Authorization: Bearer cwt_…``.

A token acts as its owner: the request's user becomes the token's user, so every read goes
through the same ``restrict(user, action)`` and every write through the same actions as the
pages. Writes made meanwhile carry the token's name in the audit trail; each use is a
`security` log line and refreshes the token's last use."""

import logging

from django.conf import settings
from django.utils import translation
from ninja.security import HttpBearer
from ninja.throttling import SimpleRateThrottle

from api.actions import note_use
from api.models import ApiToken
from audit.services import set_channel

security = logging.getLogger("security")


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        found = ApiToken.objects.matching(token, ApiToken.Purpose.API)
        if found is None:
            security.warning("api token refused", extra={"event": "token_refused", "path": request.path})
            return None
        request.user = found.user
        request.api_token = found
        if found.user.language:
            translation.activate(found.user.language)
            request.LANGUAGE_CODE = found.user.language
        set_channel(found.channel)  # ended with the request by audit.middleware.ChannelMiddleware
        note_use(found)
        security.info("api token used", extra={"event": "token_use", "token": found.prefix, "method": request.method,
                                               "path": request.path})
        return found


class PerTokenThrottle(SimpleRateThrottle):
    """API_RATE_LIMIT requests per token (e.g. “300/m”); the answer past it is a 429 with
    Retry-After. Counted in the cache, per token row."""

    scope = "token"

    def __init__(self):
        super().__init__(settings.API_RATE_LIMIT)

    def allow_request(self, request):
        # The setting is read on every request, not once when the API is built.
        self.rate = settings.API_RATE_LIMIT
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request):
        token = getattr(request, "api_token", None)
        ident = f"t{token.pk}" if token is not None else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
