"""Fixtures of the public observatory's tests: a small fake capability registered as the directory (values, tables,
a table by commune keyed by INSEE code, filters by family and sector), the registry restored afterwards, the cache
emptied, and a territory of three real communes of the Pas-de-Calais (their outlines are shipped)."""

import html
import re

import pytest
from django.core.cache import cache
from django.utils import timezone

from essaim.core import indicators
from essaim.core.indicators import Definition
from essaim.territories.models import TerritoryCommune
from tests.territories.factories import CommuneFactory, TerritoryFactory

YEAR = timezone.localdate().year
COMMUNES = [("62001", "Ablain-Saint-Nazaire"), ("62002", "Ablainzevelle"), ("62003", "Acheville")]

DEFINITIONS = [
    Definition(
        "establishments",
        "Établissements de l'ESS",
        "Établissements publiés dans l'annuaire.",
        "structures",
        source="Annuaire d'essai : structures publiées.",
    ),
    Definition("jobs_estimated", "Emplois estimés", "Somme des milieux des tranches d'effectif.", "emplois"),
    Definition("by_family", "Établissements par famille", "Par famille de l'ESS.", "structures", "table"),
    Definition("by_commune", "Établissements par commune", "Établissements par commune.", "structures", "table"),
]


CALLS = []  # the years the fake directory was computed for


def fake_directory(*, territory, year=None, family=None, sector=None):
    """Seven establishments (3 associations, 4 cooperatives), 3 in Ablain-Saint-Nazaire, 4 in Ablainzevelle, none
    in Acheville; with ``family="association"``: 3, all in Ablain-Saint-Nazaire. ``sector`` is ignored. Asked for
    no year (every year, as the registry's contract says), it answers the current one."""
    CALLS.append(year)
    if family == "association":
        values = {"establishments": 3, "jobs_estimated": 12.5}
        by_family = [{"key": "association", "label": "association", "value": 3}]
        by_commune = [{"key": "62001", "label": "Ablain-Saint-Nazaire", "value": 3}]
    else:
        values = {"establishments": 7, "jobs_estimated": 42.5}
        by_family = [
            {"key": "association", "label": "association", "value": 3},
            {"key": "cooperative", "label": "=coopérative", "value": 4},
        ]
        by_commune = [
            {"key": "62001", "label": "Ablain-Saint-Nazaire", "value": 3},
            {"key": "62002", "label": "Ablainzevelle", "value": 4},
        ]
    return [
        {
            "year": YEAR if year is None else year,
            "values": values,
            "tables": {"by_family": by_family, "by_commune": by_commune},
        }
    ]


@pytest.fixture
def registry():
    """The registry with the fake directory registered first (the real support and club stay), then restored."""
    saved = dict(indicators._REGISTRY)
    indicators._REGISTRY.clear()
    indicators.register(
        code="directory",
        name="Annuaire (essai)",
        definitions=DEFINITIONS,
        compute=fake_directory,
        filters=("family", "sector"),
    )
    indicators._REGISTRY.update({k: v for k, v in saved.items() if k != "directory"})
    cache.clear()
    yield indicators
    indicators._REGISTRY.clear()
    indicators._REGISTRY.update(saved)
    cache.clear()


@pytest.fixture
def territory(db, registry):
    territory = TerritoryFactory(slug="bethune-bruay", name="Béthune-Bruay")
    for code, name in COMMUNES:
        commune = CommuneFactory(insee_code=code, name=name)
        TerritoryCommune.objects.create(territory=territory, commune=commune)
    return territory


def text(response) -> str:
    """The page as a reader sees it: entities read back, the no-break spaces of French typography as spaces."""
    return html.unescape(response.content.decode()).replace("\u202f", " ").replace("\xa0", " ")


def words(response) -> str:
    """The page's text without its tags, every run of spaces as one space."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text(response)))
