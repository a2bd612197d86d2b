"""The product's clock: every rule that asks "what time is it" asks here.

Deadlines, traffic lights, reminders and gates compare against `now()` (an aware
datetime) or `today()` (the date in Asia/Shanghai, the campaign's time zone). Reading
the time in one place lets a test, a benchmark or a demo run the rules at another
moment with `frozen_at(moment)` without touching any rule.
"""

import contextlib
import contextvars
import datetime as dt

from django.utils import timezone

_frozen = contextvars.ContextVar("frozen_now", default=None)


def now():
    """The current moment (aware), or the frozen one inside `frozen_at()`."""
    return _frozen.get() or timezone.now()


def today():
    """The current date in the project's time zone (Asia/Shanghai)."""
    return timezone.localdate(now())


def local(moment):
    """`moment` in the project's time zone (Asia/Shanghai), for display and day arithmetic."""
    return timezone.localtime(moment)


@contextlib.contextmanager
def frozen_at(moment):
    """Run the block as if it were `moment` (an aware datetime, or a date meaning its 09:00)."""
    if isinstance(moment, dt.date) and not isinstance(moment, dt.datetime):
        moment = dt.datetime.combine(moment, dt.time(9), tzinfo=timezone.get_current_timezone())
    if timezone.is_naive(moment):
        raise ValueError("frozen_at() needs an aware datetime")
    token = _frozen.set(moment)
    try:
        yield moment
    finally:
        _frozen.reset(token)
