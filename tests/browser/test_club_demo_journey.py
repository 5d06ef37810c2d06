"""The Club des entrepreneurs de l'ESS in a real browser, on the whole demo (``essaim demo``, whatever the day): a
visitor finds the club from the menu, its members and the public board; a person who manages a structure's page asks
to join, sponsored by the Maison de la poésie, accepting the charter; the club's facilitator approves the candidacy;
a member finds the next meeting in the members' space and books the shared van. Every page is checked by axe-core.
The parts' own journeys (tests/browser/test_club_*.py) walk each capability on data of their own."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def club_path(demo_site):
    from essaim.club.models import Club

    return f"/club/{Club.objects.get().slug}"


def test_visit_apply_approve_and_book_the_van(demo_site, demo_page, js_errors, demo_no_third_party, club_path):
    from essaim.club.enums import MemberStatus
    from essaim.club.models import ItemBooking, Member

    page = demo_page
    # A visitor finds the club from the menu: its story, its members, the public offers and needs.
    page.goto("/")
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Club").click()
    page.get_by_role("link", name="Club des entrepreneurs de l'ESS").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Club des entrepreneurs de l'ESS")
    expect(page.get_by_text("Association (loi 1901)")).to_be_visible()
    assert_accessible(page, context="page publique du club")
    page.goto(club_path + "/membres/")
    expect(page.get_by_role("link", name="Maison de la poésie")).to_be_visible()
    page.goto(club_path + "/mutualisation/")
    expect(page.get_by_role("link", name=re.compile("Camionnette"))).to_be_visible()
    assert_accessible(page, context="offres et besoins publics")
    page.goto(club_path + "/espace/")
    expect(page).to_have_url(re.compile("/compte/connexion/"))  # the members' space asks who you are

    # A person who manages a structure's page asks to join, sponsored by the Maison de la poésie.
    demo_site.login(page, "candidat.club@essaim.example", club_path + "/adherer/")
    assert_accessible(page, context="adhérer au club")
    page.get_by_label("Parrain (facultatif)").select_option(label="Maison de la poésie")
    page.get_by_label("Votre motivation").fill("Nous voulons mutualiser un dépôt de matériaux de réemploi.")
    page.get_by_role("button", name="Envoyer ma candidature").click()
    expect(page.locator(".error-summary, [role=alert]").first).to_be_visible()  # the charter is not accepted yet
    page.get_by_label(re.compile("J'ai lu la charte du club")).check()
    page.get_by_role("button", name="Envoyer ma candidature").click()
    expect(page.get_by_text(re.compile("est envoyée"))).to_be_visible()
    candidate = Member.objects.get(applied_by__email="candidat.club@essaim.example")
    assert candidate.status == MemberStatus.CANDIDATE and candidate.sponsor.structure.slug == "maison-de-la-poesie"
    page.context.clear_cookies()

    # The facilitator approves it from the club's management page.
    demo_site.login(page, "animation.club@essaim.example", club_path + "/gestion/")
    assert_accessible(page, context="gestion du club")
    page.get_by_role("link", name=candidate.structure.display_name).first.click()
    page.get_by_role("button", name="Accepter la candidature").click()
    expect(page.get_by_text(re.compile("est membre du club"))).to_be_visible()
    candidate.refresh_from_db()
    assert candidate.status == MemberStatus.ACTIVE and candidate.expires_on > timezone.localdate()
    page.context.clear_cookies()

    # A member finds the next meeting in the members' space, then books the van for a free day.
    demo_site.login(page, "structure@essaim.example", club_path + "/espace/")
    expect(page.get_by_text("Prochaine rencontre")).to_be_visible()
    assert_accessible(page, context="espace des membres")
    page.get_by_role("link", name="Biens partagés à réserver").click()
    page.get_by_role("link", name=re.compile("Camionnette")).first.click()
    day = timezone.localdate() + datetime.timedelta(days=60)
    page.get_by_label("Premier jour").fill(day.isoformat())
    page.get_by_label("Dernier jour").fill(day.isoformat())
    page.get_by_label("Pour quoi faire (facultatif)").fill("Collecte de meubles")
    page.get_by_role("button", name="Réserver", exact=True).click()
    expect(page.get_by_text(re.compile("Réservation confirmée"))).to_be_visible()
    assert_accessible(page, context="un bien partagé et ses réservations")
    assert ItemBooking.objects.filter(purpose="Collecte de meubles", start__date__lte=day).count() == 1
    assert js_errors == []
    demo_no_third_party()
