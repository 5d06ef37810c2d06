"""Yearly ESS budgets and their co-funders, edited together and written together."""

from decimal import Decimal

import pytest

from essaim.territories.models import BudgetYear, CoFunding
from tests.territories.factories import BudgetYearFactory, CoFundingFactory
from tests.www.backoffice.conftest import formset_data, page_text, url


def _budget_data(year="2014", amount="201600", fte="3", rows=(), initial=0):
    data = {"year": year, "amount": amount, "fte": fte, "comment": "", "source": "Annuaire du RTES"}
    data.update(formset_data("cofundings", list(rows), initial=initial))
    return data


@pytest.mark.django_db
def test_officer_adds_a_budget_with_its_cofunders(officer_client, territory):
    """A budget and its co-funders are created from one form; empty co-funder rows are ignored."""
    rows = [
        {"funder": "Région Nord-Pas-de-Calais", "amount": "60460"},
        {"funder": "État (DIRECCTE)", "amount": "15000"},
        {"funder": "", "amount": ""},
    ]
    response = officer_client.post(url("budget_create", territory), _budget_data(rows=rows))
    assert response.status_code == 302
    budget = BudgetYear.objects.get()
    assert (budget.territory, budget.year, budget.amount, budget.fte) == (
        territory,
        2014,
        Decimal("201600"),
        Decimal("3"),
    )
    assert sorted(budget.cofundings.values_list("funder", "amount")) == [
        ("Région Nord-Pas-de-Calais", Decimal("60460")),
        ("État (DIRECCTE)", Decimal("15000")),
    ]


@pytest.mark.django_db
def test_cofunders_above_the_budget_are_refused_and_nothing_is_written(officer_client, territory):
    """The co-funders' total may not exceed the budget: a French error, the typed values kept, no row written."""
    rows = [{"funder": "Région", "amount": "40000"}, {"funder": "Département du Pas-de-Calais", "amount": "20000"}]
    response = officer_client.post(url("budget_create", territory), _budget_data(amount="50000", rows=rows))
    assert response.status_code == 200
    text = page_text(response)
    assert (
        "Le total des co-financements (60\u202f000\u00a0€) dépasse le budget ESS de l'année (50\u202f000\u00a0€)."
        in text
    )
    assert 'value="50000"' in text
    assert 'value="Département du Pas-de-Calais"' in text
    assert not BudgetYear.objects.exists()
    assert not CoFunding.objects.exists()


@pytest.mark.django_db
def test_deleted_cofunders_do_not_count_towards_the_total(officer_client, territory):
    """A co-funder marked for deletion is left out of the total, and deleted."""
    budget = BudgetYearFactory(territory=territory, amount=Decimal("100000"))
    cofunding = CoFundingFactory(budget=budget, funder="Région", amount=Decimal("90000"))
    rows = [
        {"id": str(cofunding.pk), "funder": "Région", "amount": "90000", "DELETE": "on"},
        {"funder": "État", "amount": "20000"},
    ]
    response = officer_client.post(
        url("budget_update", territory, budget.pk), _budget_data(amount="100000", rows=rows, initial=1)
    )
    assert response.status_code == 302
    assert list(budget.cofundings.values_list("funder", "amount")) == [("État", Decimal("20000"))]


@pytest.mark.django_db
def test_a_year_appears_once_per_territory(officer_client, territory, other_territory):
    """A second budget for the same year gets a clear French message (not an error page); nothing is written."""
    BudgetYearFactory(territory=territory, year=2014)
    BudgetYearFactory(territory=other_territory, year=2015)
    response = officer_client.post(url("budget_create", territory), _budget_data(year="2014"))
    assert response.status_code == 200
    assert "Un budget est déjà saisi pour 2014 : modifiez-le plutôt que d'en créer un second." in page_text(response)
    assert BudgetYear.objects.filter(territory=territory).count() == 1
    # The same year in another territory is no conflict.
    response = officer_client.post(url("budget_create", territory), _budget_data(year="2015"))
    assert response.status_code == 302


