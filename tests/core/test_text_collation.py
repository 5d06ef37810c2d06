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
