"""Readiness checks for /readyz (core.probes): a registry the apps fill, and one bounded run of it.

core knows no domain app, so every app registers the checks of what it owns in its
AppConfig.ready(): core the database, cache, broker, upload disk and work calendar
(core.readiness), notifications the reminder sweep. A check is a function of no arguments that
returns None when all is well, or a short fixed reason ("unreachable", "less than 1 GB free"). The
answer is public: a reason never holds an exception's text, a host, a path, a version or a count.
A check that raises fails as "error" (the exception goes to the log, not the answer).

The checks run at once, each in its own thread with a copy of the caller's context (request id,
clock), and the run waits at most READYZ_TIMEOUT_SECONDS: a check still running then fails as
"timeout" and is left to end in its thread (each check has short timeouts of its own, so it does).
A check's database connection is closed when it ends, since its thread is not reused.
"""

import logging
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from django.conf import settings
from django.db import connections

logger = logging.getLogger(__name__)

_checks = {}  # name -> function, in the order registered


def register_readiness_check(name, function):
    """Run `function` on every /readyz, answering under `name` (registering a name again replaces it)."""
    _checks[name] = function


def readiness_checks():
    return dict(_checks)


def _timed(name, function):
    started = time.monotonic()
    try:
        reason = function()
    except Exception:
        logger.exception("readiness check %s raised", name)
        reason = "error"
    finally:
        connections.close_all()
    return reason, time.monotonic() - started


def run_readiness_checks(checks=None, timeout=None):
    """{name: {"ok": bool, "ms": int[, "reason": str]}} for every registered check."""
    checks = readiness_checks() if checks is None else checks
    timeout = settings.READYZ_TIMEOUT_SECONDS if timeout is None else timeout
    if not checks:
        return {}
    started = time.monotonic()
    executor = ThreadPoolExecutor(max_workers=len(checks), thread_name_prefix="readyz")
    futures = {
        # Not in a copy of the caller's context: Django keeps database connections in context
        # variables, so a copy would share (and close) the request's own connection across threads.
        name: executor.submit(_timed, name, function) for name, function in checks.items()
    }
    results = {}
    for name, future in futures.items():
        try:
            reason, seconds = future.result(timeout=max(0.0, started + timeout - time.monotonic()))
        except FutureTimeout:
            logger.warning("readiness check %s still running after %gs", name, timeout)
            reason, seconds = "timeout", time.monotonic() - started
        result = {"ok": reason is None, "ms": round(seconds * 1000)}
        if reason is not None:
            result["reason"] = reason
        results[name] = result
    executor.shutdown(wait=False)  # a hung check keeps its thread, not the probe
    return results
