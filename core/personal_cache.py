"""Figures worked out for one person, kept for a short while: the top bar's to-do badge, a review
queue's filter choices.

Why: the badge is on every page, and counting an office's work takes a query over its whole
subtree (an office of a province of 50,000 units: about half the time of a trivial page). Those
figures need not be exact to the second; what a person has just done must show at once.

* Kept per person and name for PERSONAL_FIGURES_SECONDS (setting), then counted again.
* Forgotten at once when the person changes something: any request of theirs other than
  GET/HEAD/OPTIONS (ForgetAfterWriteMiddleware), whether it succeeded or not.
* Forgotten when something is addressed to them (`forget(user_id)`: a new notification).
* What others change otherwise shows within the setting's seconds.
* The clock: a kept value carries the clock it was counted on (core.clock.identity), so a moment
  pinned for a superuser's session never serves what was counted on real time, or the reverse.
* The cache down (core.cache answers misses): counted every time, as before.
"""

import time

from django.conf import settings
from django.core.cache import cache

from core import clock

PREFIX = "personal:"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _key(user_id):
    return f"{PREFIX}{user_id}"


def remember(user, name, compute):
    """compute() for `user` under `name`, kept for PERSONAL_FIGURES_SECONDS (module docstring)."""
    if settings.PERSONAL_FIGURES_SECONDS <= 0 or not getattr(user, "is_authenticated", False):
        return compute()
    kept = cache.get(_key(user.pk)) or {}
    found = kept.get(name)
    if found is not None and _fresh(found):
        return found[2]
    value = compute()
    store(user, name, value, kept=kept)
    return value


def _fresh(found):
    counted_on, counted_at, _value = found
    age = time.time() - counted_at
    return counted_on == clock.identity() and 0 <= age < settings.PERSONAL_FIGURES_SECONDS


def store(user, name, value, *, kept=None):
    """Keep `value` as `user`'s `name` (also for a page that counted the same figures itself)."""
    seconds = settings.PERSONAL_FIGURES_SECONDS
    if seconds <= 0 or not getattr(user, "is_authenticated", False):
        return
    key = _key(user.pk)
    kept = {other: found for other, found in ((cache.get(key) if kept is None else kept) or {}).items() if _fresh(found)}
    kept[name] = (clock.identity(), time.time(), value)
    # One entry per person (one read per page); each figure in it carries its own age.
    cache.set(key, kept, seconds)


def forget(user_id):
    """Drop everything kept for the person `user_id` (something changed for them)."""
    cache.delete(_key(user_id))


class ForgetAfterWriteMiddleware:
    """A person who changed something sees its effect on their next page (module docstring).
    After authentication."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if request.method not in SAFE_METHODS and getattr(user, "is_authenticated", False):
            forget(user.pk)
        return response
