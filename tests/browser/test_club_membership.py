"""The club's membership in a real browser, on data built by factories: a person who manages a structure's page asks
to join, sponsored by a member, and accepts the charter; a facilitator approves; the new member finds its space and
edits its profile; the public page then lists it. Every page is checked by axe-core."""

import re

import pytest
from playwright.sync_api import expect

from essaim.directory.enums import RequestStatus
from tests.accounts.factories import PASSWORD, UserFactory
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def login(page, email):
    page.context.clear_cookies()
    page.goto("/compte/connexion/")
    form = page.locator("main form").filter(has=page.locator("input[type=password]")).first
    form.locator("input[type=email]").fill(email)
    form.locator("input[type=password]").fill(PASSWORD)
    form.get_by_role("button", name=re.compile(r"^Se connecter")).click()
    page.wait_for_url(re.compile(r"/compte/$"))


@pytest.fixture
def club_data(live_server):
    from tests.club.factories import CharterVersionFactory, MemberFactory, MemberPersonFactory, facilitator
    from tests.club.factories_membership import club_with_territory
    from tests.directory.factories import StructureClaimFactory, StructureFactory

    club, commune = club_with_territory(charter=False)
    CharterVersionFactory(club=club, number=1, text="Se connaître, s'entraider et travailler ensemble.")
    sponsor = MemberFactory(club=club, structure=StructureFactory(commune=commune, name="Maison de la poésie"))
    MemberPersonFactory(member=sponsor)
    helper = facilitator(club)
    applicant = UserFactory(full_name="Julien Caudron")
    structure = StructureFactory(commune=commune, name="Ressourcerie du Béthunois")
    StructureClaimFactory(structure=structure, user=applicant, status=RequestStatus.APPROVED)
    return {"club": club, "applicant": applicant, "helper": helper, "structure": structure}


def test_join_sponsored_approve_edit_profile_and_appear(page, club_data, assert_no_third_party):
    from essaim.club.enums import MemberStatus
    from essaim.club.models import Member

    club = club_data["club"]
    slug = club.slug

    # The public page, before: the structure is not there.
    page.goto(f"/club/{slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(club.name)
    assert_accessible(page, context="page du club")
    page.goto(f"/club/{slug}/charte/")
    assert_accessible(page, context="charte")
    page.goto(f"/club/{slug}/competences/")
    assert_accessible(page, context="compétences")

    # The person who manages the Ressourcerie's page asks to join, sponsored by the Maison de la poésie.
    login(page, club_data["applicant"].email)
    page.goto(f"/club/{slug}/")
    page.get_by_role("link", name="Adhérer").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Adhérer")
    assert_accessible(page, context="adhérer")
    page.get_by_label("Parrain (facultatif)").select_option(label="Maison de la poésie")
    page.get_by_label("Votre motivation").fill("Mutualiser nos moyens avec les autres structures.")
    page.get_by_role("button", name="Envoyer ma candidature").click()
    expect(page.locator(".error-summary")).to_contain_text("acceptez la charte")
    assert_accessible(page, context="adhérer, erreur")
    page.get_by_label(re.compile("J'ai lu la charte")).check()
    page.get_by_role("button", name="Envoyer ma candidature").click()
    expect(page.get_by_role("main")).to_contain_text("En attente de la décision")
    assert_accessible(page, context="espace, candidature")
    member = Member.objects.get(club=club, structure=club_data["structure"])
    assert member.sponsor.structure.name == "Maison de la poésie"

    # A facilitator approves it.
    login(page, club_data["helper"].email)
    page.goto(f"/club/{slug}/gestion/")
    assert_accessible(page, context="gestion")
    page.get_by_role("link", name="Ressourcerie du Béthunois").click()
    expect(page.get_by_role("main")).to_contain_text("Maison de la poésie")
    assert_accessible(page, context="candidature")
    page.get_by_role("button", name="Accepter la candidature").click()
    expect(page.get_by_role("status")).to_contain_text("est membre du club")
    member.refresh_from_db()
    assert member.status == MemberStatus.ACTIVE

    # The new member finds its space and edits its profile.
    login(page, club_data["applicant"].email)
    page.goto(f"/club/{slug}/espace/")
    assert_accessible(page, context="espace du membre")
    page.get_by_role("link", name=re.compile("Profil et personnes")).click()
    assert_accessible(page, context="profil")
    page.get_by_label("Autres compétences").fill("Réemploi, Réparation de vélos")
    page.get_by_label("Ce que nous proposons aux autres").fill("Atelier de réparation ouvert aux membres.")
    page.get_by_label(re.compile("Apparaître sur la page publique")).check()
    page.get_by_role("button", name="Enregistrer le profil").click()
    expect(page.get_by_role("status")).to_contain_text("profil de la structure est enregistré")

    # The public page then lists it, with its skills.
    page.context.clear_cookies()
    page.goto(f"/club/{slug}/membres/")
    expect(page.get_by_role("main")).to_contain_text("Ressourcerie du Béthunois")
    expect(page.get_by_role("main")).to_contain_text("Réparation de vélos")
    assert_accessible(page, context="membres")
    assert_no_third_party()
