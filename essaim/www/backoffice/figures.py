"""The directory's figures for one territory: aggregates of the published structures, never a person's data. Read
by the territory's officers, admin and elected members (``can_view_dashboards``)."""

from dataclasses import dataclass

from django.db.models import Count

from essaim.directory.enums import Family, HeadcountBand, Label
from essaim.directory.models import Sector, Structure, StructureLabel

TOP_COMMUNES = 15
TOP_SECTORS = 12


@dataclass(frozen=True)
class Row:
    label: str
    count: int
    share: float  # percent of the territory's published structures


def _rows(pairs, total):
    return [Row(label, count, round(100 * count / total, 1) if total else 0.0) for label, count in pairs]


def directory_figures(territory) -> dict:
    """Published structures of the territory: total, employers, by ESS family, label, headcount band, sector and
    commune (the largest first). Six grouped queries, whatever the size of the directory."""
    structures = Structure.objects.published().in_territory(territory)
    ids = structures.values("pk")
    total = structures.count()
    employers = structures.filter(is_employer=True).count()
    families = dict(Family.choices)
    by_family = sorted(
        (
            (families.get(r["family"], r["family"]), r["n"])
            for r in structures.values("family").annotate(n=Count("pk"))
        ),
        key=lambda pair: -pair[1],
    )
    labels = dict(Label.choices)
    by_label = sorted(
        (
            (labels.get(r["label"], r["label"]), r["n"])
            for r in StructureLabel.objects.filter(structure__in=ids).values("label").annotate(n=Count("structure"))
        ),
        key=lambda pair: -pair[1],
    )
    bands = dict(HeadcountBand.choices)
    order = {value: index for index, value in enumerate(HeadcountBand.values)}
    by_band = [
        (bands.get(r["headcount_band"], r["headcount_band"]), r["n"])
        for r in sorted(
            structures.values("headcount_band").annotate(n=Count("pk")),
            key=lambda r: order.get(r["headcount_band"], 99),
        )
    ]
    by_sector = [
        (r["name"], r["n"])
        for r in Sector.objects.filter(structures__in=ids)
        .values("name")
        .annotate(n=Count("structures"))
        .order_by("-n", "name")[:TOP_SECTORS]
    ]
    by_commune = [
        (r["commune__name"], r["n"])
        for r in structures.values("commune__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "commune__name")[:TOP_COMMUNES]
    ]
    return {
        "total": total,
        "employers": employers,
        "by_family": _rows(by_family, total),
        "by_label": _rows(by_label, total),
        "by_band": _rows(by_band, total),
        "by_sector": _rows(by_sector, total),
        "by_commune": _rows(by_commune, total),
    }
