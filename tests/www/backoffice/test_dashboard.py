"""The back-office dashboard, a territory's management home, and adding a member territory from an EPCI."""

import pytest
from django.urls import reverse

from essaim.territories.enums import EpciKind, PerimeterConfidence, TerritoryKind
from essaim.territories.models import Territory
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.territories.factories import (
    CommuneFactory,
    ContactFactory,
    EpciFactory,
    IndicatorFactory,
    TerritoryFactory,
)
from tests.www.backoffice.conftest import page_text, url

DASHBOARD = reverse("backoffice:dashboard")


@pytest.mark.django_db
def test_dashboard_lists_each_role_with_the_pages_it_may_use(client, territory, other_territory):
    """An officer gets the management links of their territory; as a commission member elsewhere, read-only, with
    no management link there."""
    user = MembershipFactory(territory=territory).user
    MembershipFactory(user=user, territory=other_territory, commission=True)
    client.force_login(user)
    text = page_text(client.get(DASHBOARD))
    assert f'href="{url("territory", territory)}"' in text
    assert f'href="{url("territory", other_territory)}"' not in text
    assert "Pays du Ternois" in text
    assert "lecture seule" in text
    assert "membre de la commission" in text
    assert "Ajouter un territoire membre" not in text


@pytest.mark.django_db
def test_commission_member_sees_their_territory_read_only(client, territory):
    """A commission member has no edit link, only the read-only mention and the public page."""
    client.force_login(MembershipFactory(territory=territory, commission=True).user)
    text = page_text(client.get(DASHBOARD))
    assert "Artois Comm." in text
    assert "lecture seule" in text
    assert "/gestion/artois-comm/" not in text
    assert "Chiffres de l'annuaire" not in text


@pytest.mark.django_db
def test_elected_member_sees_the_dashboards_they_read_and_nothing_to_edit(client, territory):
    client.force_login(MembershipFactory(territory=territory, elected=True).user)
    text = page_text(client.get(DASHBOARD))
    assert "élu·e" in text and "lecture seule" in text
    assert f'href="{url("figures", territory)}"' in text
    assert "/gestion/artois-comm/identite/" not in text and f'href="{url("territory", territory)}"' not in text


@pytest.mark.django_db
def test_someone_without_a_role_learns_how_to_get_one(client):
    client.force_login(UserFactory())
    text = page_text(client.get(DASHBOARD))
    assert "Vous n'avez de rôle dans aucun territoire" in text


@pytest.mark.django_db
def test_dashboard_query_count_does_not_grow_with_territories(client, django_assert_num_queries):
    """Session, user, memberships, grants roles, sittings, the territories' clubs: 6 queries whatever the number of
    territories."""
    user = UserFactory()
    for _ in range(3):
        MembershipFactory(user=user)
    MembershipFactory(user=user, commission=True)
    MembershipFactory(user=user, commission=True)
    client.force_login(user)
    with django_assert_num_queries(6):
        response = client.get(DASHBOARD)
    assert response.status_code == 200
    assert len(response.context["rows"]) == 5


@pytest.mark.django_db
def test_network_admin_dashboard_query_count(network_client, django_assert_num_queries):
    """The network admin's dashboard lists every territory, in 4 queries."""
    TerritoryFactory.create_batch(5)
    with django_assert_num_queries(4):
        response = network_client.get(DASHBOARD)
    assert len(response.context["territories"]) == 5
    text = page_text(response)
    assert "Ajouter un territoire membre" in text
    # The network's own pages are reachable from here, not only from "Mon espace".
    assert f'href="{reverse("backoffice:jobs")}"' in text
    assert f'href="{reverse("directory:queue")}"' in text
    assert f'href="{DASHBOARD}"' not in text.split("Pages du réseau", 1)[1].split("</section>", 1)[0]


