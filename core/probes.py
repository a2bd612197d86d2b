"""/healthz and /readyz for load balancers and orchestrators (README: Health checks and logs).

/healthz: the process answers; 200 {"status": "ok"}, touching nothing else (no database).
/readyz: every readiness check (core.health) passes: 200 {"status": "ok", "checks": {...}};
otherwise 503 with "status": "fail". Each check says "ok" and "ms", and a failed one a short fixed
reason; nothing else, since anyone may ask.

Answered by HealthProbeMiddleware, placed right after RequestIdMiddleware and before everything
else: a probe comes without a session, with the instance's address as Host (not in ALLOWED_HOSTS)
and over plain HTTP behind the proxy's TLS, so the sign-in, forced password change, HTTPS and host
checks, language and trailing-slash redirects must not see it. A trailing slash is accepted.
"""

import logging

from django.http import JsonResponse

from core.health import run_readiness_checks

logger = logging.getLogger(__name__)


def _probe_response(body, status=200):
    response = JsonResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def healthz(request):
    return _probe_response({"status": "ok"})


def readyz(request):
    checks = run_readiness_checks()
    failed = {name: result["reason"] for name, result in checks.items() if not result["ok"]}
    response = _probe_response({"status": "fail" if failed else "ok", "checks": checks}, status=503 if failed else 200)
    if failed:
        # One warning naming the failed checks, instead of Django's "Service Unavailable" error
        # line for every probe of a load balancer while, say, beat is down.
        logger.warning("not ready: %s", ", ".join(f"{name} ({reason})" for name, reason in failed.items()))
        response._has_been_logged = True
    return response


PROBES = {"/healthz": healthz, "/readyz": readyz}


class HealthProbeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = PROBES.get(request.path_info.rstrip("/") or "/")
        if probe is None:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            response = _probe_response({"status": "method not allowed"}, status=405)
            response["Allow"] = "GET, HEAD"
            return response
        return probe(request)
