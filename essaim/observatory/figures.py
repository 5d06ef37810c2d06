"""What the observatory reads: every registered capability's figures (``essaim.core.indicators``) for a territory
and a year, from the year's frozen snapshot when there is one, computed live otherwise, each with its definition,
its source, where it comes from (live, snapshot) and the moment it was computed.

This module is the one door of the pages, the downloads, the API and the report to the figures: they never call a
capability themselves. A capability added to the registry appears here without a change to this code.

Shapes (plain dataclasses, so that templates, CSV and JSON read the same things):

- ``Figure``: one value (``kind == "value"``, ``value``) or one table (``kind == "table"``, ``rows``: dicts
  ``{"key", "label", "value"[, "detail"]}``), with ``code`` (``"<capability>.<figure>"``), ``name``,
  ``definition``, ``unit``, ``source``;
- ``CapabilityFigures``: one capability's figures for one year, with ``origin`` (``Origin.LIVE`` or
  ``Origin.SNAPSHOT``) and ``computed_at``.

A figure the territory *entered* (its total employment) says so: ``origin == Origin.ENTERED`` with ``entered_by``,
``entered_at`` and ``entered_source``; a capability's ``compute`` flags such values in its year's ``entered`` dict
(code → ``{"by", "at", "source"}``), which a snapshot keeps in its definitions.

Live figures are cached ``settings.ESSAIM_OBSERVATORY_CACHE_SECONDS`` seconds per territory, year, capability and
filters; ``computed_at`` keeps the moment they were computed so that a page says the date of what it shows.
``invalidate(territory)`` drops a territory's cached figures (after a freeze or an entered figure).
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from essaim.core.indicators import capabilities
from essaim.observatory.enums import Origin
from essaim.observatory.models import Snapshot


@dataclass
class Figure:
    code: str  # "<capability>.<figure>"
    name: str
    definition: str
    unit: str
    kind: str  # "value" or "table"
    source: str = ""
    value: object = None  # a number (int, float, Decimal) or None when it cannot be computed
    rows: list = field(default_factory=list)  # a table's rows
    origin: str = ""  # Origin.ENTERED for a value the territory entered; empty: its capability's origin
    entered_by: str = ""  # who entered it (a name), when entered
    entered_at: datetime.datetime | None = None
    entered_source: str = ""


@dataclass
class CapabilityFigures:
    code: str
    name: str
    year: int
    origin: str  # Origin.LIVE or Origin.SNAPSHOT
    computed_at: datetime.datetime
    figures: list[Figure]

    def figure(self, code: str) -> Figure | None:
        """The figure of this capability by its short (``amount_granted``) or full (``grants.amount_granted``) code."""
        full = code if "." in code else f"{self.code}.{code}"
        return next((f for f in self.figures if f.code == full), None)


def _figures(capability, definitions: dict, values: dict, tables: dict, entered: dict | None = None) -> list[Figure]:
    entered = entered or {}
    found = []
    for code, d in definitions.items():
        mark = entered.get(code) or d.get("entered") or {}
        found.append(
            Figure(
                code=f"{capability}.{code}",
                name=d["name"],
                definition=d["definition"],
                unit=d["unit"],
                kind=d.get("kind", "value"),
                source=d.get("source", ""),
                value=values.get(code) if d.get("kind", "value") == "value" else None,
                rows=list(tables.get(code, [])) if d.get("kind", "value") == "table" else [],
                origin=Origin.ENTERED if mark else "",
                entered_by=mark.get("by", ""),
                entered_at=parse_datetime(mark["at"]) if mark.get("at") else None,
                entered_source=mark.get("source", ""),
            )
        )
    return found


def definitions_of(capability) -> dict:
    """A registered capability's definitions as plain data (what a snapshot keeps)."""
    return {
        d.code: {"name": d.name, "definition": d.definition, "unit": d.unit, "kind": d.kind, "source": d.source}
        for d in capability.definitions
    }


def _accepted(capability, filters: dict | None) -> dict:
    return {k: v for k, v in (filters or {}).items() if k in capability.filters and v not in (None, "")}


