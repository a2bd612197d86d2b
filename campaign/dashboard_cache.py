"""The office dashboard's figures, kept per subtree and recomputed off the request path.

Why: with one fingerprint over the whole obligation table, any write anywhere made every
dashboard recompute inside its request, all workers at once (issue "province scale": 0.76 s at
50,000 units, 4.2 s at 500,000). Here:

* Versions. A change under a unit bumps a counter for the unit and each of its ancestors
  (`below:<path>`, the prefixes of its path, units.models PATH_SEGMENT); a change to a whole subtree
  (a requirement's fan-out, a unit moved) also bumps `whole:<path>`, and `whole:` (the empty path)
  is every subtree. The version of the subtree at P is its own `below:P` with the `whole:` of P
  and of each ancestor: one get_many. So a write in one city leaves another city's figures as they
  are. `mark_changed` is the one function writers (campaign.receivers, bulk actions) call.
* Last result. The figures of (subtree, campaign) are kept with the version and moment they were
  counted at (`as_of`, shown as 统计截至). A page reads them; when the version moved or they are
  older than DASHBOARD_REFRESH_SECONDS (the clock makes obligations overdue), it still serves them
  and queues `campaign.tasks.refresh_dashboards` (once: a "queued" flag), which recomputes them in
  a worker (when no worker has done so for WORKER_LATE_SECONDS, the page counts them itself,
  under the claim). After a change, the watched entries of the changed unit's ancestors are queued at
  commit, so the next look already finds the new figures.
* One at a time. Computing needs the claim of (subtree, campaign) (cache.add): concurrent misses
  do not all recompute; the others wait up to WAIT_SECONDS for the claimant's result.
* No result yet (first view, Redis flushed): the page computes under the claim and keeps the
  result (a decision: one slow first look, 0.8 s for a province of 50,000 units, rather than an
  empty page). Cache down (core.cache answers misses): the page computes directly and keeps
  nothing; it never fails for want of Redis.
"""

import hashlib
import logging
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from campaign.models import Campaign, Obligation
from core import clock
from core.queueing import publish
from units.models import PATH_SEGMENT

logger = logging.getLogger(__name__)

PREFIX = "dashboard:"
# How long a kept result lives unread (each refresh keeps it this long again).
KEEP_SECONDS = 7 * 24 * 3600
# A claim outlasts the longest computation (4.2 s at 500,000 units); a worker that died holding it
# delays the next computation by this much at most.
CLAIM_SECONDS = 120
# A "refresh queued" flag: a lost message is queued again after this long.
QUEUED_SECONDS = 60
# How long a page with no result waits for another request's computation before computing itself.
WAIT_SECONDS = 3.0
WAIT_STEP_SECONDS = 0.05
# Kept figures this old were not refreshed by any worker (none running?): the page counts them itself.
WORKER_LATE_SECONDS = 600
# A change touching more obligations than this marks every subtree instead of looking up units.
MARK_LOOKUP_LIMIT = 2000


def _campaign_key(campaign):
    return str(getattr(campaign, "pk", campaign) or "-")


def _entry_key(path, campaign):
    return f"{PREFIX}figures:{path}:{_campaign_key(campaign)}"


def _claim_key(path, campaign):
    return f"{PREFIX}claim:{path}:{_campaign_key(campaign)}"


def _queued_key(path, campaign):
    return f"{PREFIX}queued:{path}:{_campaign_key(campaign)}"


def _watch_key(path):
    return f"{PREFIX}watched:{path}"


def ancestor_paths(path):
    """`path` and the paths of its ancestors, outermost first (units.models: fixed-width segments)."""
    return [path[:end] for end in range(PATH_SEGMENT, len(path) + 1, PATH_SEGMENT)]


def _version_keys(path):
    return [f"{PREFIX}below:{path}", f"{PREFIX}whole:"] + [f"{PREFIX}whole:{prefix}" for prefix in ancestor_paths(path)]


def _version(found, path):
    return tuple(found.get(key, 0) for key in _version_keys(path))


# -- marking changes ---------------------------------------------------------------------------


