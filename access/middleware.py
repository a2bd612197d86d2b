"""Transport hardening that Django 5.2 lacks: a Content-Security-Policy header, private
caching of everything a signed-in user gets, and the client address behind a proxy.

The policy (setting CONTENT_SECURITY_POLICY) allows scripts, styles and fonts from our
own origin only: no inline scripts, no CDN; pages load vendored files from /static/.
It is sent on every response that does not already carry one; an empty setting turns
it off (the demo with DEBUG on leaves it on too, so that pages are built to pass it).
"""

from django.conf import settings
from django.utils.cache import patch_cache_control


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.CONTENT_SECURITY_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        return response


class PrivateResponsesMiddleware:
    """`Cache-Control: private, no-store` on every response to a signed-in user, pages and file
    downloads alike: what one office sees must not stay in a shared proxy or in the browser cache
    of a shared office computer after logout."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


def client_ip(request):
    """The client address for the login lockout (django-axes, AXES_CLIENT_IP_CALLABLE).

    Behind a reverse proxy, set CLIENT_IP_HEADER to the request.META key the proxy fills
    (e.g. HTTP_X_FORWARDED_FOR or HTTP_X_REAL_IP) and CLIENT_IP_PROXY_COUNT to the number of
    proxies in front of Django: the address is read that many hops from the right of the
    header, so a client cannot choose it by sending the header itself. Without a header
    setting, REMOTE_ADDR is used.
    """
    header = settings.CLIENT_IP_HEADER
    if header:
        hops = [part.strip() for part in request.META.get(header, "").split(",") if part.strip()]
        count = max(settings.CLIENT_IP_PROXY_COUNT, 1)
        if len(hops) >= count:
            return hops[-count]
        if hops:
            return hops[0]
    return request.META.get("REMOTE_ADDR", "")
