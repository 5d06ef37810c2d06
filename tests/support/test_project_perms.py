"""Who reaches a project, page by page: the territory's team (everything), the partner it was referred to (reads,
notes, documents, its own referral; never the stage), the holder (their own project, never notes nor documents),
and nobody else — an officer of the Ternois, a partner not referred, another holder, a commission member, the
network admin, an anonymous visitor — who gets a 404 (a project's existence is private) or the login page.

Each test fails if any of these people reaches what is not theirs: the status is checked, and so is the absence
of any write behind a refused POST."""

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

from essaim.support.enums import ReferralStatus, Stage
from essaim.support.models import NextStep, Project, ProjectAccess, ProjectDocument, ProjectNote, Referral
from essaim.support.services import projects as services
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.support.factories import (
    BookingFactory,
    PartnerAdviserFactory,
    PartnerFactory,
    ProjectFactory,
    png_upload,
)
from tests.territories.factories import TerritoryFactory

pytestmark = pytest.mark.django_db

OUTSIDERS = ["ternois_officer", "partner_not_referred", "ternois_partner", "other_holder", "commission", "network"]


class Cast:
    def __init__(self):
        self.artois = TerritoryFactory(name="Artois Comm.")
        self.ternois = TerritoryFactory(name="Pays du Ternois")
        self.officer = MembershipFactory(territory=self.artois).user
        self.admin = MembershipFactory(territory=self.artois, admin=True).user
        self.commission = MembershipFactory(territory=self.artois, commission=True).user
        self.ternois_officer = MembershipFactory(territory=self.ternois).user
        self.network = UserFactory(network_admin=True)
        self.holder = UserFactory(email="camille@example.org")
        self.other_holder = UserFactory(email="dominique@example.org")
        ProjectFactory(territory=self.artois, holder=self.other_holder, holder_email="dominique@example.org")
        self.project = ProjectFactory(territory=self.artois, holder_email="Camille@example.org", title="Recyclerie")
        bge = PartnerFactory(territory=self.artois, name="BGE Artois")
        self.partner_referred = PartnerAdviserFactory(partner=bge).user
        self.partner_not_referred = PartnerAdviserFactory(partner=PartnerFactory(territory=self.artois)).user
        self.ternois_partner = PartnerAdviserFactory(partner=PartnerFactory(territory=self.ternois)).user
        self.referral = services.referral_create(project=self.project, partner=bge, by=self.officer)
        self.note = services.note_add(project=self.project, by=self.officer, text="Note confidentielle du suivi")
        self.step = services.next_step_add(
            project=self.project, by=self.officer, title="Étape privée", shared_with_holder=False
        )
        self.document = services.document_add(project=self.project, by=self.officer, upload=png_upload())

    def person(self, who):
        return getattr(self, who)


@pytest.fixture
def cast():
    return Cast()


def urls(cast):
    pk = cast.project.pk
    return {
        "project": reverse("support:project", kwargs={"pk": pk}),
        "download": reverse("support:project_document_download", kwargs={"pk": pk, "document_pk": cast.document.pk}),
        "application": reverse("support:project_application", kwargs={"pk": pk}),
    }


def posts(cast):
    pk = cast.project.pk
    return {
        "stage": (reverse("support:project_stage", kwargs={"pk": pk}), {"stage": Stage.LAUNCH}),
        "close": (reverse("support:project_close", kwargs={"pk": pk}), {"reason": "abandoned"}),
        "note": (reverse("support:project_note", kwargs={"pk": pk}), {"text": "Intrusion"}),
        "next_step": (reverse("support:project_next_step", kwargs={"pk": pk}), {"title": "Intrusion"}),
        "step_done": (
            reverse("support:project_next_step_done", kwargs={"pk": pk, "step_pk": cast.step.pk}),
            {},
        ),
        "document": (reverse("support:project_document", kwargs={"pk": pk}), {"file": png_upload("intrus.png")}),
        "referral": (
            reverse("support:referral_create", kwargs={"pk": pk}),
            {"partner": cast.referral.partner_id, "message": "x"},
        ),
        "referral_move": (
            reverse("support:referral_move", kwargs={"pk": cast.referral.pk}),
            {"to_status": ReferralStatus.TAKING_CARE},
        ),
    }


def state(cast):
    """Everything a refused POST must leave unchanged."""
    project = Project.objects.get(pk=cast.project.pk)
    return (
        project.stage,
        project.status,
        ProjectNote.objects.count(),
        NextStep.objects.count(),
        NextStep.objects.get(pk=cast.step.pk).done_at,
        ProjectDocument.objects.count(),
        Referral.objects.count(),
        Referral.objects.get(pk=cast.referral.pk).status,
    )


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_get_404_on_every_page_and_change_nothing(client, cast, who):
    client.force_login(cast.person(who))
    for name, url in urls(cast).items():
        assert (name, client.get(url).status_code) == (name, 404)
    before = state(cast)
    for name, (url, data) in posts(cast).items():
        assert (name, client.post(url, data).status_code) == (name, 404)
    assert state(cast) == before
    assert not ProjectAccess.objects.filter(user=cast.person(who)).exists()


def test_anonymous_is_sent_to_login_everywhere_and_changes_nothing(client, cast):
    for name, url in urls(cast).items():
        response = client.get(url)
        assert (name, response.status_code) == (name, 302)
        assert response["Location"].startswith(resolve_url(settings.LOGIN_URL)), name
    before = state(cast)
    for name, (url, data) in posts(cast).items():
        assert (name, client.post(url, data).status_code) == (name, 302)
    assert state(cast) == before


