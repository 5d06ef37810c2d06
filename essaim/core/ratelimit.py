"""Abuse limits of public forms and API calls, per client: django-ratelimit counting in the shared cache
(``CACHE_URL``), so that every server process of the site sees the same counters. The client is THE address of
``essaim.core.clientip`` (trusted proxies only; django-ratelimit reads it through ``RATELIMIT_IP_META_KEY``), an IPv6
client its /64 network."""

from django_ratelimit import ALL
from django_ratelimit.core import is_ratelimited


def allow(request, *, scope: str, limit: int, period: str = "m") -> bool:
    """Counts one attempt of this client for ``scope`` in the current window (``period``: s, m, h or d); False past
    ``limit`` attempts. A limit of 0 or less turns the limit off."""
    if limit <= 0:
        return True
    return not is_ratelimited(
        request, group=f"essaim:{scope}", key="ip", rate=f"{limit}/{period}", method=ALL, increment=True
    )
