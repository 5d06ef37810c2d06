"""Freezing a year's figures: every registered capability's figures of one territory and one ended year become a
``Snapshot`` (values, tables, definitions as they were), so that the evolution over years stays true when the data
changes later. The current year is never frozen: it is live.

``freeze_year`` freezes (or freezes again, replacing) one year on demand; ``freeze_ended_years`` is what the daily
``observatory_snapshot`` runs: every territory, every ended year from the first year with data, each capability not
frozen yet for it — on 1 January it freezes the year that just ended, the other days it does nothing."""

import datetime
import logging
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from essaim.core.indicators import capabilities
from essaim.observatory.figures import compute_live, definitions_of, invalidate
from essaim.observatory.models import Snapshot
from essaim.territories.models import Territory

logger = logging.getLogger(__name__)


def plain(value):
    """A figure as JSON keeps it: decimals become numbers (floats), containers are walked."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return value


def _check_year(year: int, today: datetime.date) -> None:
    if year >= today.year:
        raise ValidationError(
            f"L'année {year} n'est pas terminée : elle reste calculée à l'instant et ne peut pas être figée."
        )


def _freeze(territory, year: int, *, by, codes=None) -> list[Snapshot]:
    now = timezone.now()
    frozen = []
    for capability in capabilities():
        if codes is not None and capability.code not in codes:
            continue
        live = compute_live(capability, territory=territory, year=year)
        definitions = definitions_of(capability)
        for code, mark in live["entered"].items():
            if code in definitions:
                definitions[code]["entered"] = plain(mark)
        snapshot, _ = Snapshot.objects.update_or_create(
            territory=territory,
            year=year,
            capability=capability.code,
            defaults={
                "values": plain(live["values"]),
                "tables": plain(live["tables"]),
                "definitions": definitions,
                "computed_at": now,
                "frozen_by": by if by is not None and by.is_authenticated else None,
            },
        )
        frozen.append(snapshot)
    return frozen


def freeze_year(*, territory, year: int, by=None, today: datetime.date | None = None) -> list[Snapshot]:
    """Freezes every capability's figures of ``territory`` for the ended ``year`` (again: replaces them). Refuses
    the current and future years (``ValidationError`` in French)."""
    _check_year(year, today or timezone.localdate())
    with transaction.atomic():
        frozen = _freeze(territory, year, by=by)
    transaction.on_commit(lambda: invalidate(territory))
    logger.info("observatory: %s %s frozen by %s", territory.slug, year, getattr(by, "pk", None) or "the worker")
    return frozen


def _has_data(entry: dict) -> bool:
    """A capability's year holds something: a value that is neither empty nor zero, or a table row that counts."""
    if any(value not in (None, 0) for value in entry.get("values", {}).values()):
        return True
    return any(row.get("value") for rows in entry.get("tables", {}).values() for row in rows)


def first_year(territory) -> int | None:
    """The first year in which any capability has data for ``territory``, or ``None``."""
    years = [
        entry["year"]
        for capability in capabilities()
        for entry in capability.compute(territory=territory)
        if _has_data(entry)
    ]
    return min(years) if years else None


def freeze_ended_years(today: datetime.date | None = None, territories=None, years=None) -> list[tuple]:
    """Freezes, for every territory (or ``territories``), every ended year from its first year with data (or only
    ``years``) for each capability not frozen yet. Idempotent. Returns ``[(territory, year, capabilities frozen)]``."""
    today = today or timezone.localdate()
    done = []
    codes = {capability.code for capability in capabilities()}
    for territory in territories if territories is not None else Territory.objects.order_by("pk"):
        frozen = {}
        for year, code in Snapshot.objects.filter(territory=territory).values_list("year", "capability"):
            frozen.setdefault(year, set()).add(code)
        if years is not None:
            wanted = [y for y in years if y < today.year]
        else:
            start = first_year(territory)
            wanted = list(range(start, today.year)) if start is not None else []
        for year in wanted:
            missing = codes - frozen.get(year, set())
            if not missing:
                continue
            with transaction.atomic():
                _freeze(territory, year, by=None, codes=missing)
            done.append((territory, year, sorted(missing)))
        if done and done[-1][0] == territory:
            invalidate(territory)
    return done
