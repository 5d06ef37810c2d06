import datetime
from decimal import Decimal

import pytest

from essaim.territories.enums import PerimeterConfidence
from essaim.territories.models import ActionSheet, IndicatorValue, Territory


def test_artois_comm_is_the_rtes_entry_of_august_2014(demo):
    """Seed 002, faithfully: contacts, address, 235,000 inhabitants in 65 communes, 2014 budget, 2 axes, 16 fiches."""
    artois = demo["artois"]
    assert artois.siren is None  # not known with certainty: left empty rather than guessed
    assert (artois.address, artois.postcode, artois.city) == (
        "119 rue du Conseil de l'Europe",
        "62700",
        "Bruay-la-Buissière",
    )
    assert artois.declared_population == 235000
    assert artois.communes_count == 65
    assert artois.perimeter.filter(confidence=PerimeterConfidence.INFERRED).count() == 7
    elected = artois.contacts.get(kind="elected")
    assert elected.full_name == "Gérard Delahaye"
    assert "Vice-Président" in elected.title
    staff = artois.contacts.get(kind="staff")
    assert (staff.full_name, staff.function) == ("Valérie Morel", "Directrice création d'activités et emploi")
    budget = artois.budgets.get(year=2014)
    assert (budget.amount, budget.fte) == (Decimal("201600"), Decimal("3"))
    cofunding = budget.cofundings.get()
    assert (cofunding.funder, cofunding.amount) == ("Conseil régional Nord-Pas de Calais", Decimal("60460"))
    assert budget.own_funding == Decimal("141140")
    assert list(artois.axes.values_list("number", flat=True)) == [1, 2]
    assert list(artois.sheets.values_list("number", flat=True)) == list(range(1, 17))
    assert artois.sheets.filter(axis__number=1).count() == 8
    fiche10 = ActionSheet.objects.get(territory=artois, number=10)
    assert "2 000 € par ETP" in fiche10.summary
    assert len(fiche10.objectives) == 2
    assert all(sheet.objectives for sheet in artois.sheets.all())


def test_artois_comm_is_succeeded_by_the_cabbalr_in_2017(demo):
    artois, cabbalr = demo["artois"], demo["cabbalr"]
    assert artois.is_historical
    assert artois.successor == cabbalr
    assert cabbalr.siren == "200072460"
    assert cabbalr.communes_count == 100
    assert cabbalr.valid_from.year == 2017
    assert set(artois.communes.values_list("pk", flat=True)) <= set(cabbalr.communes.values_list("pk", flat=True))


def test_pays_du_ternois_as_seed_003_describes_it(demo):
    ternois = demo["ternois"]
    assert ternois.siren == "200069672"
    assert ternois.declared_population == 38500
    assert ternois.communes_count == 103
    assert "Plan local de développement économique" in ternois.policy_summary
    assert ternois.key_figures.get().value == Decimal("120")
    assert ternois.departement_id == "62"
    assert ternois.region.name == "Hauts-de-France"


def test_demo_is_idempotent(demo):
    """Loading the demo twice keeps one copy of everything."""
    from essaim.territories.demo import load_demo_territories

    load_demo_territories()
    assert Territory.objects.count() == 3
    assert demo["artois"].sheets.count() == 16
    assert demo["artois"].contacts.count() == 2


def snapshot():
    """Every row of the territories' tables with every value, ``updated_at`` included: any write shows."""
    from essaim.territories import models

    tables = (
        models.Territory,
        models.TerritoryCommune,
        models.Contact,
        models.BudgetYear,
        models.CoFunding,
        models.PolicyAxis,
        models.ActionSheet,
        models.Indicator,
        models.IndicatorValue,
        models.KeyFigure,
        models.PolicyInheritance,
    )
    return {m.__name__: list(m.objects.order_by("pk").values()) for m in tables}


