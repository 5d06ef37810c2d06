"""The shared cache of Essaim (``CACHE_URL``): where the abuse limits count, so that every server process of a site
counts the same attempts (docs/operations.md, « Proxy, cache and abuse limits »).

- ``redis://host:port/db`` (or ``rediss://``): Redis through django-redis, for production with several machines;
- ``db://`` (the default): the table ``essaim_cache`` of Essaim's own database, which every process of the site
  shares without another service; its migration creates it (``essaim migrate``);
- ``locmem://``: memory of the process, not shared (the tests).

Django's database cache increments a counter with a read then a write, so two processes can count one attempt
where there were two. The backend below makes ``incr`` atomic: the row is locked (``SELECT … FOR UPDATE`` on
PostgreSQL, the write lock that SQLite's ``BEGIN IMMEDIATE`` takes), and it keeps the counter's expiry.
"""

import base64
import pickle
from urllib.parse import urlsplit

from django.core.cache.backends import db
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, router, transaction
from django.utils.timezone import now

TABLE = "essaim_cache"


def caches_from_url(url: str) -> dict:
    """The ``CACHES`` setting for ``CACHE_URL``."""
    url = (url or "").strip() or "db://"
    scheme = urlsplit(url).scheme
    if scheme in {"redis", "rediss", "unix"}:
        # A Redis that stops must not stop the site: its errors read as a miss (the limits then let the attempt
        # through, logged by django-redis) and /health answers 503 on the cache check.
        default = {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
        }
    elif scheme == "db":
        default = {
            "BACKEND": "essaim.core.cache.DatabaseCache",
            "LOCATION": TABLE,
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    elif scheme == "locmem":
        default = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "essaim"}
    else:
        raise ImproperlyConfigured(f"CACHE_URL : redis://…, rediss://…, db:// ou locmem://, pas « {url} ».")
    return {"default": default}


class DatabaseCache(db.DatabaseCache):
    """Django's database cache with an atomic ``incr`` that keeps the counter's expiry, and an ``add`` that finds a
    live key by a plain read: a limiter's ``add`` then ``incr`` takes SQLite's write lock once, not twice."""

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        if self.has_key(key, version=version):
            return False
        return super().add(key, value, timeout, version)

    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        alias = router.db_for_write(self.cache_model_class)
        connection = connections[alias]
        quote = connection.ops.quote_name
        table, value_column, expires, cache_key = (quote(n) for n in (self._table, "value", "expires", "cache_key"))
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        with transaction.atomic(using=alias), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {value_column} FROM {table} WHERE {cache_key} = %s AND {expires} > %s{lock}",  # noqa: S608
                [key, connection.ops.adapt_datetimefield_value(now().replace(microsecond=0))],
            )
            row = cursor.fetchone()
            if row is None:
                raise ValueError(f"Key '{key}' not found.")
            value = pickle.loads(base64.b64decode(row[0].encode())) + delta  # noqa: S301 -- written by this cache
            encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(f"UPDATE {table} SET {value_column} = %s WHERE {cache_key} = %s", [encoded, key])  # noqa: S608
        return value