def _bump(keys):
    for key in keys:
        try:
            if cache.incr(key) is False:  # the cache is down (core.cache): nothing kept is served either
                return
        except ValueError:  # not there yet
            if not cache.add(key, 1, timeout=None):
                try:
                    cache.incr(key)
                except ValueError:
                    pass


def mark_changed(unit_paths, requirement_ids=None, *, subtree=False):
    """Mark the figures of the subtrees holding `unit_paths` out of date and queue their refresh.

    `unit_paths`: a unit path or several (units.models.Unit.path); "" means every unit.
    `subtree=True`: everything under each path changed too (a requirement fanned out under it, a
    unit moved there), not only the obligations of the unit itself. `requirement_ids`: the
    requirements concerned, accepted for the callers' sake; the figures of a subtree are one
    grouped query over all its requirements, so they are marked per subtree.

    Call it inside the transaction of the change: the counters move at once (this transaction's
    own reads see it) and again at commit (a result computed meanwhile from the data before the
    commit is not taken for the new one); the refresh is queued at commit.
    """
    if isinstance(unit_paths, str):
        unit_paths = [unit_paths]
    paths = sorted(set(unit_paths))
    keys = set()
    for path in paths:
        if path == "":
            keys.add(f"{PREFIX}whole:")
            continue
        keys.update(f"{PREFIX}below:{prefix}" for prefix in ancestor_paths(path))
        if subtree:
            keys.add(f"{PREFIX}whole:{path}")
    keys = sorted(keys)
    _bump(keys)

    def at_commit():
        _bump(keys)
        _queue_watched(paths)

    transaction.on_commit(at_commit)


def mark_everything_changed():
    """Every subtree's figures are out of date (a requirement edited, units moved)."""
    mark_changed("", subtree=True)


def mark_obligations_changed(obligation_ids):
    """The figures over the units of these obligations are out of date (one query for their units'
    paths; past MARK_LOOKUP_LIMIT obligations, every subtree is marked instead)."""

    ids = list(obligation_ids)
    if not ids:
        return
    if len(ids) > MARK_LOOKUP_LIMIT:
        mark_everything_changed()
        return
    mark_changed(list(Obligation.objects.filter(pk__in=ids).values_list("unit__path", flat=True).distinct().order_by()))


def _queue_watched(paths):
    """Queue the refresh of the kept results over `paths`: those of their ancestors (and their own)
    that somebody looked at. Below a path marked whole, results are refreshed when next read."""
    watch_keys = sorted({_watch_key(prefix) for path in paths if path for prefix in ancestor_paths(path)})
    if any(path == "" for path in paths):
        watch_keys = sorted(set(watch_keys) | {_watch_key("")})
    watched = cache.get_many(watch_keys) if watch_keys else {}
    entries = [(key[len(_watch_key("")):], campaign_key) for key in watch_keys for campaign_key in watched.get(key, ())]
    if watched.get(_watch_key("")):
        # Everything changed: every watched result (their paths were listed under the root key).
        entries = [tuple(entry) for entry in watched[_watch_key("")]]
    request_refresh(entries)


def _watch(path, campaign_key):
    """Remember that the result of (path, campaign) is looked at, for _queue_watched."""
    for key, member in ((_watch_key(path), campaign_key), (_watch_key(""), (path, campaign_key))):
        members = cache.get(key) or set()
        if member not in members:
            cache.set(key, {*members, member}, KEEP_SECONDS)


# -- reading and refreshing --------------------------------------------------------------------


def request_refresh(entries):
    """Queue the recomputation of the results of `entries` [(path, campaign id or "-")], each unless
    already queued. A worker runs campaign.tasks.refresh_dashboards."""
    from campaign import tasks  # it imports this module

    wanted = [list(entry) for entry in dict.fromkeys(tuple(entry) for entry in entries)
              if cache.add(_queued_key(*entry), 1, QUEUED_SECONDS)]
    if wanted and not publish(tasks.refresh_dashboards, (wanted,)):
        cache.delete_many([_queued_key(*entry) for entry in wanted])


