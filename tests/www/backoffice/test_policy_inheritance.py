"""The territory admin takes over the predecessor's policy from the back office: a confirmation page that says what
will be copied, then a log of what was."""

import pytest
from django.urls import reverse

from essaim.territories.models import ActionSheet, PolicyInheritance
from tests.accounts.factories import MembershipFactory
from tests.territories.factories import ActionSheetFactory, IndicatorFactory, IndicatorValueFactory, TerritoryFactory
from tests.www.backoffice.conftest import page_text as raw_text


def page_text(response):
    """The page's text with the French typography's non-breaking spaces read as spaces."""
    return " ".join(raw_text(response).replace("\u00a0", " ").replace("\u202f", " ").split())


@pytest.fixture
def successor(db):
    return TerritoryFactory(slug="bethune-bruay", name="Béthune-Bruay")


@pytest.fixture
def predecessor(successor):
    artois = TerritoryFactory(slug="artois-comm", name="Artois Comm.", historical=True, successor=successor)
    sheet = ActionSheetFactory(axis__territory=artois, axis__number=1, number=1, title="Comité local d'animation")
    IndicatorValueFactory(indicator=IndicatorFactory(sheet=sheet, name="Membres du club"), year=2016)
    ActionSheetFactory(axis=sheet.axis, number=2, title="Services à la personne")
    return artois


def inherit_url(successor, predecessor):
    return reverse("backoffice:policy_inherit", args=[successor.slug, predecessor.slug])


def login(client, territory, **role):
    user = MembershipFactory(territory=territory, **role).user
    client.force_login(user)
    return user


def test_admin_sees_the_plan_then_takes_over_and_reads_the_log(client, successor, predecessor):
    admin = login(client, successor, admin=True)
    policy = page_text(client.get(reverse("backoffice:policy", args=[successor.slug])))
    assert "Reprendre la politique : Artois Comm." in policy

    confirm = page_text(client.get(inherit_url(successor, predecessor)))
    assert "Reprendre la politique d'Artois Comm." in confirm
    assert "1 axe, 2 fiches action, 1 indicateur et 1 valeur annuelle." in confirm
    assert "Fiche 2 « Services à la personne » reprise." in confirm
    assert not successor.sheets.exists()  # the confirmation page writes nothing

    response = client.post(inherit_url(successor, predecessor))
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:policy", args=[successor.slug]) + "#reprises"
    assert successor.sheets.count() == 2
    log = PolicyInheritance.objects.get()
    assert log.by == admin
    page = page_text(client.get(response["Location"]))
    assert (
        "Politique d'Artois Comm. reprise : 1 axe, 2 fiches action, 1 indicateur et 1 valeur annuelle copiés." in page
    )
    assert "Journal des reprises" in page and "2 fiches copiées" in page
    assert "reprise d'Artois Comm." in page

    again = page_text(client.get(inherit_url(successor, predecessor)))
    assert "Rien de nouveau à reprendre" in again and "Reprendre la politique</button>" not in again
    client.post(inherit_url(successor, predecessor))
    assert PolicyInheritance.objects.count() == 1 and ActionSheet.objects.filter(territory=successor).count() == 2


def test_an_officer_reads_the_policy_but_cannot_take_it_over(client, successor, predecessor):
    login(client, successor)
    policy = page_text(client.get(reverse("backoffice:policy", args=[successor.slug])))
    assert "Seule l'administration du territoire peut reprendre une politique." in policy
    assert inherit_url(successor, predecessor) not in policy
    assert client.get(inherit_url(successor, predecessor)).status_code == 403
    assert client.post(inherit_url(successor, predecessor)).status_code == 403
    assert not successor.sheets.exists()


def test_another_territorys_admin_and_a_non_predecessor_are_refused(client, successor, predecessor):
    other = TerritoryFactory(slug="ternois")
    login(client, other, admin=True)
    assert client.post(inherit_url(successor, predecessor)).status_code == 403
    # The admin of the Ternois cannot take over Artois Comm., which is not its predecessor: 404.
    assert client.post(inherit_url(other, predecessor)).status_code == 404
    assert not ActionSheet.objects.filter(territory__in=[successor, other]).exists()


def test_anonymous_is_sent_to_login(client, successor, predecessor):
    response = client.post(inherit_url(successor, predecessor))
    assert response.status_code == 302 and "/compte/connexion/" in response["Location"]
    assert not successor.sheets.exists()
