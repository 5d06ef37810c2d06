"""The club's meetings and good practices in a real browser, data built by factories, axe-core on every page: a
facilitator creates a meeting, a member registers and invites a guest, the facilitator publishes the minutes (text
and PDF) and a member reads them; a member writes a practice sheet, a facilitator publishes it, and the public sees
it on the practices page and on the structure's directory page."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, live_server, user):
    """Logs the person in by a session cookie (the login form has its own browser tests)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


def test_a_meeting_from_creation_to_minutes_and_a_practice_sheet_to_the_directory(page, live_server, tmp_path):
    from essaim.club.models import Meeting, PracticeSheet
    from tests.agenda.factories import VenueFactory
    from tests.club.factories import ClubFactory, facilitator, member_user
    from tests.club.factories_meetings import pdf_upload

    club = ClubFactory()
    venue = VenueFactory(territory=club.territory, name="Maison de la poésie")
    staff = facilitator(club)
    member, structure_member = member_user(club)

    # The facilitator creates the meeting.
    log_in(page, live_server, staff)
    page.goto(f"/club/{club.slug}/gestion/rencontres/nouvelle/")
    assert_accessible(page, context="nouvelle rencontre")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".error-summary")).to_be_visible()
    day = timezone.localdate() + datetime.timedelta(days=14)
    page.get_by_label("Thème").fill("Recherche de financements")
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("Début").fill("18:00")
    page.get_by_label("Fin").fill("20:00")
    page.get_by_label("Lieu de l'agenda").select_option(value=str(venue.pk))
    page.get_by_label("Intervenant·es").fill("Claire Dumont ; Pas-de-Calais Actif ; les prêts d'honneur")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Recherche de financements")
    meeting = Meeting.objects.get()

    # A member registers and invites a guest.
    log_in(page, live_server, member)
    page.goto(f"/club/{club.slug}/espace/rencontres/")
    assert_accessible(page, context="liste des rencontres")
    page.get_by_role("link", name="Recherche de financements").click()
    assert_accessible(page, context="page d'une rencontre")
    page.get_by_role("button", name="M'inscrire").click()
    expect(page.get_by_text("Vous êtes inscrit·e.")).to_be_visible()
    page.get_by_label("Nom de la personne invitée").fill("Inès Martin")
    page.get_by_label("Son adresse e-mail").fill("ines@coop.example")
    page.get_by_role("button", name="Envoyer l'invitation").click()
    expect(page.get_by_text("Invitation envoyée à Inès Martin")).to_be_visible()
    guest = meeting.guests.get()
    page.context.clear_cookies()
    page.goto(f"/club/invitation/{guest.token}/")
    assert_accessible(page, context="invitation d'un·e invité·e")

    # The meeting took place: the facilitator publishes the minutes with a PDF.
    session = meeting.event.sessions.get()
    session.start = timezone.now() - datetime.timedelta(hours=3)
    session.end = timezone.now() - datetime.timedelta(hours=1)
    session.save()
    pdf = tmp_path / "compte-rendu.pdf"
    pdf.write_bytes(pdf_upload().read())
    log_in(page, live_server, staff)
    page.goto(f"/club/{club.slug}/gestion/rencontres/{meeting.pk}/compte-rendu/")
    assert_accessible(page, context="compte rendu")
    page.get_by_label("Compte rendu", exact=True).fill("Trois membres préparent un dossier commun.")
    page.get_by_label("Compte rendu en PDF").set_input_files(str(pdf))
    page.get_by_label("Nouveaux sujets").fill("Recherche de financements")
    page.get_by_role("button", name="Publier aux membres").click()
    expect(page.get_by_text("Compte rendu publié aux membres.")).to_be_visible()

    # A member reads them.
    log_in(page, live_server, member)
    page.goto(f"/club/{club.slug}/espace/rencontres/{meeting.pk}/")
    expect(page.get_by_text("Trois membres préparent un dossier commun.")).to_be_visible()
    expect(page.get_by_role("link", name="Télécharger le compte rendu (PDF)")).to_be_visible()
    assert_accessible(page, context="rencontre avec son compte rendu")
    page.goto(f"/club/{club.slug}/espace/sujets/")
    assert_accessible(page, context="sujets suivis")

    # A member writes a practice sheet, a facilitator publishes it.
    page.goto(f"/club/{club.slug}/espace/pratiques/nouvelle/")
    assert_accessible(page, context="nouvelle fiche pratique")
    page.get_by_label("Titre").fill("Une camionnette prêtée entre membres")
    page.get_by_label("La pratique").fill("Une ressourcerie prête sa camionnette aux membres.")
    page.get_by_role("button", name="Envoyer en relecture").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Une camionnette prêtée entre membres")
    sheet = PracticeSheet.objects.get()
    log_in(page, live_server, staff)
    page.goto(f"/club/{club.slug}/pratiques/")
    page.get_by_role("link", name="Une camionnette prêtée entre membres").first.click()
    page.goto(f"/club/{club.slug}/gestion/pratiques/{sheet.pk}/")
    assert_accessible(page, context="relecture d'une fiche")
    page.get_by_role("button", name="Publier").click()
    expect(page.get_by_text("Fiche publiée.")).to_be_visible()

    # The public sees it on the practices page and on the structure's directory page.
    page.context.clear_cookies()
    page.goto(f"/club/{club.slug}/pratiques/")
    expect(page.get_by_role("link", name="Une camionnette prêtée entre membres")).to_be_visible()
    assert_accessible(page, context="bonnes pratiques")
    page.goto(structure_member.structure.get_absolute_url())
    section = page.locator("section", has=page.get_by_role("heading", name="Club des entrepreneurs de l'ESS"))
    expect(section.get_by_role("link", name="Une camionnette prêtée entre membres")).to_be_visible()
    expect(section.get_by_text("Membre du club")).to_be_visible()
    assert_accessible(page, context="page de la structure dans l'annuaire")
