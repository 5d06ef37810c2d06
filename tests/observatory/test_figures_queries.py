"""Every capability computes its figures in a constant number of queries, whatever the size of its data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from essaim.core.indicators import capabilities
from tests.agenda.factories import EventFactory, RegistrationFactory, SessionFactory
from tests.directory.factories import StructureFactory, StructureLabelFactory
from tests.observatory.fixtures import YEAR, at

pytestmark = pytest.mark.django_db
MAX_QUERIES = {"directory": 6, "agenda": 4, "grants": 6, "support": 12, "club": 20, "observatory": 7}


def _counts(territory) -> dict:
    found = {}
    for capability in capabilities():
        for year in (YEAR, None):
            with CaptureQueriesContext(connection) as queries:
                capability.compute(territory=territory, year=year)
            found[capability.code, year] = len(queries)
    return found


def test_constant_number_of_queries(known):
    before = _counts(known.territory)
    for k in range(8):
        structure = StructureFactory(commune=known.bethune)
        StructureLabelFactory(structure=structure, label="EI")
        structure.sectors.add(known.reemploi)
        event = EventFactory(territory=known.territory, campaign=known.campaign)
        session = SessionFactory(event=event, start=at(YEAR, 11, 12 + k), capacity=None)
        RegistrationFactory.create_batch(2, session=session)
        if k < 2:
            known.world.at("granted")
    after = _counts(known.territory)
    assert after == before
    assert len(after) == 2 * len(MAX_QUERIES)
    for (code, _), count in after.items():
        assert count <= MAX_QUERIES[code], code


def test_the_directory_of_a_territory_in_six_queries(known, django_assert_max_num_queries):
    from essaim.directory.indicators import directory_indicators

    with django_assert_max_num_queries(6):
        directory_indicators(territory=known.territory, year=YEAR, family="association", sector="reemploi")
