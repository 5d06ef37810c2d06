"""The one module where the database engine matters (ADR 002): nothing else branches on ``connection.vendor``.

French order of names in SQL: ``order_by(french("name"))``. PostgreSQL sorts with ICU's French collation
(``fr-x-icu``, present in every PostgreSQL built with ICU, as Debian's and the official images are); SQLite has
no ICU, so each SQLite connection gets a collation of the same name-order written in Python
(``essaim.core.french.collation_key``). ``Béthune`` comes before ``Beuvry`` and ``Busnes``, ``Éleu-dit-Leauwette``
among the E, on both engines — where a byte order (SQLite's default, PostgreSQL's ``C.UTF-8``) puts every accented
capital after Z.
"""

import functools

from django.db import connection
from django.db.backends.signals import connection_created
from django.db.models.functions import Collate

from essaim.core.french import collation_key

POSTGRESQL_COLLATION = "fr-x-icu"
SQLITE_COLLATION = "essaim_fr"


@functools.lru_cache(maxsize=65536)
def _key(value):
    return collation_key(value)


def _sqlite_compare(left, right):
    a, b = _key(left or ""), _key(right or "")
    return (a > b) - (a < b)


def _register_sqlite_collation(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_collation(SQLITE_COLLATION, _sqlite_compare)


def install():
    """Registers the French collation on every new SQLite connection (called once, from ``CoreConfig.ready``)."""
    connection_created.connect(_register_sqlite_collation, dispatch_uid="essaim-french-collation")
    if connection.vendor == "sqlite" and connection.connection is not None:
        _register_sqlite_collation(None, connection)


def french(expression):
    """``expression`` (a field name or an expression) collated in French order, for ``order_by``.

    >>> Commune.objects.order_by(french("name"))
    """
    collation = POSTGRESQL_COLLATION if connection.vendor == "postgresql" else SQLITE_COLLATION
    return Collate(expression, collation)
