"""A Redis cache the pages can live without (settings.CACHES when REDIS_URL is set).

The cache only spares work: everything in it can be computed again (the dashboard's figures, its
rendered tables, an import's progress, which the import's row also keeps). So when Redis is down
or hung, a read is a miss and a write is skipped, with one warning, instead of a server error:
the page computes what it would have read. Connecting and reading time out quickly
(settings.REDIS_CACHE_TIMEOUT), and after a failure this process leaves Redis alone for
PAUSE_SECONDS, so that a page asking the cache several times waits for one timeout at most, not
one per question. Only connection and timeout errors are forgiven: any other Redis error is a
bug to see.
"""

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNAVAILABLE = (RedisConnectionError, RedisTimeoutError)
# After a failure, seconds during which this process does not ask Redis again (a hung Redis
# would otherwise cost every cache call of a page its own timeout).
PAUSE_SECONDS = 5.0

# {servers: time.monotonic() until which they are not asked}. Module-wide, since Django makes one
# cache object per thread; a race between threads at worst asks Redis once more.
_paused_until = {}


def _forgiving(fallback):
    """The decorated operation, answering fallback(*its arguments) when Redis cannot be reached."""

    def decorate(operation):
        @functools.wraps(operation)
        def guarded(self, *args, **kwargs):
            servers = tuple(self._servers)
            if _paused_until.get(servers, 0.0) > time.monotonic():
                return fallback(*args, **kwargs)
            try:
                return operation(self, *args, **kwargs)
            except UNAVAILABLE as exc:
                _paused_until[servers] = time.monotonic() + PAUSE_SECONDS
                logger.warning("cache unavailable, %s goes on without it for %gs: %s", operation.__name__, PAUSE_SECONDS, exc)
                return fallback(*args, **kwargs)

        return guarded

    return decorate


def _false(*args, **kwargs):
    return False


def _nothing(*args, **kwargs):
    return None


class BestEffortRedisCache(RedisCache):
    """Django's Redis cache, read as a miss and written as a no-op while Redis cannot be reached.

    get → its default, get_many → {}, add/touch/delete/has_key/clear → False, set/delete_many →
    nothing, set_many → every key (none was stored), incr (and so decr) → False. get_or_set and
    the async methods go through these.
    """

    @_forgiving(lambda key, default=None, version=None: default)
    def get(self, key, default=None, version=None):
        return super().get(key, default, version)

    @_forgiving(lambda keys, version=None: {})
    def get_many(self, keys, version=None):
        return super().get_many(keys, version)

    @_forgiving(_false)
    def has_key(self, key, version=None):
        return super().has_key(key, version)

    @_forgiving(_nothing)
    def set(self, *args, **kwargs):
        return super().set(*args, **kwargs)

    @_forgiving(lambda data, *args, **kwargs: list(data))
    def set_many(self, data, *args, **kwargs):
        return super().set_many(data, *args, **kwargs)

    @_forgiving(_false)
    def add(self, *args, **kwargs):
        return super().add(*args, **kwargs)

    @_forgiving(_false)
    def touch(self, *args, **kwargs):
        return super().touch(*args, **kwargs)

    @_forgiving(_false)
    def incr(self, *args, **kwargs):
        return super().incr(*args, **kwargs)

    @_forgiving(_false)
    def delete(self, *args, **kwargs):
        return super().delete(*args, **kwargs)

    @_forgiving(_nothing)
    def delete_many(self, *args, **kwargs):
        return super().delete_many(*args, **kwargs)

    @_forgiving(_false)
    def clear(self):
        return super().clear()
