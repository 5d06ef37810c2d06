"""GET /api/v1/club/members: what members agreed to show, never more."""

import pytest

from essaim.club.enums import ListingKind, MemberStatus
from tests.club.factories import ListingFactory, MemberFactory, MemberPersonFactory, SkillFactory
from tests.club.factories_membership import club_with_territory

pytestmark = pytest.mark.django_db

URL = "/api/v1/club/members"


def test_the_members_who_appear_with_their_skills_and_public_listings(client):
    club, _ = club_with_territory()
    shown = MemberFactory(club=club, structure__name="Atelier", offer_summary="Salle", founder=True)
    shown.skills.add(SkillFactory(name="Graphisme", slug="graphisme"))
    MemberPersonFactory(member=shown, user__email="secret.person@asso.example")
    public = ListingFactory(member=shown, kind=ListingKind.NEED, title="Besoin d'une salle")
    ListingFactory(member=shown, show_publicly=False, title="Réservé aux membres")
    MemberFactory(club=club, show_publicly=False)
    MemberFactory(club=club, status=MemberStatus.CANDIDATE)
    MemberFactory(club=club, status=MemberStatus.LAPSED)
    response = client.get(URL, {"territory": club.territory.siren})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["structure"] == "Atelier"
    assert row["skills"] == ["Graphisme"]
    assert row["founder"] is True
    assert row["directory_url"].endswith(shown.structure.get_absolute_url())
    assert [listing["id"] for listing in row["listings"]] == [public.pk]
    assert row["listings"][0]["kind"] == "need"
    assert "secret.person" not in response.content.decode()
    assert "Réservé aux membres" not in response.content.decode()


def test_the_club_filter_and_the_territory_filter_keep_other_clubs_out(client):
    club, _ = club_with_territory()
    other, _ = club_with_territory()
    mine = MemberFactory(club=club)
    MemberFactory(club=other)
    by_club = client.get(URL, {"club": club.slug}).json()
    assert [r["siret"] for r in by_club["results"]] == [mine.structure.siret]
    by_territory = client.get(URL, {"territory": club.territory.siren}).json()
    assert by_territory["count"] == 1
    assert client.get(URL).json()["count"] == 2


def test_a_bad_siren_is_a_french_422_and_an_unknown_one_a_404(client):
    bad = client.get(URL, {"territory": "12345"})
    assert bad.status_code == 422
    assert "9 chiffres" in bad.json()["detail"]
    assert client.get(URL, {"territory": "999999999"}).status_code == 404
    assert client.get(URL, {"club": "inconnu"}).status_code == 404


def test_the_members_api_and_page_cost_the_same_queries_for_three_or_twelve_members(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    club, _ = club_with_territory()

    def add(n):
        for _ in range(n):
            member = MemberFactory(club=club)
            member.skills.add(SkillFactory())
            ListingFactory(member=member)

    def cost():
        with CaptureQueriesContext(connection) as api:
            assert client.get(URL, {"club": club.slug}).status_code == 200
        with CaptureQueriesContext(connection) as page:
            assert client.get(reverse("club:members", args=[club.slug])).status_code == 200
        return len(api), len(page)

    add(3)
    small = cost()
    add(9)
    assert cost() == small
