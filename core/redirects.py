"""Where a form sends the user back to: the `next` it was given, if that stays on this site."""

from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, default=""):
    """The request's `next` (POST, then GET) when it is an absolute path on this site, else `default`.

    An absolute URL to another host, a scheme-relative `//host`, a `javascript:` URL or a
    backslash trick is never followed: a crafted link must not turn one of our forms into a
    redirector to a look-alike login page.
    """
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def redirect_back(request, fallback, *args, **kwargs):
    """Redirect to the safe `next`, or to `fallback` (a URL name or path, with its arguments)."""
    target = safe_next(request)
    return HttpResponseRedirect(target) if target else redirect(fallback, *args, **kwargs)
