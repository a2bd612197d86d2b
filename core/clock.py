"""The product's clock: every rule that asks "what time is it" asks here.

Deadlines, traffic lights, reminders and gates compare against `now()` (an aware
datetime) or `today()` (the date in Asia/Shanghai, the campaign's time zone). Reading
the time in one place lets a test, a benchmark or a demo run the rules at another
moment without touching any rule. Three ways, the first that applies wins:

* `frozen_at(moment)`: a block of code (a test, a command's --now, a superuser's page
  viewed at a pinned moment, see core.middleware.PinnedClockMiddleware) runs at `moment`;
* `settings.CAMPAIGN_CLOCK` (a demo or a training system): the clock starts at that moment
  when the process first reads it and runs on at the speed of real time, so that leases,
  retries and the day's sweeps keep moving while the campaign lives in its own year;
* otherwise, real time.
"""

import contextlib
import contextvars
import datetime as dt
import threading
import time

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import timezone

_frozen = contextvars.ContextVar("frozen_now", default=None)
# Set while a superuser's request runs at the moment pinned in their session (the ribbon says so).
_pinned_for_session = contextvars.ContextVar("pinned_for_session", default=False)

_setting_lock = threading.Lock()
_setting_start = {}  # {setting text: (moment it names, time.monotonic() when first read)}


def parse_moment(text):
    """An ISO 8601 moment such as 2014-01-08T10:00+08:00 (aware; a moment without an offset is
    Asia/Shanghai time) or a date (09:00 that day). ValueError if it is neither."""
    text = (text or "").strip()
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(text) from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_fixed_timezone(8 * 60))
        if len(text) == 10:  # a bare date
            moment = moment.replace(hour=9)
    return moment


def _pinned_by_setting():
    text = getattr(settings, "CAMPAIGN_CLOCK", "")
    if not text:
        return None
    started = _setting_start.get(text)
    if started is None:
        try:
            moment = parse_moment(text)
        except ValueError:
            raise ImproperlyConfigured(
                f"CAMPAIGN_CLOCK={text!r} is not a moment: write it as 2014-01-08T10:00+08:00"
            ) from None
        with _setting_lock:
            started = _setting_start.setdefault(text, (moment, time.monotonic()))
    moment, read_at = started
    return moment + dt.timedelta(seconds=time.monotonic() - read_at)


@receiver(setting_changed)
def _restart_when_repinned(setting, **kwargs):
    """A new CAMPAIGN_CLOCK (a test's override) starts at its moment again, not where an earlier
    pin of the same moment has run to since."""
    if setting == "CAMPAIGN_CLOCK":
        _setting_start.clear()


def now():
    """The current moment (aware): frozen, pinned by the setting (and running), or real."""
    return _frozen.get() or _pinned_by_setting() or timezone.now()


def wall_now():
    """Real time, whatever the campaign's clock says: for operations that compare moments written
    by different processes (a pinned clock runs on from each process's own start), such as the
    reminder sweep's heartbeat read by /readyz. Never for a rule: rules read now()."""
    return timezone.now()


def today():
    """The current date in the project's time zone (Asia/Shanghai)."""
    return timezone.localdate(now())


def local(moment):
    """`moment` in the project's time zone (Asia/Shanghai), for display and day arithmetic."""
    return timezone.localtime(moment)


def identity():
    """Which clock is running, as a string: the frozen moment, the CAMPAIGN_CLOCK setting (its
    clock runs on), or real time. Figures counted on one clock are not served on another
    (core.personal_cache: a superuser's pinned moment, a test's frozen one)."""
    frozen = _frozen.get()
    if frozen is not None:
        return f"frozen:{frozen.isoformat()}"
    text = getattr(settings, "CAMPAIGN_CLOCK", "")
    return f"setting:{text}" if text else "real"


def pinned():
    """Whether people should be told the clock is not real time: pinned by CAMPAIGN_CLOCK or,
    for this request, by a superuser's session. (A test's frozen_at() is not announced.)"""
    return bool(getattr(settings, "CAMPAIGN_CLOCK", "")) or _pinned_for_session.get()


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


@contextlib.contextmanager
def pinned_for_session(moment):
    """A superuser's request at the moment pinned in their session: frozen there, and announced."""
    token = _pinned_for_session.set(True)
    try:
        with frozen_at(moment):
            yield moment
    finally:
        _pinned_for_session.reset(token)
