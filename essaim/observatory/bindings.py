"""A fiche's indicator bound to a computed figure (``territories.Indicator.binding``, a full code such as
``grants.amount_granted``): its values fill themselves from the observatory and none can be entered; an unbound
indicator keeps the values its territory enters (``IndicatorValue``, with who entered them). Never both.

``indicator_values(indicator, years)`` is what the fiche page and the yearly evaluation read: for each year the
value, its origin (``Origin.LIVE``, ``Origin.SNAPSHOT`` or ``Origin.ENTERED``) and its date (computed at, frozen
at, entered at)."""

from essaim.core.indicators import capabilities
from essaim.observatory.enums import Origin
from essaim.observatory.figures import cached_live
from essaim.observatory.models import Snapshot


def binding_choices() -> list[tuple[str, str]]:
    """The figures an indicator may be bound to: every registered figure of kind ``value``, by capability."""
    return [
        (f"{capability.code}.{d.code}", f"{capability.name} — {d.name} ({d.unit})")
        for capability in capabilities()
        for d in capability.definitions
        if d.kind == "value"
    ]


def is_bindable(code: str) -> bool:
    return code in {value for value, _ in binding_choices()}


def figure_value(territory, code: str, year: int) -> tuple[object, str, object]:
    """``(value, origin, date)`` of the figure ``code`` (full code, kind value) for ``territory`` in ``year``: the
    year's snapshot of its capability when there is one, computed live (cached) otherwise."""
    capability_code, _, figure = code.partition(".")
    snapshot = Snapshot.objects.filter(territory=territory, year=year, capability=capability_code).first()
    if snapshot is not None:
        return snapshot.values.get(figure), Origin.SNAPSHOT, snapshot.computed_at
    capability = next((c for c in capabilities() if c.code == capability_code), None)
    if capability is None:
        return None, Origin.LIVE, None
    live = cached_live(capability, territory=territory, year=year)
    if figure in live["entered"]:
        return live["values"].get(figure), Origin.ENTERED, live["computed_at"]
    return live["values"].get(figure), Origin.LIVE, live["computed_at"]


def indicator_values(indicator, years) -> list[tuple[int, object, str, object]]:
    """``[(year, value, origin, date)]`` for ``years`` (in their order): computed when the indicator is bound,
    entered otherwise (a year without an entered value: ``(year, None, Origin.ENTERED, None)``)."""
    if indicator.binding:
        territory = indicator.sheet.territory
        return [(year, *figure_value(territory, indicator.binding, year)) for year in years]
    entered = {v.year: v for v in indicator.values.all()}
    return [
        (year, entered[year].value, Origin.ENTERED, entered[year].updated_at)
        if year in entered
        else (year, None, Origin.ENTERED, None)
        for year in years
    ]
