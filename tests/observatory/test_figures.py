"""Every registered figure computed on a known fixture (tests/observatory/fixtures.py), each value counted by hand."""

from decimal import Decimal

import pytest

from essaim.core.indicators import capabilities
from essaim.observatory.enums import Origin
from essaim.observatory.figures import available_years, find, year_figures
from tests.accounts.factories import UserFactory
from tests.observatory.factories import EnteredFigureFactory
from tests.observatory.fixtures import YEAR

pytestmark = pytest.mark.django_db


def _table(figure):
    return {row["key"]: row["value"] for row in figure.rows}


def test_the_registry_holds_every_capability_in_the_apps_order():
    assert [c.code for c in capabilities()] == ["directory", "agenda", "grants", "support", "club", "observatory"]
    assert all(d.source for c in capabilities() for d in c.definitions)


def test_directory_figures_counted_by_hand(known):
    sets = year_figures(known.territory, YEAR)
    value = lambda code: find(sets, f"directory.{code}").value  # noqa: E731
    assert value("establishments") == 4  # s1, s2, s3, s7 (s4 archived, s5 outside, s6 draft)
    assert value("employers") == 2  # s1 is an employer, s2 has 20 to 49 employees
    assert value("jobs_estimated") == 36.0  # 1.5 + 34.5
    assert value("new_establishments") == 4  # s1, s2, s3, s4 (s7 first published in 2025)
    assert value("closed_establishments") == 1  # s4
    assert _table(find(sets, "directory.by_family")) == {
        "association": 2,
        "cooperative": 1,
        "mutuelle": 1,
        "fondation": 0,
        "commercial": 0,
        "other": 0,
    }
    labels = _table(find(sets, "directory.by_label"))
    assert (labels["ACI"], labels["SCOP"], labels["ESUS"], sum(labels.values())) == (1, 1, 1, 3)
    sectors = _table(find(sets, "directory.by_sector"))  # every sector of the taxonomy, zeros included
    assert {key: n for key, n in sectors.items() if n} == {"reemploi": 2, "alimentation": 2}
    communes = find(sets, "directory.by_commune").rows
    assert [(r["label"], r["value"]) for r in communes] == [("Auchel", 2), ("Béthune", 2)]
    assert communes[0]["key"] == known.auchel.insee_code
    bands = {row["key"]: row for row in find(sets, "directory.jobs_by_band").rows}
    assert (bands["01"]["value"], bands["01"]["detail"]) == (1, {"midpoint": 1.5, "jobs": 1.5})
    assert (bands["12"]["value"], bands["12"]["detail"]) == (1, {"midpoint": 34.5, "jobs": 34.5})
    assert (bands["NN"]["value"], bands["00"]["value"]) == (2, 0)  # s3 and s7 (s4, of band 00, is archived)


def test_directory_previous_year_and_filters(known):
    last = year_figures(known.territory, YEAR - 1)
    assert find(last, "directory.establishments").value == 1  # s7 only
    assert find(last, "directory.new_establishments").value == 1
    families = year_figures(known.territory, YEAR, filters={"family": "association"})
    assert find(families, "directory.establishments").value == 2
    assert find(families, "directory.jobs_estimated").value == 1.5
    sectors = year_figures(known.territory, YEAR, filters={"sector": "reemploi"})
    assert find(sectors, "directory.establishments").value == 2
    assert find(sectors, "directory.jobs_estimated").value == 36.0
    assert find(sectors, "agenda.events").value == 2  # the agenda takes no such filter