@pytest.mark.django_db
def test_network_admin_adds_a_territory_from_an_epci(network_client, network_admin):
    """Official name, SIREN, kind and the perimeter come from the EPCI; the slug and usual name are typed."""
    epci = EpciFactory(name="CC des Campagnes de l'Artois", kind=EpciKind.CC)
    communes = CommuneFactory.create_batch(3, epci=epci, population=2000)
    CommuneFactory(population=99)  # a commune of another EPCI
    response = network_client.post(
        DASHBOARD, {"siren": f"{epci.siren[:3]} {epci.siren[3:]}", "slug": "campagnes-artois", "name": "Campagnes"}
    )
    assert response.status_code == 302
    territory = Territory.objects.get(slug="campagnes-artois")
    assert response["Location"] == url("territory", territory)
    assert (territory.name, territory.official_name, territory.siren, territory.kind, territory.epci) == (
        "Campagnes",
        "CC des Campagnes de l'Artois",
        epci.siren,
        TerritoryKind.CC,
        epci,
    )
    assert set(territory.communes.all()) == set(communes)
    assert set(territory.perimeter.values_list("confidence", flat=True)) == {PerimeterConfidence.OFFICIAL}
    assert (territory.communes_count, territory.population) == (3, 6000)


@pytest.mark.django_db
def test_metropole_de_lyon_becomes_a_metropole(network_client):
    """The EPCI kinds map onto territory kinds: the Métropole de Lyon is a métropole."""
    epci = EpciFactory(kind=EpciKind.MET69)
    network_client.post(DASHBOARD, {"siren": epci.siren, "slug": "lyon", "name": "Lyon"})
    assert Territory.objects.get(slug="lyon").kind == TerritoryKind.METRO


@pytest.mark.django_db
def test_unknown_siren_taken_siren_and_taken_slug_are_refused(network_client, territory):
    """An EPCI must exist in the official geography, not be a territory yet, and the slug must be free."""
    response = network_client.post(DASHBOARD, {"siren": "130025265", "slug": "nouveau", "name": "Nouveau"})
    assert response.status_code == 200
    text = page_text(response)
    assert "Aucun EPCI de la géographie officielle n'a ce SIREN." in text
    assert 'value="nouveau"' in text
    epci = EpciFactory(siren=territory.siren)
    response = network_client.post(DASHBOARD, {"siren": epci.siren, "slug": "artois-comm", "name": "Doublon"})
    text = page_text(response)
    assert "Ce SIREN est déjà celui du territoire « Artois Comm. »." in text
    assert "Cet identifiant est déjà pris par un autre territoire." in text
    assert Territory.objects.count() == 1


@pytest.mark.django_db
def test_only_the_network_admin_adds_territories(client, territory):
    """A territory admin cannot add a territory: no form, and a POST is refused with nothing written."""
    client.force_login(MembershipFactory(territory=territory, admin=True).user)
    epci = EpciFactory()
    assert "Ajouter un territoire membre" not in page_text(client.get(DASHBOARD))
    response = client.post(DASHBOARD, {"siren": epci.siren, "slug": "nouveau", "name": "Nouveau"})
    assert response.status_code == 403
    assert not Territory.objects.filter(slug="nouveau").exists()


@pytest.mark.django_db
def test_territory_home_links_every_section_with_counts(officer_client, territory):
    """The management home links every section and says how much each holds; the team is for admins only."""
    ContactFactory.create_batch(2, territory=territory)
    IndicatorFactory.create_batch(3, sheet__axis__territory=territory)
    text = page_text(officer_client.get(url("territory", territory)))
    for name in ["identity", "perimeter", "contacts", "budgets", "policy", "key_figures"]:
        assert f'href="{url(name, territory)}"' in text
    assert "2 contacts" in text
    assert "3 axes," in text
    assert "3 fiches action," in text
    assert "3 indicateurs" in text
    assert url("staff", territory) not in text


@pytest.mark.django_db
def test_territory_home_shows_the_team_to_its_admin(admin_client, territory):
    """The territory admin also gets the team section."""
    text = page_text(admin_client.get(url("territory", territory)))
    assert f'href="{url("staff", territory)}"' in text
    assert "1 personne" in text
