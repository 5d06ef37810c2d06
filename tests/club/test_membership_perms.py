"""Crossing the lines of the membership's pages: each try answers 404 (never 403, never the page)."""

import pytest
from django.urls import reverse

from essaim.club.enums import ClubRole, MemberStatus
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.club.factories import ClubStaffFactory, MemberFactory, facilitator, member_user
from tests.club.factories_membership import club_with_territory

pytestmark = pytest.mark.django_db


def _pages(club, member):
    return {
        "space": reverse("club:space", args=[club.slug]),
        "charter_accept": reverse("club:charter_accept", args=[club.slug]),
        "profile": reverse("club:profile", args=[club.slug, member.pk]),
        "renew": reverse("club:renew", args=[club.slug, member.pk]),
        "sponsor": reverse("club:sponsor", args=[club.slug]),
        "manage": reverse("club:manage", args=[club.slug]),
        "export": reverse("club:membership_export", args=[club.slug]),
        "candidate": reverse("club:candidate", args=[club.slug, member.pk]),
        "settings": reverse("club:settings", args=[club.slug]),
        "charter_new": reverse("club:charter_new", args=[club.slug]),
    }


@pytest.fixture
def club_and_candidate():
    club, _ = club_with_territory()
    _, member = member_user(club)
    candidate = MemberFactory(club=club, candidate=True, motivation="Secret de la candidature")
    return club, member, candidate


def test_a_person_with_no_tie_to_the_club_reaches_none_of_its_private_pages(client, club_and_candidate):
    club, member, candidate = club_and_candidate
    client.force_login(UserFactory())
    pages = _pages(club, member) | {"candidate": reverse("club:candidate", args=[club.slug, candidate.pk])}
    statuses = {name: client.get(url).status_code for name, url in pages.items()}
    assert statuses == dict.fromkeys(pages, 404)


def test_a_visitor_is_sent_to_the_login_page(client, club_and_candidate):
    club, member, _ = club_and_candidate
    response = client.get(reverse("club:space", args=[club.slug]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_a_member_of_another_club_never_reaches_this_club_s_space_nor_its_member(client, club_and_candidate):
    club, member, _ = club_and_candidate
    other_user, other_member = member_user()
    client.force_login(other_user)
    statuses = {name: client.get(url).status_code for name, url in _pages(club, member).items()}
    assert statuses == dict.fromkeys(statuses, 404)
    # and typing its own member's id under this club's address does not help either
    crossed = reverse("club:profile", args=[club.slug, other_member.pk])
    assert client.get(crossed).status_code == 404


def test_a_member_reaches_its_space_but_not_another_member_nor_the_management(client, club_and_candidate):
    club, member, candidate = club_and_candidate
    user = member.people.get().user
    _, neighbour = member_user(club)
    client.force_login(user)
    assert client.get(reverse("club:space", args=[club.slug])).status_code == 200
    assert client.get(reverse("club:profile", args=[club.slug, member.pk])).status_code == 200
    assert client.get(reverse("club:profile", args=[club.slug, neighbour.pk])).status_code == 404
    assert client.get(reverse("club:renew", args=[club.slug, neighbour.pk])).status_code == 404
    assert client.post(reverse("club:renew", args=[club.slug, neighbour.pk])).status_code == 404
    for name in ("manage", "export", "settings", "charter_new"):
        assert client.get(_pages(club, member)[name]).status_code == 404
    page = client.get(reverse("club:candidate", args=[club.slug, candidate.pk]))
    assert page.status_code == 404
    assert "Secret de la candidature" not in page.content.decode()


def test_a_candidate_sees_where_its_candidacy_stands_but_not_the_members_pages(client):
    club, _ = club_with_territory()
    user, candidate = member_user(club, status=MemberStatus.CANDIDATE)
    client.force_login(user)
    space = client.get(reverse("club:space", args=[club.slug]))
    assert space.status_code == 200
    assert space.context["is_member"] is False
    assert reverse("club:board", args=[club.slug]) not in space.content.decode()
    assert client.get(reverse("club:sponsor", args=[club.slug])).status_code == 404
    assert client.get(reverse("club:charter_accept", args=[club.slug])).status_code == 404


def test_a_facilitator_manages_candidacies_but_is_not_an_admin(client, club_and_candidate):
    club, member, candidate = club_and_candidate
    client.force_login(facilitator(club))
    assert client.get(reverse("club:manage", args=[club.slug])).status_code == 200
    assert client.get(reverse("club:candidate", args=[club.slug, candidate.pk])).status_code == 200
    assert client.get(reverse("club:settings", args=[club.slug])).status_code == 404
    assert client.get(reverse("club:charter_new", args=[club.slug])).status_code == 404
    assert client.post(reverse("club:charter_new", args=[club.slug]), {"text": "x"}).status_code == 404


def test_a_facilitator_of_another_club_reaches_nothing_here(client, club_and_candidate):
    club, member, candidate = club_and_candidate
    other, _ = club_with_territory()
    client.force_login(ClubStaffFactory(club=other, role=ClubRole.ADMIN).user)
    statuses = {name: client.get(url).status_code for name, url in _pages(club, member).items()}
    assert statuses == dict.fromkeys(statuses, 404)


def test_a_candidate_of_another_club_typed_under_this_club_is_not_found(client, club_and_candidate):
    club, _, _ = club_and_candidate
    other, _ = club_with_territory()
    foreign = MemberFactory(club=other, candidate=True)
    client.force_login(facilitator(club))
    assert client.get(reverse("club:candidate", args=[club.slug, foreign.pk])).status_code == 404
    client.post(reverse("club:candidate", args=[club.slug, foreign.pk]), {"action": "approve"})
    foreign.refresh_from_db()
    assert foreign.status == MemberStatus.CANDIDATE


def test_the_territory_s_officer_administers_the_club_and_an_officer_elsewhere_does_not(client, club_and_candidate):
    club, member, _ = club_and_candidate
    client.force_login(MembershipFactory(territory=club.territory).user)
    assert client.get(reverse("club:settings", args=[club.slug])).status_code == 200
    client.force_login(MembershipFactory().user)
    assert client.get(reverse("club:settings", args=[club.slug])).status_code == 404
    assert client.get(reverse("club:create", args=[club.territory.slug])).status_code == 404


def test_a_candidate_or_refused_structure_has_no_profile_nor_renewal_page(client):
    club, _ = club_with_territory()
    user, candidate = member_user(club, status=MemberStatus.CANDIDATE)
    client.force_login(user)
    assert client.get(reverse("club:profile", args=[club.slug, candidate.pk])).status_code == 404
    candidate.status = MemberStatus.REFUSED
    candidate.save()
    assert client.get(reverse("club:renew", args=[club.slug, candidate.pk])).status_code == 404
    assert client.get(reverse("club:space", args=[club.slug])).status_code == 404
