"""Good practices: a member's person writes a sheet and sends it to review, a facilitator publishes it or sends it
back with a note (the author is told by mail); the public reads the published sheets (search by text, sector,
topic), on the club's pages, the API and the structure's directory page; a draft is seen only by its member's
people and the staff."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from essaim.club.enums import PracticeStatus
from essaim.club.models import PracticeSheet
from essaim.club.services import practices as services
from tests.accounts.factories import UserFactory
from tests.club.factories import ClubFactory, PracticeSheetFactory, TopicFactory, facilitator, member_user
from tests.directory.factories import SectorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def club():
    return ClubFactory()


def url(name, club, *args):
    return reverse(f"club:{name}", args=[club.slug, *args])


def test_a_member_writes_a_sheet_sends_it_to_review_and_a_facilitator_publishes_it(
    client, club, django_capture_on_commit_callbacks
):
    author, member = member_user(club)
    sector = SectorFactory()
    client.force_login(author)
    response = client.post(
        url("practice_new", club),
        {
            "title": "Une comptable partagée par trois associations",
            "what": "Trois associations emploient ensemble une comptable.",
            "for_whom": "Les petites associations employeuses",
            "sectors": [sector.pk],
            "new_topics": "Mutualisation",
            "submit": "1",
        },
    )
    sheet = PracticeSheet.objects.get()
    assert response.status_code == 302
    assert sheet.member == member
    assert sheet.written_by == author
    assert sheet.status == PracticeStatus.SUBMITTED
    assert list(sheet.sectors.all()) == [sector]
    assert [t.slug for t in sheet.topics.all()] == ["mutualisation"]
    assert client.get(url("practice_review", club, sheet.pk)).status_code == 404
    staff = facilitator(club)
    client.force_login(staff)
    assert "Une comptable partagée" in client.get(url("practices", club)).content.decode()  # « à relire »
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("practice_review", club, sheet.pk), {"decision": "publish", "note": ""})
    sheet.refresh_from_db()
    assert sheet.status == PracticeStatus.PUBLISHED
    assert sheet.reviewed_by == staff
    assert sheet.published_at is not None
    (told,) = mail.outbox
    assert told.to == [author.email]
    assert "est publiée" in told.body
    client.logout()
    assert client.get(url("practice", club, sheet.pk)).status_code == 200


def test_a_facilitator_sends_a_sheet_back_with_a_note_required(client, club, django_capture_on_commit_callbacks):
    author, member = member_user(club)
    sheet = PracticeSheetFactory(member=member, status=PracticeStatus.SUBMITTED, written_by=author)
    client.force_login(facilitator(club))
    refused = client.post(url("practice_review", club, sheet.pk), {"decision": "return", "note": ""})
    assert refused.status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("practice_review", club, sheet.pk), {"decision": "return", "note": "Ajoutez les résultats."})
    sheet.refresh_from_db()
    assert sheet.status == PracticeStatus.RETURNED
    assert "Ajoutez les résultats." in mail.outbox[0].body
    with pytest.raises(ValidationError):
        services.practice_review(practice=sheet, by=facilitator(club), publish=True)
    client.force_login(author)
    client.post(url("practice_edit", club, sheet.pk), {"title": sheet.title, "what": "Mieux", "submit": "1"})
    sheet.refresh_from_db()
    assert sheet.status == PracticeStatus.SUBMITTED
    assert sheet.what == "Mieux"


def test_a_draft_is_seen_only_by_its_member_and_the_staff(client, club):
    author, member = member_user(club)
    draft = PracticeSheetFactory(member=member, title="Brouillon du camion prêté")
    other_member_user, _ = member_user(club)
    pages = [url("practice", club, draft.pk), url("practice_edit", club, draft.pk)]
    for who in (None, UserFactory(), other_member_user, member_user(ClubFactory())[0]):
        client.logout()
        if who:
            client.force_login(who)
        assert [client.get(page).status_code for page in pages] == [404, 404]
        assert "Brouillon du camion" not in client.get(url("practices", club)).content.decode()
    client.force_login(author)
    assert [client.get(page).status_code for page in pages] == [200, 200]
    client.force_login(facilitator(club))
    assert [client.get(page).status_code for page in pages] == [200, 200]
    assert client.get(url("practice_review", club, draft.pk)).status_code == 200


def test_a_published_sheet_is_changed_by_the_staff_only_and_other_clubs_ids_answer_404(client, club):
    author, member = member_user(club)
    sheet = PracticeSheetFactory(member=member, published=True)
    client.force_login(author)
    assert client.get(url("practice_edit", club, sheet.pk)).status_code == 404
    assert client.get(url("practice", ClubFactory(), sheet.pk)).status_code == 404
    outsider = UserFactory()
    client.force_login(outsider)
    assert client.get(url("practice_new", club)).status_code == 404
    with pytest.raises(ValidationError):
        services.practice_save(by=outsider, member=member, data={"title": "x", "what": "y"})


def test_the_public_list_searches_by_text_sector_and_topic(client, club):
    sector = SectorFactory()
    topic = TopicFactory(club=club, slug="recrutement", name="Recrutement")
    van = PracticeSheetFactory(member__club=club, published=True, title="Une camionnette prêtée entre membres")
    van.sectors.add(sector)
    forum = PracticeSheetFactory(member__club=club, published=True, title="Un forum de recrutement commun")
    forum.topics.add(topic)
    PracticeSheetFactory(member__club=club, status=PracticeStatus.SUBMITTED, title="Une fiche en relecture")

    def titles(query=""):
        html = client.get(url("practices", club) + query).content.decode()
        return [t for t in ("camionnette", "forum", "relecture") if t in html]

    assert titles() == ["camionnette", "forum"]
    assert titles("?q=CAMIONNETTE") == ["camionnette"]
    assert titles(f"?sector={sector.slug}") == ["camionnette"]
    assert titles("?topic=recrutement") == ["forum"]


def test_the_api_lists_published_sheets_only_with_filters(client, club):
    sheet = PracticeSheetFactory(member__club=club, published=True, title="Une comptable partagée", contact="Léa")
    PracticeSheetFactory(member__club=club, title="Brouillon")
    PracticeSheetFactory(member__club=club, status=PracticeStatus.SUBMITTED, title="En relecture")
    other = PracticeSheetFactory(published=True, title="Ailleurs")
    body = client.get(f"/api/v1/club/practices?territory={club.territory.siren}").json()
    assert body["count"] == 1
    (row,) = body["results"]
    assert row["title"] == "Une comptable partagée"
    assert row["structure"]["slug"] == sheet.member.structure.slug
    assert row["contact"] == "Léa"
    assert row["url"].endswith(url("practice", club, sheet.pk))
    assert client.get("/api/v1/club/practices").json()["count"] == 2
    assert [r["id"] for r in client.get(f"/api/v1/club/practices?club={other.club.slug}").json()["results"]] == [
        other.pk
    ]
    assert client.get("/api/v1/club/practices?q=partagée").json()["count"] == 1
    missing = client.get("/api/v1/club/practices?territory=999999999")
    assert missing.status_code == 404
    assert "territoire" in missing.json()["detail"]


def test_the_structure_directory_page_shows_membership_and_published_sheets(client, club):
    _, member = member_user(club)
    PracticeSheetFactory(member=member, published=True, title="Un camion prêté entre membres")
    PracticeSheetFactory(member=member, title="Un brouillon caché")
    html = client.get(member.structure.get_absolute_url()).content.decode()
    assert "Club des entrepreneurs de l'ESS</h2>" in html
    assert "Membre du club" in html
    assert "Un camion prêté entre membres" in html
    assert "Un brouillon caché" not in html
    member.show_publicly = False
    member.save()
    hidden = client.get(member.structure.get_absolute_url()).content.decode()
    assert "Membre du club" not in hidden
    assert "Un camion prêté entre membres" in hidden


def test_a_structure_outside_the_club_has_no_club_section(client):
    from tests.directory.factories import StructureFactory

    structure = StructureFactory()
    html = client.get(structure.get_absolute_url()).content.decode()
    assert client.get(structure.get_absolute_url()).status_code == 200
    assert 'id="club-title"' not in html