def compute_live(capability, *, territory, year: int, filters: dict | None = None) -> dict:
    """One capability's figures of one year computed now: ``{"values": …, "tables": …, "entered": …}`` (empty when
    the capability has nothing that year). Filters the capability does not accept are ignored."""
    years = capability.compute(territory=territory, year=year, **_accepted(capability, filters))
    entry = next((y for y in years if y.get("year") == year), None) or {}
    return {
        "values": dict(entry.get("values", {})),
        "tables": dict(entry.get("tables", {})),
        "entered": dict(entry.get("entered", {})),
    }


def _generation(territory) -> int:
    return cache.get_or_set(f"observatory:generation:{territory.pk}", 1, timeout=None)


def invalidate(territory) -> None:
    """Drops every cached live figure of ``territory`` (its keys carry a generation number: a new one misses)."""
    key = f"observatory:generation:{territory.pk}"
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 2, timeout=None)


def cached_live(capability, *, territory, year: int, filters: dict | None = None) -> dict:
    """``compute_live`` kept in the cache ``ESSAIM_OBSERVATORY_CACHE_SECONDS`` seconds, with its ``computed_at``."""
    accepted = _accepted(capability, filters)
    key = ":".join(
        [
            "observatory",
            str(territory.pk),
            str(_generation(territory)),
            str(year),
            capability.code,
            *(f"{k}={accepted[k]}" for k in sorted(accepted)),
        ]
    )
    live = cache.get(key)
    if live is None:
        live = compute_live(capability, territory=territory, year=year, filters=accepted)
        live["computed_at"] = timezone.now()
        cache.set(key, live, timeout=settings.ESSAIM_OBSERVATORY_CACHE_SECONDS)
    return live


def year_figures(territory, year: int, *, filters: dict | None = None) -> list[CapabilityFigures]:
    """Every capability's figures of ``year`` for ``territory``: the frozen snapshot when there is one (and no
    filter is asked: a snapshot holds the unfiltered figures), computed live otherwise."""
    snapshots = {} if filters else {s.capability: s for s in Snapshot.objects.filter(territory=territory, year=year)}
    result = []
    for capability in capabilities():
        snapshot = snapshots.get(capability.code)
        if snapshot is not None:
            figures = _figures(capability.code, snapshot.definitions, snapshot.values, snapshot.tables)
            origin, computed_at = Origin.SNAPSHOT, snapshot.computed_at
        else:
            live = cached_live(capability, territory=territory, year=year, filters=filters)
            figures = _figures(
                capability.code, definitions_of(capability), live["values"], live["tables"], live["entered"]
            )
            origin, computed_at = Origin.LIVE, live["computed_at"]
        result.append(
            CapabilityFigures(
                code=capability.code,
                name=capability.name,
                year=year,
                origin=origin,
                computed_at=computed_at,
                figures=figures,
            )
        )
    return result


def find(figure_sets: list[CapabilityFigures], code: str) -> Figure | None:
    """The figure of full code ``<capability>.<figure>`` among a year's figures, or ``None``."""
    capability, _, _ = code.partition(".")
    for figures in figure_sets:
        if figures.code == capability:
            return figures.figure(code)
    return None


def available_years(territory) -> list[int]:
    """The years the observatory offers for ``territory``, most recent first: the current year, the frozen ones,
    and every past year in which a capability has data (cached like the live figures)."""
    key = f"observatory:{territory.pk}:{_generation(territory)}:years"
    years = cache.get(key)
    if years is None:
        found = {timezone.localdate().year}
        found.update(Snapshot.objects.filter(territory=territory).values_list("year", flat=True))
        for capability in capabilities():
            found.update(entry["year"] for entry in capability.compute(territory=territory))
        # not the years to come (the agenda's sessions and the bookings already set next year): a year is observed
        # once it has begun
        years = sorted((year for year in found if year <= timezone.localdate().year), reverse=True)
        cache.set(key, years, timeout=settings.ESSAIM_OBSERVATORY_CACHE_SECONDS)
    return list(years)