@pytest.mark.parametrize("who", ["officer", "admin"])
def test_the_team_reads_everything_and_the_access_is_logged(client, cast, who):
    client.force_login(cast.person(who))
    response = client.get(urls(cast)["project"])
    assert response.status_code == 200
    html = response.content.decode()
    assert "Note confidentielle du suivi" in html
    assert "Étape privée" in html
    assert "Consultations de la fiche" in html
    assert ProjectAccess.objects.filter(project=cast.project, user=cast.person(who), action="view").count() == 1
    download = client.get(urls(cast)["download"])
    assert download.status_code == 200
    assert download["Content-Type"] == "image/png"
    assert ProjectAccess.objects.filter(user=cast.person(who), action="download").count() == 1
    assert client.get(urls(cast)["application"]).status_code == 404  # the application is the holder's to start


def test_the_team_makes_every_change(client, cast):
    client.force_login(cast.officer)
    for name in ["stage", "note", "next_step", "step_done", "document"]:
        url, data = posts(cast)[name]
        assert (name, client.post(url, data).status_code) == (name, 302)
    project = Project.objects.get(pk=cast.project.pk)
    assert project.stage == Stage.LAUNCH
    assert ProjectNote.objects.filter(text="Intrusion").count() == 1
    assert ProjectDocument.objects.count() == 2


def test_the_referred_partner_reads_writes_notes_moves_its_referral_but_not_the_stage(client, cast):
    client.force_login(cast.partner_referred)
    response = client.get(urls(cast)["project"])
    assert response.status_code == 200
    assert "Note confidentielle du suivi" in response.content.decode()
    assert "Consultations de la fiche" not in response.content.decode()
    assert client.get(urls(cast)["download"]).status_code == 200
    before_stage = Project.objects.get(pk=cast.project.pk).stage
    for name in ["stage", "close", "next_step", "step_done", "document", "referral"]:
        url, data = posts(cast)[name]
        assert (name, client.post(url, data).status_code) == (name, 404)
    assert Project.objects.get(pk=cast.project.pk).stage == before_stage
    url, data = posts(cast)["note"]
    assert client.post(url, data).status_code == 302
    assert ProjectNote.objects.filter(text="Intrusion", author=cast.partner_referred).count() == 1
    url, data = posts(cast)["referral_move"]
    assert client.post(url, data).status_code == 302
    assert Referral.objects.get(pk=cast.referral.pk).status == ReferralStatus.TAKING_CARE


def test_the_holder_reads_their_project_without_notes_documents_nor_private_steps(client, cast):
    client.force_login(cast.holder)
    response = client.get(urls(cast)["project"])
    assert response.status_code == 200
    html = response.content.decode()
    assert "Recyclerie" in html
    assert "Note confidentielle" not in html
    assert "Étape privée" not in html
    assert cast.document.original_name not in html
    assert client.get(urls(cast)["download"]).status_code == 404
    assert client.get(urls(cast)["application"]).status_code == 200
    before = state(cast)
    for name, (url, data) in posts(cast).items():
        assert (name, client.post(url, data).status_code) == (name, 404)
    assert state(cast) == before


def test_the_holder_of_another_project_does_not_reach_this_one_by_its_id(client, cast):
    client.force_login(cast.other_holder)
    own = Project.objects.get(holder=cast.other_holder)
    assert client.get(reverse("support:project", kwargs={"pk": own.pk})).status_code == 200
    assert client.get(urls(cast)["project"]).status_code == 404


@pytest.mark.parametrize("who", ["ternois_officer", "partner_not_referred", "holder", "network"])
def test_only_the_team_or_the_slots_adviser_opens_a_project_from_a_booking(client, cast, who):
    booking = BookingFactory(opening_range__territory=cast.artois)
    client.force_login(cast.person(who))
    response = client.post(reverse("support:project_from_booking", kwargs={"pk": booking.pk}))
    assert response.status_code == 404
    booking.refresh_from_db()
    assert booking.project_id is None


@pytest.mark.parametrize("who", ["ternois_officer", "commission", "partner_referred", "holder", "network"])
def test_the_boards_are_the_teams(client, cast, who):
    client.force_login(cast.person(who))
    for name in ["board", "abandoned", "project_create"]:
        url = reverse(f"support:{name}", kwargs={"slug": cast.artois.slug})
        assert (name, client.get(url).status_code) == (name, 403)
    assert "Recyclerie" not in client.get(reverse("support:board", kwargs={"slug": cast.artois.slug})).content.decode()


@pytest.mark.parametrize("who", ["officer", "holder", "network", "ternois_officer"])
def test_the_partner_board_is_for_partner_advisers_only(client, cast, who):
    client.force_login(cast.person(who))
    assert client.get(reverse("support:partner_board")).status_code == 403


def test_a_partner_board_lists_only_its_own_referrals(client, cast):
    client.force_login(cast.partner_not_referred)
    response = client.get(reverse("support:partner_board"))
    assert response.status_code == 200
    assert "Recyclerie" not in response.content.decode()
    client.force_login(cast.partner_referred)
    assert "Recyclerie" in client.get(reverse("support:partner_board")).content.decode()
