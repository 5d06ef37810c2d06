"""The registry of the platform's figures: each capability registers, in its ``AppConfig.ready()``, the figures it
computes (their definitions) and the function that computes them for a territory, so that the observatory (issue
#19) reads every capability the same way without knowing any of them.

A figure has a stable code, a French name, a definition that says what is counted and how, and a unit. A
capability's ``compute(*, territory, year=None)`` returns one dict per year, most recent first: ``year``, ``values``
(code → number, or ``None`` when it cannot be computed) and ``tables`` (code → rows ``{"key", "label", "value"}``).
Figures are aggregates: never a person."""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Definition:
    """What a figure means: its code (stable, used by the API, the CSV and the observatory), its French name, how it
    is computed, and its unit. ``kind`` is ``value`` (one number) or ``table`` (rows of a breakdown)."""

    code: str
    name: str
    definition: str
    unit: str
    kind: str = "value"
    source: str = ""  # which data and which filter (« Annuaire d'Essaim : structures publiées du territoire… »)


@dataclass(frozen=True)
class Capability:
    """A capability's figures: its code (``support``, ``club``…), its French name, its definitions, and the
    function that computes them for a territory."""

    code: str
    name: str
    definitions: tuple[Definition, ...]
    compute: Callable = field(compare=False)
    filters: tuple[str, ...] = ()  # keyword filters ``compute`` accepts besides territory and year (``family``…)

    def definition(self, code: str) -> Definition:
        return next(d for d in self.definitions if d.code == code)


def rate(part: int, whole: int) -> float | None:
    """``part`` of ``whole`` in percent, one decimal; ``None`` when there is nothing to divide."""
    return round(100 * part / whole, 1) if whole else None


def rows(counter, choices, details: dict | None = None) -> list[dict]:
    """The rows of a table on a closed list (an enumeration): every value in its own order, zeros included, so that a
    table reads the same every year; ``details`` (value → breakdown) adds each row's ``detail``."""
    found = []
    for value, label in choices:
        row = {"key": str(value), "label": str(label), "value": counter.get(value, 0)}
        if details is not None:
            row["detail"] = dict(details.get(value, {}))
        found.append(row)
    return found


_REGISTRY: dict[str, Capability] = {}


def register(*, code: str, name: str, definitions, compute: Callable, filters=()) -> Capability:
    """Registers (or replaces, on a second ``ready()``) a capability's figures. Codes of figures are unique within a
    capability. ``filters`` names the keyword filters its ``compute`` accepts (the directory's ``family`` and
    ``sector``); the observatory passes a filter only to the capabilities that name it."""
    definitions = tuple(definitions)
    codes = [d.code for d in definitions]
    if len(codes) != len(set(codes)):
        raise ValueError(f"figure codes repeated in {code}")
    capability = Capability(code=code, name=name, definitions=definitions, compute=compute, filters=tuple(filters))
    _REGISTRY[code] = capability
    return capability


def capabilities() -> list[Capability]:
    """The registered capabilities, in the order they registered (the apps' order)."""
    return list(_REGISTRY.values())


def capability(code: str) -> Capability:
    return _REGISTRY[code]