@pytest.mark.django_db
def test_demo_loaded_again_on_another_day_writes_nothing(geo_62):
    """Run on 2 March then again on 30 November of the same year: not one row written the second time."""
    from essaim.territories.demo import load_demo_territories

    load_demo_territories(today=datetime.date(2030, 3, 2))
    before = snapshot()
    load_demo_territories(today=datetime.date(2030, 11, 30))
    assert snapshot() == before


@pytest.mark.django_db
def test_demo_in_a_new_year_only_adds_that_year(geo_62):
    """A year's figures depend on the year, not on the day: a new year adds its own rows and changes no other."""
    from essaim.territories.demo import load_demo_territories

    territories = load_demo_territories(today=datetime.date(2030, 6, 1))
    before = snapshot()
    load_demo_territories(today=datetime.date(2031, 1, 5))
    after = snapshot()
    cabbalr = territories["cabbalr"]
    assert list(cabbalr.budgets.order_by("year").values_list("year", flat=True)) == [2027, 2028, 2029, 2030, 2031]
    assert before.keys() == after.keys() and len(before["IndicatorValue"]) > 0
    for table, rows in before.items():
        assert [row for row in after[table] if row["id"] in {r["id"] for r in rows}] == rows, table
    new_values = {row["year"] for row in after["IndicatorValue"] if row not in before["IndicatorValue"]}
    assert new_values == {2030}


def test_cabbalr_takes_over_artois_comm_and_looks_alive_today(demo):
    """The default territory: Artois Comm.'s 16 fiches taken over (and logged once), four fictitious contacts of its
    ESS unit, budgets of the last four years with co-funding, the evaluation of fiche 1 for recent years."""
    from django.utils import timezone

    cabbalr, artois = demo["cabbalr"], demo["artois"]
    year = timezone.localdate().year
    assert cabbalr.sheets.filter(inherited_from=artois).count() == 16
    assert cabbalr.axes.filter(inherited_from=artois).count() == 2
    log = cabbalr.policy_inheritances.get()
    assert (log.predecessor, log.sheets_count, log.by_name) == (artois, 16, "le chargement de la démonstration")
    contacts = list(cabbalr.contacts.all())
    assert len(contacts) == 4 and all(c.is_fictitious for c in contacts)
    assert all(c.phone.startswith("03 53 01") for c in contacts)  # the ARCEP's range for fiction
    budgets = list(cabbalr.budgets.order_by("year"))
    assert [b.year for b in budgets] == [year - 3, year - 2, year - 1, year]
    assert all(b.is_fictitious and b.cofundings.exists() and b.amount > b.cofunded_total for b in budgets)
    fiche1 = cabbalr.sheets.get(number=1)
    recent = IndicatorValue.objects.filter(indicator__sheet=fiche1, year__gte=year - 4)
    assert recent.count() == 16 and not recent.filter(is_fictitious=False).exists()
    # Artois Comm. stays the faithful 2014 archive.
    assert not artois.contacts.filter(is_fictitious=True).exists() and list(
        artois.budgets.values_list("year", flat=True)
    ) == [2014]
    assert not IndicatorValue.objects.filter(indicator__sheet__territory=artois, is_fictitious=True).exists()


@pytest.mark.django_db
def test_demo_command_prints_the_accounts_of_every_role(geo_62, monkeypatch):
    from io import StringIO

    from django.core.management import call_command

    monkeypatch.setattr("essaim.core.management.commands.demo.call_command", lambda *a, **k: None)
    out = StringIO()
    call_command("demo", stdout=out)
    text = out.getvalue()
    for email in (
        "reseau@essaim.example",
        "admin@bethune-bruay.example",
        "agent@bethune-bruay.example",
        "commission@bethune-bruay.example",
    ):
        assert email in text
    assert "demo-essaim-2026" in text
    assert "reprend la politique d'Artois Comm. (16 fiches reprises)" in text
    assert "ligne 189 rejetée : commune inconnue « 62140 MARCONNE » : Marconne a fusionné avec Hesdin" in text
    assert "0 générée" in text
