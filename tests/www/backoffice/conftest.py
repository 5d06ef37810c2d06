import html
import re
from types import SimpleNamespace

import pytest
from django.urls import reverse

from tests.accounts.factories import MembershipFactory, UserFactory
from tests.territories.factories import (
    ActionSheetFactory,
    BudgetYearFactory,
    CoFundingFactory,
    ContactFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    KeyFigureFactory,
    PolicyAxisFactory,
    TerritoryFactory,
)


def url(name, territory, *args):
    return reverse(f"backoffice:{name}", args=[territory.slug, *args])


def formset_data(prefix, rows, initial=0):
    """POST data of an inline formset: its management form and one dict per row."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{index}-{key}"] = value
    return data


def make_content(territory):
    """One object of every kind the back office edits, owned by ``territory``."""
    axis = PolicyAxisFactory(territory=territory, number=1)
    sheet = ActionSheetFactory(axis=axis, number=1)
    indicator = IndicatorFactory(sheet=sheet)
    IndicatorValueFactory(indicator=indicator, year=2016)
    budget = BudgetYearFactory(territory=territory, year=2014)
    CoFundingFactory(budget=budget)
    return SimpleNamespace(
        contact=ContactFactory(territory=territory),
        budget=budget,
        key_figure=KeyFigureFactory(territory=territory),
        axis=axis,
        sheet=sheet,
        indicator=indicator,
        membership=MembershipFactory(territory=territory, commission=True),
    )


@pytest.fixture
def territory(db):
    return TerritoryFactory(slug="artois-comm", name="Artois Comm.")


@pytest.fixture
def other_territory(db):
    return TerritoryFactory(slug="ternois", name="Pays du Ternois")


@pytest.fixture
def content(territory):
    return make_content(territory)


@pytest.fixture
def other_content(other_territory):
    return make_content(other_territory)


@pytest.fixture
def officer(territory):
    return MembershipFactory(territory=territory, user__email="officer@artois.example").user


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def admin_user(territory):
    return MembershipFactory(territory=territory, admin=True, user__email="admin@artois.example").user


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def network_admin(db):
    return UserFactory(network_admin=True)


@pytest.fixture
def network_client(client, network_admin):
    client.force_login(network_admin)
    return client


def page_text(response):
    """The response's HTML with entities decoded, to look for French messages with apostrophes in them; the
    non-breaking spaces of French punctuation (before « : », inside guillemets) read as plain spaces (those of
    amounts stay)."""
    return re.sub("\u00a0(?=[:;!?»])|(?<=«)\u00a0", " ", html.unescape(response.content.decode()))
