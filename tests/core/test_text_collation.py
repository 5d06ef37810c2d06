"""French order in SQL: ``order_by(french("name"))`` on SQLite (a Python collation) and PostgreSQL (ICU)."""

import pytest

from essaim.core.db import french
from essaim.territories.models import Region

NAMES = ["Busnes", "Zutkerque", "Éleu-dit-Leauwette", "Beuvry", "Œuf-en-Ternois", "Béthune", "Estrée"]


@pytest.mark.django_db
def test_order_by_french_collation_on_either_engine():
    Region.objects.bulk_create(Region(code=f"9{i}", name=name) for i, name in enumerate(NAMES))
    names = list(Region.objects.filter(code__startswith="9").order_by(french("name")).values_list("name", flat=True))
    assert names == ["Béthune", "Beuvry", "Busnes", "Éleu-dit-Leauwette", "Estrée", "Œuf-en-Ternois", "Zutkerque"]


@pytest.mark.django_db
def test_french_order_with_distinct_and_across_a_relation():
    """``distinct()`` with a collated ordering works on PostgreSQL too (the ordering goes into the select)."""
    from essaim.territories.models import Departement

    Region.objects.bulk_create(Region(code=f"9{i}", name=name) for i, name in enumerate(NAMES))
    Departement.objects.bulk_create(
        Departement(code=f"9{i}", name=f"Dép {i}", region_id=f"9{i}") for i in range(len(NAMES))
    )
    regions = Region.objects.filter(departements__code__startswith="9").distinct().order_by(french("name"))
    assert [r.name for r in regions][:3] == ["Béthune", "Beuvry", "Busnes"]
    by_region = Departement.objects.filter(code__startswith="9").order_by(french("region__name"))
    assert [d.region.name for d in by_region][3] == "Éleu-dit-Leauwette"