def test_agenda_figures_counted_by_hand(known):
    sets = year_figures(known.territory, YEAR)
    value = lambda code: find(sets, f"agenda.{code}").value  # noqa: E731
    assert value("events") == 2  # the workshop and the club's visit (cancelled, draft, other territory: out)
    assert value("sessions") == 3
    assert value("registrations") == 6  # 3 + 1 + 2 confirmed
    assert value("attendance") == 3  # 2 + 1 checked in
    campaigns = find(sets, "agenda.by_campaign").rows
    assert [(r["label"], r["value"]) for r in campaigns] == [("Mois de l'ESS 2026", 1), ("hors campagne", 1)]
    assert campaigns[0]["detail"] == {"sessions": 2, "registrations": 4, "attendance": 2}
    assert campaigns[1]["detail"] == {"sessions": 1, "registrations": 2, "attendance": 1}
    types = _table(find(sets, "agenda.by_type"))
    assert (types["atelier"], types["visite"], sum(types.values())) == (1, 1, 2)
    audiences = _table(find(sets, "agenda.by_audience"))
    assert (audiences["grand_public"], audiences["porteurs_de_projet"], audiences["adherents_club"]) == (1, 1, 1)
    assert sum(audiences.values()) == 3
    last = year_figures(known.territory, YEAR - 1)
    assert (find(last, "agenda.events").value, find(last, "agenda.sessions").value) == (1, 1)
    assert find(last, "agenda.registrations").value == 0


def test_grants_figures_counted_by_hand(known):
    sets = year_figures(known.territory, YEAR)
    value = lambda code: find(sets, f"grants.{code}").value  # noqa: E731
    assert value("applications_filed") == 2  # the closed one and the refused one (the draft is not filed)
    assert (value("decisions_granted"), value("decisions_refused")) == (1, 1)
    assert value("amount_granted") == Decimal("6000.00")
    assert value("amount_paid") == Decimal("6000.00")
    assert value("fte_declared") == Decimal("4.00")  # 2 FTE declared by each filed application
    assert value("fte_created") == Decimal("2.00")
    assert value("investment_leveraged") == Decimal("10000.00")
    assert (value("credits_voted"), value("credits_used")) == (Decimal("40000.00"), Decimal("6000.00"))
    assert value("credits_used_rate") == 15.0
    states = _table(find(sets, "grants.applications_by_state"))
    assert (states["closed"], states["refused"], states["draft"], sum(states.values())) == (1, 1, 1, 3)


def test_employment_share_from_the_entered_total(known):
    sets = year_figures(known.territory, YEAR)
    assert find(sets, "observatory.ess_employment_share").value is None  # nothing entered
    assert find(sets, "observatory.total_employment").origin == ""
    officer = UserFactory(full_name="Claire Dupont")
    EnteredFigureFactory(
        territory=known.territory, year=YEAR, value=1200, entered_by=officer, entered_by_name="Claire Dupont"
    )
    from essaim.observatory.figures import invalidate

    invalidate(known.territory)
    sets = year_figures(known.territory, YEAR)
    total = find(sets, "observatory.total_employment")
    assert total.value == Decimal("1200")
    assert (total.origin, total.entered_by) == (Origin.ENTERED, "Claire Dupont")
    assert total.entered_at is not None
    assert total.entered_source.startswith("INSEE")
    assert find(sets, "observatory.ess_employment_share").value == 3.0  # 36 / 1200


def test_support_and_club_figures_are_read_through_the_same_door(known):
    sets = {s.code: s for s in year_figures(known.territory, YEAR)}
    assert sets["support"].origin == Origin.LIVE
    assert sets["support"].figure("bookings_total").value == 0
    assert len(sets["club"].figures) == 22


def test_live_figures_are_cached_with_their_date(known, django_assert_num_queries):
    first = year_figures(known.territory, YEAR)
    with django_assert_num_queries(1):  # the snapshots; every capability from the cache
        second = year_figures(known.territory, YEAR)
    assert [s.computed_at for s in second] == [s.computed_at for s in first]


def test_available_years(known):
    assert available_years(known.territory) == [YEAR, YEAR - 1]


def test_the_years_to_come_are_not_offered(known, monkeypatch):
    """Sessions or bookings already set next year do not make it a year of the observatory."""
    from django.core.cache import cache

    from essaim.core import indicators

    def future(*, territory, year=None):
        return [{"year": YEAR + 1, "values": {}, "tables": {}}]

    cache.clear()
    fake = indicators.Capability(code="future", name="À venir", definitions=(), compute=future)
    monkeypatch.setitem(indicators._REGISTRY, "future", fake)
    assert available_years(known.territory) == [YEAR, YEAR - 1]
