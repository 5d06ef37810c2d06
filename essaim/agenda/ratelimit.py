"""A small fixed-window rate limiter on Django's cache, per client address: public registration forms and the
registration API answer 429 past ``ESSAIM_AGENDA_REGISTRATION_RATE_LIMIT`` attempts a minute (10 by default).

With several server processes, the cache must be shared (Redis, Memcached, database cache) for the limit to be
global; with the default local-memory cache each process counts on its own, which only loosens the limit."""

import time

from django.conf import settings
from django.core.cache import cache

WINDOW_SECONDS = 60


def client_address(request) -> str:
    """The client's IP: REMOTE_ADDR, or the first X-Forwarded-For hop when Essaim runs behind a trusted proxy."""
    if settings.ESSAIM_BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def registration_limit() -> int:
    return settings.ESSAIM_AGENDA_REGISTRATION_RATE_LIMIT


def allow(request, scope: str = "agenda-registration", limit: int | None = None) -> bool:
    """Counts one attempt of this client in the current minute; False once the limit is exceeded."""
    limit = registration_limit() if limit is None else limit
    if limit <= 0:
        return True
    window = int(time.time() // WINDOW_SECONDS)
    key = f"ratelimit:{scope}:{client_address(request)}:{window}"
    if cache.add(key, 1, timeout=WINDOW_SECONDS + 5):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=WINDOW_SECONDS + 5)
        return True
    return count <= limit
