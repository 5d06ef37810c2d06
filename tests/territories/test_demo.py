from decimal import Decimal

import pytest

from essaim.territories.enums import PerimeterConfidence
from essaim.territories.models import ActionSheet, Territory


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
