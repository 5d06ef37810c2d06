"""A successor takes over its predecessor's policy: axes, fiches, indicators and their history, marked as inherited."""

from decimal import Decimal

import pytest

from essaim.territories.models import ActionSheet, Indicator, IndicatorValue, PolicyAxis, PolicyInheritance
from essaim.territories.services import territory_inherit_policy
from tests.accounts.factories import UserFactory
from tests.territories.factories import (
    ActionSheetFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    PolicyAxisFactory,
    TerritoryFactory,
)


@pytest.fixture
def pair(db):
    """A successor and its predecessor with 2 axes, 3 fiches, 2 indicators and 3 yearly values."""
    successor = TerritoryFactory(name="Béthune-Bruay")
    predecessor = TerritoryFactory(name="Artois Comm.", historical=True, successor=successor)
    axis1 = PolicyAxisFactory(territory=predecessor, number=1, title="Culture commune")
    axis2 = PolicyAxisFactory(territory=predecessor, number=2, title="Modèle pluriel")
    sheet1 = ActionSheetFactory(axis=axis1, number=1, title="Comité local d'animation")
    ActionSheetFactory(axis=axis1, number=6, title="Le portail ESS")
    sheet10 = ActionSheetFactory(axis=axis2, number=10, title="Entreprendre Autrement")
    club = IndicatorFactory(sheet=sheet1, name="Membres du club")
    IndicatorValueFactory(indicator=club, year=2015, value=Decimal("12"), source="Article")
    IndicatorValueFactory(indicator=club, year=2016, value=Decimal("18"), source="")
    grants = IndicatorFactory(sheet=sheet10, name="Projets aidés")
    IndicatorValueFactory(indicator=grants, year=2014, value=Decimal("3"))
    return successor, predecessor


def test_copies_axes_sheets_indicators_and_their_history_marked_as_inherited(pair):
    successor, predecessor = pair
    admin = UserFactory(full_name="Sophie Lemaire")
    report = territory_inherit_policy(territory=successor, predecessor=predecessor, by=admin)

    assert (report.axes, report.sheets, report.indicators, report.values) == (2, 3, 2, 3)
    assert list(successor.sheets.values_list("number", flat=True)) == [1, 6, 10]
    sheet = successor.sheets.get(number=1)
    assert sheet.inherited_from == predecessor and sheet.origin.territory == predecessor
    assert sheet.axis.territory == successor and sheet.axis.inherited_label == "repris d'Artois Comm."
    assert sheet.inherited_label == "reprise d'Artois Comm."
    club = sheet.indicators.get()
    assert club.inherited_label == "repris d'Artois Comm."
    values = list(club.values.values_list("year", "value", "source", "inherited_from"))
    assert values == [
        (2015, Decimal("12"), "Article", predecessor.pk),
        (2016, Decimal("18"), "Évaluation d'Artois Comm.", predecessor.pk),
    ]
    # The predecessor keeps its own policy untouched: it is the archive.
    assert predecessor.sheets.count() == 3 and not predecessor.sheets.filter(inherited_from__isnull=False).exists()
    log = PolicyInheritance.objects.get()
    assert (log.territory, log.predecessor, log.by, log.by_name) == (successor, predecessor, admin, "Sophie Lemaire")
    assert (log.axes_count, log.sheets_count, log.indicators_count, log.values_count) == (2, 3, 2, 3)
    assert "Fiche 10 « Entreprendre Autrement » reprise." in log.lines
    assert report.summary() == "2 axes, 3 fiches action, 2 indicateurs et 3 valeurs annuelles"


def test_taking_over_twice_copies_nothing_and_logs_nothing(pair):
    successor, predecessor = pair
    territory_inherit_policy(territory=successor, predecessor=predecessor)
    models = (PolicyAxis, ActionSheet, Indicator, IndicatorValue, PolicyInheritance)
    counts = [m.objects.count() for m in models]
    again = territory_inherit_policy(territory=successor, predecessor=predecessor)
    assert again.copied == 0 and again.log is None
    assert [m.objects.count() for m in models] == counts


def test_successors_edits_and_numbers_are_kept(pair):
    """The successor's own fiche 6 stays; the inherited fiche 6 takes the next free number. An edited copy keeps its
    edits, a value the successor measured itself is kept, and a value added to the archive later is taken over."""
    successor, predecessor = pair
    own_axis = PolicyAxisFactory(territory=successor, number=1, title="Axe propre")
    ActionSheetFactory(axis=own_axis, number=6, title="Notre portail")
    first = territory_inherit_policy(territory=successor, predecessor=predecessor)
    assert "Axe 1 « Culture commune » repris sous le n° 2 (le n° 1 est déjà pris)." in first.lines
    assert any("Fiche 6 « Le portail ESS » reprise sous le n° 7" in line for line in first.lines)
    assert successor.sheets.get(number=6).title == "Notre portail"

    copy = successor.sheets.get(origin__number=1)
    copy.title = "Comité local, version 2017"
    copy.save()
    club = copy.indicators.get()
    IndicatorValue.objects.filter(indicator=club, year=2016).delete()
    IndicatorValueFactory(indicator=club, year=2016, value=Decimal("20"))
    archive = Indicator.objects.get(sheet__territory=predecessor, name="Membres du club")
    IndicatorValueFactory(indicator=archive, year=2014)

    second = territory_inherit_policy(territory=successor, predecessor=predecessor, by=None)
    assert (second.sheets, second.values) == (0, 1)
    assert successor.sheets.get(pk=copy.pk).title == "Comité local, version 2017"
    assert club.values.get(year=2016).value == Decimal("20")
    assert club.values.get(year=2014).inherited_from == predecessor
    assert any("la valeur 2016 déjà saisie est conservée" in line for line in second.lines)
    assert second.log.by_name == "le chargement de la démonstration"


def test_dry_run_plans_without_writing(pair):
    successor, predecessor = pair
    plan = territory_inherit_policy(territory=successor, predecessor=predecessor, dry_run=True)
    assert (plan.axes, plan.sheets, plan.indicators, plan.values) == (2, 3, 2, 3)
    assert not successor.sheets.exists() and not PolicyInheritance.objects.exists()


def test_only_a_predecessor_can_be_taken_over(pair):
    successor, predecessor = pair
    stranger = TerritoryFactory()
    with pytest.raises(ValueError, match="n'a pas pour successeur"):
        territory_inherit_policy(territory=stranger, predecessor=predecessor)
    with pytest.raises(ValueError):
        territory_inherit_policy(territory=predecessor, predecessor=successor)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Artois Comm.", "d'Artois Comm."),
        ("Béthune-Bruay, Artois-Lys Romane", "de Béthune-Bruay, Artois-Lys Romane"),
        ("Pays du Ternois", "du Pays du Ternois"),
        ("Le Grand Sud", "du Grand Sud"),
        ("Hénin-Carvin", "d'Hénin-Carvin"),
        ("Communauté urbaine d'Arras", "de la Communauté urbaine d'Arras"),
    ],
)
def test_of_name_elides_and_contracts(name, expected):
    from essaim.territories.models import of_name

    assert of_name(name) == expected