def _campaign_of(campaign_key):

    return None if campaign_key == "-" else Campaign.objects.filter(pk=campaign_key).first()


def refresh(path, campaign_key):
    """Recompute and keep the result of (path, campaign) now, unless another process holds its
    claim (it will keep a result as new as this one would be). True if this call computed."""
    cache.delete(_queued_key(path, campaign_key))
    token = uuid.uuid4().hex
    if not cache.add(_claim_key(path, campaign_key), token, CLAIM_SECONDS):
        return False
    try:
        _compute_and_keep(path, _campaign_of(campaign_key), campaign_key)
    finally:
        _release(path, campaign_key, token)
    return True


def _release(path, campaign_key, token):
    if cache.get(_claim_key(path, campaign_key)) == token:
        cache.delete(_claim_key(path, campaign_key))


def _compute_and_keep(path, campaign, campaign_key, now=None):
    from campaign import dashboard  # it imports this module

    # The version is read before counting: a change committed while counting leaves the result
    # behind its version, and so refreshed again.
    version = _version(cache.get_many(_version_keys(path)), path)
    figures = dashboard.compute_subtree_figures(path, campaign, now or clock.now())
    figures.fingerprint = _fingerprint(path, campaign_key, version, figures.as_of)
    cache.set(_entry_key(path, campaign_key), {"version": version, "figures": figures}, KEEP_SECONDS)
    _watch(path, campaign_key)
    return figures


def _fingerprint(path, campaign_key, version, as_of):
    return hashlib.sha256(f"{path}|{campaign_key}|{version}|{as_of.isoformat()}".encode()).hexdigest()


def _is_current(entry, version, now):
    age = (now - entry["figures"].as_of).total_seconds()
    return entry["version"] == version and 0 <= age < settings.DASHBOARD_REFRESH_SECONDS


def _worker_missing(entry, now):
    """Kept figures older than WORKER_LATE_SECONDS (no worker took their refresh), or counted at a
    moment after `now` (the clock was pinned back, core.clock): not served again."""
    age = (now - entry["figures"].as_of).total_seconds()
    return not 0 <= age < max(WORKER_LATE_SECONDS, settings.DASHBOARD_REFRESH_SECONDS)


def figures_for(path, campaign, now=None):
    """The figures of the subtree at `path` in `campaign` for a page: the kept result (its refresh
    queued when out of date), else computed under the claim (module docstring). `now` is the page's
    moment; kept figures carry their own (`as_of`)."""
    now = now or clock.now()
    campaign_key = _campaign_key(campaign)
    entry_key = _entry_key(path, campaign_key)
    found = cache.get_many([entry_key, *_version_keys(path)])
    entry = found.get(entry_key)
    token = uuid.uuid4().hex
    claim_key = _claim_key(path, campaign_key)
    if entry is not None:
        if _is_current(entry, _version(found, path), now):
            return entry["figures"]
        if not _worker_missing(entry, now) or not cache.add(claim_key, token, CLAIM_SECONDS):
            request_refresh([(path, campaign_key)])
            figures = entry["figures"]
            figures.current = False  # served while their refresh waits (a copy: the cache unpickles)
            return figures
        try:  # no worker has refreshed them for long: this page counts, once (the claim)
            return _compute_and_keep(path, campaign, campaign_key, now)
        finally:
            _release(path, campaign_key, token)
    if cache.add(claim_key, token, CLAIM_SECONDS):
        try:
            return _compute_and_keep(path, campaign, campaign_key, now)
        finally:
            _release(path, campaign_key, token)
    if cache.get(claim_key) is not None:
        # Another request or worker is counting: wait a little for its result.
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(WAIT_STEP_SECONDS)
            entry = cache.get(entry_key)
            if entry is not None:
                return entry["figures"]
    # The cache is down (every add fails, every get misses), or the claimant is slow: count here.
    from campaign import dashboard  # it imports this module

    logger.info("dashboard figures of %s computed without the cache", path)
    figures = dashboard.compute_subtree_figures(path, campaign, now)
    figures.fingerprint = uuid.uuid4().hex  # nothing rendered from them is kept either
    return figures
