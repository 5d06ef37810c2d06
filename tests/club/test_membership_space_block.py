"""« Mon club » in Mon espace, the club's data in the RGPD export, and the team's links to the club."""

import pytest
from django.urls import reverse

from essaim.club.enums import MemberStatus
from essaim.www.accounts.space import export_for
from essaim.www.backoffice.links import territory_links
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.club.factories import ClubFactory, facilitator, member_user
from tests.club.factories_membership import claimant, club_with_territory

pytestmark = pytest.mark.django_db


def test_mon_espace_shows_the_person_s_clubs_and_nothing_to_others(client):
    club, _ = club_with_territory()
    user, member = member_user(club)
    client.force_login(user)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "Mon club" in page
    assert reverse("club:space", args=[club.slug]) in page
    client.force_login(UserFactory())
    assert reverse("club:space", args=[club.slug]) not in client.get(reverse("accounts:profile")).content.decode()


def test_a_facilitator_finds_the_management_link_in_mon_espace(client):
    club, _ = club_with_territory()
    client.force_login(facilitator(club))
    page = client.get(reverse("accounts:profile")).content.decode()
    assert reverse("club:manage", args=[club.slug]) in page


def test_the_rgpd_export_holds_the_person_s_club_data():
    from essaim.club.services.membership import member_apply

    club, commune = club_with_territory()
    user, structure = claimant(commune)
    member_apply(club=club, structure=structure, user=user, motivation="Coopérer.", accept_charter=True)
    data = export_for(user)["mon-club"]
    assert [row["structure"] for row in data["people"]] == [structure.name]
    assert [row["motivation"] for row in data["applications"]] == ["Coopérer."]
    assert [row["version"] for row in data["charter_acceptances"]] == [1]
    assert data["roles"] == []
    assert data["people"][0]["status"] == MemberStatus.CANDIDATE.label


def test_the_team_s_links_lead_to_the_club_or_to_creating_one(client):
    officer = MembershipFactory()
    territory = officer.territory
    labels = {link.label: link.url for link in territory_links(officer.user, territory)}
    assert labels["Club\u00a0: créer le club"] == reverse("club:create", args=[territory.slug])
    club = ClubFactory(territory=territory)
    officer.user._essaim_roles = None
    del officer.user._team_clubs  # the clubs are read once per request
    links = [link for link in territory_links(officer.user, territory) if link.label.startswith("Club")]
    assert [link.url for link in links] == [reverse("club:manage", args=[club.slug])]
    client.force_login(officer.user)
    assert client.get(links[0].url).status_code == 200