@pytest.mark.django_db
def test_editing_a_budget_keeps_its_own_year(officer_client, territory):
    """Saving a budget unchanged is not a duplicate of itself; co-funders are updated in place."""
    budget = BudgetYearFactory(territory=territory, year=2014)
    cofunding = CoFundingFactory(budget=budget, funder="Région", amount=Decimal("60460"))
    rows = [{"id": str(cofunding.pk), "funder": "Conseil régional", "amount": "60460"}]
    response = officer_client.post(
        url("budget_update", territory, budget.pk), _budget_data(amount="210000", rows=rows, initial=1)
    )
    assert response.status_code == 302
    budget.refresh_from_db()
    cofunding.refresh_from_db()
    assert (budget.amount, cofunding.funder) == (Decimal("210000"), "Conseil régional")


@pytest.mark.django_db
def test_negative_amount_is_refused_in_french(officer_client, territory):
    """A negative budget is refused by the form with a readable message."""
    response = officer_client.post(url("budget_create", territory), _budget_data(amount="-5"))
    assert response.status_code == 200
    assert "Assurez-vous que cette valeur est supérieure ou égale à 0." in page_text(response)
    assert not BudgetYear.objects.exists()


@pytest.mark.django_db
def test_budget_form_shows_cofunders_in_a_fieldset(officer_client, territory):
    """The co-funders are grouped in a fieldset with a legend, one sub-fieldset per row."""
    budget = BudgetYearFactory(territory=territory)
    CoFundingFactory(budget=budget)
    text = page_text(officer_client.get(url("budget_update", territory, budget.pk)))
    assert "<legend>Co-financements</legend>" in text
    assert "<legend>Co-financeur 1</legend>" in text


@pytest.mark.django_db
def test_budget_list_shows_cofunders_and_own_funding(officer_client, territory):
    """The list shows each year's budget, its co-funders and what the territory funds itself."""
    budget = BudgetYearFactory(territory=territory, year=2014, amount=Decimal("201600"))
    CoFundingFactory(budget=budget, funder="Région", amount=Decimal("60460"))
    text = page_text(officer_client.get(url("budgets", territory)))
    assert "201\u202f600\u00a0€" in text
    assert "Région : 60\u202f460\u00a0€" in text
    assert "141\u202f140\u00a0€" in text


@pytest.mark.django_db
def test_budget_deletion_removes_its_cofunders(officer_client, territory):
    """Deleting a budget (POST after confirmation) deletes its co-funders with it."""
    budget = BudgetYearFactory(territory=territory)
    CoFundingFactory(budget=budget)
    assert "Ses co-financements seront supprimés avec lui." in page_text(
        officer_client.get(url("budget_delete", territory, budget.pk))
    )
    response = officer_client.post(url("budget_delete", territory, budget.pk))
    assert response.status_code == 302
    assert not BudgetYear.objects.exists()
    assert not CoFunding.objects.exists()


@pytest.mark.django_db
def test_network_admin_edits_any_territorys_budget(network_client, territory):
    """The network admin may correct a budget of any member territory."""
    budget = BudgetYearFactory(territory=territory, year=2014)
    response = network_client.post(url("budget_update", territory, budget.pk), _budget_data(amount="1000"))
    assert response.status_code == 302
    budget.refresh_from_db()
    assert budget.amount == Decimal("1000")


@pytest.mark.django_db
def test_foreign_budget_cannot_be_edited_through_own_territory(officer_client, territory, other_territory):
    """Another territory's budget id under one's own territory gives 404 and the budget is untouched."""
    budget = BudgetYearFactory(territory=other_territory, amount=Decimal("5"))
    response = officer_client.post(url("budget_update", territory, budget.pk), _budget_data(amount="1000"))
    assert response.status_code == 404
    budget.refresh_from_db()
    assert budget.amount == Decimal("5")
