"""Security events, all on the one logger named `security`, for the operator's log search and alerts.

    security_event("login_failure", username="zhang")
    security_event("token_use", token=token, scope="read")

Each event is one INFO line (WARNING for refusals and lockouts): the event's name, then its fields
as key=value; the request id and user id come with every line (core.log_context). Under
LOG_FORMAT=json the name and fields are also the record's "event" and "fields".

A log is read by more people than the secrets it could leak: a field named like a password or
secret is never written, and a `token` is written as a short fingerprint (its id when it has one),
never its value. Values are cut to 200 characters and quoted when they hold spaces, quotes or
control characters, so a username cannot forge a line.

Who calls it: access.security_events (logins, lockouts), core.errors (403, CSRF refusals),
core.downloads, campaign.export and units.export (exports; a background job's file
also when it is downloaded: core.views_jobs), units.actions and access.work_calendar (imports),
and the API (token_use).
"""

import hashlib
import json
import logging
import re

logger = logging.getLogger("security")

# Refusals and lockouts are worth an alert; the rest is the trail.
WARNING_EVENTS = {"login_failure", "lockout", "permission_denied", "csrf_failure", "token_refused"}
SECRET_FIELD = re.compile(r"pass|secret|credential", re.IGNORECASE)
MAX_VALUE = 200
PLAIN_VALUE = re.compile(r"[^\s\"'=\\\x00-\x1f\x7f]*")


def token_fingerprint(token):
    """What a log may say of a token: its id when it is a stored object, else the first 12 hex
    digits of its SHA-256 (enough to tell two tokens apart, useless to use one)."""
    pk = getattr(token, "pk", None)
    if pk is not None:
        return f"id:{pk}"
    return "sha256:" + hashlib.sha256(str(token).encode()).hexdigest()[:12]


def _safe_fields(fields):
    safe = {}
    for key, value in fields.items():
        if SECRET_FIELD.search(key):
            continue
        if key == "token" or key.endswith("_token"):
            value = token_fingerprint(value)
        elif value is not None and not isinstance(value, bool | int | float):
            value = str(value)[:MAX_VALUE]
        safe[key] = value
    return safe


def _shown(value):
    text = "-" if value is None else str(value)
    if PLAIN_VALUE.fullmatch(text) and text:
        return text
    return json.dumps(text, ensure_ascii=False)  # quoted, with control characters escaped


def security_event(event, **fields):
    """Log the security event `event` (a short snake_case name) with `fields`."""
    safe = _safe_fields(fields)
    level = logging.WARNING if event in WARNING_EVENTS else logging.INFO
    text = " ".join([event, *(f"{key}={_shown(value)}" for key, value in safe.items())])
    logger.log(level, "%s", text, extra={"security_event": event, "security_fields": safe})
