"""The élu·e role: given by the territory's admin, reads the territory's dashboards (the directory's figures here),
edits nothing, and never reads personal data."""

import pytest
from django.urls import reverse

from essaim.accounts.enums import Role
from essaim.accounts.models import Membership
from essaim.directory.enums import Family, Status
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.directory.factories import StructureFactory, StructureLabelFactory
from tests.territories.factories import CommuneFactory
from tests.www.backoffice.conftest import page_text, url


@pytest.fixture
def figures_territory(territory):
    from essaim.territories.services import territory_set_perimeter

    bethune = CommuneFactory(name="Béthune")
    beuvry = CommuneFactory(name="Beuvry")
    territory_set_perimeter(territory=territory, entries=[(c.insee_code, "official", "") for c in (bethune, beuvry)])
    for _ in range(3):
        StructureFactory(commune=bethune, family=Family.ASSOCIATION, status=Status.PUBLISHED, is_employer=True)
    scop = StructureFactory(commune=beuvry, family=Family.COOPERATIVE, status=Status.PUBLISHED, email="x@y.example")
    StructureLabelFactory(structure=scop, label="SCOP")
    StructureFactory(commune=beuvry, family=Family.ASSOCIATION, status=Status.PENDING)  # not published
    StructureFactory(family=Family.ASSOCIATION, status=Status.PUBLISHED)  # elsewhere
    return territory


@pytest.mark.django_db
def test_admin_gives_the_elected_role_from_the_staff_page(client, territory):
    admin = MembershipFactory(territory=territory, admin=True).user
    elected = UserFactory(email="vp-ess@territoire.example")
    client.force_login(admin)
    page = page_text(client.get(url("staff", territory)))
    assert '<option value="elected">élu·e</option>' in page
    assert "lit les tableaux de bord" in page  # what each role may do is said on the page
    response = client.post(url("staff", territory), {"email": "vp-ess@territoire.example", "role": Role.ELECTED})
    assert response.status_code == 302
    assert Membership.objects.get(user=elected, territory=territory).role == Role.ELECTED


@pytest.mark.django_db
def test_an_officer_cannot_give_roles(client, territory):
    client.force_login(MembershipFactory(territory=territory).user)
    response = client.post(url("staff", territory), {"email": UserFactory().email, "role": Role.ELECTED})
    assert response.status_code == 403


@pytest.mark.django_db
def test_elected_member_reads_the_directory_figures_of_their_territory(client, figures_territory):
    client.force_login(MembershipFactory(territory=figures_territory, elected=True).user)
    response = client.get(url("figures", figures_territory))
    text = page_text(response)
    assert response.status_code == 200
    assert "4 structures de l'ESS publiées" in text and "dont 3 employeuses" in text
    assert "association" in text and "société coopérative et participative (SCOP)" in text
    assert "Béthune" in text and "75,0" in text
    assert "x@y.example" not in text  # aggregates only, never a contact


@pytest.mark.django_db
def test_figures_query_count_is_pinned(client, figures_territory, django_assert_num_queries):
    user = MembershipFactory(territory=figures_territory, elected=True).user
    client.force_login(user)
    with django_assert_num_queries(11):
        assert client.get(url("figures", figures_territory)).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.COMMISSION])
def test_figures_are_refused_to_those_without_dashboards(client, figures_territory, other_territory, role):
    client.force_login(MembershipFactory(territory=figures_territory, role=role).user)
    assert client.get(url("figures", figures_territory)).status_code == 403
    client.force_login(MembershipFactory(territory=other_territory, elected=True).user)
    assert client.get(url("figures", figures_territory)).status_code == 403
    client.force_login(UserFactory())
    assert client.get(url("figures", figures_territory)).status_code == 403


@pytest.mark.django_db
def test_elected_member_edits_nothing(client, territory):
    client.force_login(MembershipFactory(territory=territory, elected=True).user)
    for name in ["territory", "identity", "contacts", "budgets", "policy", "key_figures", "staff", "perimeter"]:
        assert client.get(url(name, territory)).status_code == 403, name
    assert client.get(reverse("agenda:event_create", args=[territory.slug])).status_code == 403
    assert client.get(reverse("grants:queue")).status_code == 403
