"""Who and which request every log line is about: a request id and a user id on each record.

RequestIdMiddleware (first in MIDDLEWARE) takes the caller's X-Request-ID when it is a plain token
(a proxy or load balancer that set one can follow the request through) or makes one, sends it
back in the response's X-Request-ID header and keeps it in a context variable for the request's
duration; RequestUserMiddleware (after authentication) adds the signed-in user's id. The
RequestContextFilter, set on the log handlers (settings.LOGGING), copies both onto every record,
whichever library logged it; outside a request they are "-", and in a Celery task the request id
is the task id. The 500 page shows the request id ("错误编号") so that a person can quote it and the
operator find the lines.
"""

import contextvars
import json
import logging
import re
import uuid
from datetime import datetime

from celery import current_task

NONE = "-"

_request_id = contextvars.ContextVar("log_request_id", default=None)
_user_id = contextvars.ContextVar("log_user_id", default=None)

# A caller's id is taken as it is only when it cannot forge a log line or bloat one: letters,
# digits and - _ . : (a uuid, a W3C trace id, an nginx $request_id), at most 64 characters.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}")


def current_request_id():
    """This request's id, or None outside a request."""
    return _request_id.get()


def set_user_id(user_id, request=None):
    """Name the user the rest of this request acts for (after authentication, or a login)."""
    if _request_id.get() is not None:  # only inside a request, whose end resets it (a login made by a
        _user_id.set(user_id)         # test or a command must not name the user of later lines)
    if request is not None:
        request.log_user_id = user_id


def _task_id():
    """The running Celery task's id, if this thread runs one."""
    task = current_task._get_current_object()
    return getattr(getattr(task, "request", None), "id", None) if task is not None else None


class RequestContextFilter(logging.Filter):
    """Copies request_id and user_id onto every record (a handler's filter: it sees the records of
    every logger, ours and the libraries'). Never drops a record."""

    def filter(self, record):
        # Django logs a 4xx/5xx response (django.request) after the middleware has returned: the
        # ids are then read from the request the record carries.
        request = getattr(record, "request", None)
        if not hasattr(record, "request_id"):
            record.request_id = _request_id.get() or getattr(request, "request_id", None) or _task_id() or NONE
        if not hasattr(record, "user_id"):
            user_id = _user_id.get()
            if user_id is None:
                user_id = getattr(request, "log_user_id", None)
            record.user_id = NONE if user_id is None else str(user_id)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line (LOG_FORMAT=json): time, level, logger, request_id, user_id,
    message; an exception's traceback as "exception"; a security event's name and fields as
    "event" and "fields" (core.security_log)."""

    def format(self, record):
        entry = {
            "time": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", NONE),
            "user_id": getattr(record, "user_id", NONE),
            "message": record.getMessage(),
        }
        event = getattr(record, "security_event", None)
        if event is not None:
            entry["event"] = event
            entry["fields"] = getattr(record, "security_fields", {})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)

    def formatTime(self, record, datefmt=None):
        # ISO 8601 with milliseconds and the offset: a log shipper needs no configuration to read it.
        return datetime.fromtimestamp(record.created).astimezone().isoformat(timespec="milliseconds")


class RequestIdMiddleware:
    """First middleware: every later one, the view and the error pages log under the request's id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.headers.get("X-Request-ID", "")
        request_id = offered if SANE_REQUEST_ID.fullmatch(offered) else uuid.uuid4().hex
        request.request_id = request_id
        id_token = _request_id.set(request_id)
        user_token = _user_id.set(None)
        try:
            response = self.get_response(request)
        finally:
            # The thread serves other requests next: nothing of this one may stay on their lines.
            _request_id.reset(id_token)
            _user_id.reset(user_token)
        response["X-Request-ID"] = request_id
        return response


class RequestUserMiddleware:
    """After AuthenticationMiddleware: the signed-in user's id on the request's later lines."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            set_user_id(user.pk, request)
        return self.get_response(request)
