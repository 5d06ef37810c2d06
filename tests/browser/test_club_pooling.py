"""The club's pooling in a real browser, on data built by factories: a member posts a need and sees the matching
offer, puts them in touch, books the shared van, sees the conflict message when booking an overlapping period;
joins a group purchase and sees the total. Every page is checked by axe-core."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.accounts.factories import PASSWORD
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def login(page, email):
    page.goto("/compte/connexion/?next=/compte/")
    form = page.locator("main form").filter(has=page.locator("input[type=password]")).first
    form.locator("input[type=email]").fill(email)
    form.locator("input[type=password]").fill(PASSWORD)
    form.get_by_role("button", name=re.compile(r"^Se connecter")).click()
    page.wait_for_url(re.compile(r"/compte/$"))


def test_post_a_need_match_book_the_van_conflict_and_join_a_purchase(page, live_server, assert_no_third_party):
    from essaim.club.enums import BookingUnit, ListingKind
    from essaim.club.models import ItemBooking, Match
    from essaim.club.services.items import item_book, period_of_days
    from tests.club.factories import ClubFactory, ListingFactory, SharedItemFactory, member_user
    from tests.club.factories_pooling import GroupPurchaseFactory

    club = ClubFactory()
    user, member = member_user(club)
    other_user, other = member_user(club)
    offer = ListingFactory(member=other, kind=ListingKind.OFFER, category="vehicle", title="Camionnette 12 m³")
    van = SharedItemFactory(owner=other, name="Camionnette", unit=BookingUnit.DAY)
    taken = timezone.localdate() + datetime.timedelta(days=20)
    item_book(
        item=van,
        member=other,
        by=other_user,
        start=period_of_days(taken, taken)[0],
        end=period_of_days(taken, taken)[1],
    )
    purchase = GroupPurchaseFactory(proposer=other, title="Café bio", unit_price=18, minimum_quantity=20)

    page.goto(f"/club/{club.slug}/mutualisation/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Offres et besoins")
    assert_accessible(page, context="tableau public")

    login(page, user.email)
    page.goto(f"/club/{club.slug}/espace/mutualisation/nouvelle/")
    assert_accessible(page, context="nouvelle annonce")
    page.get_by_label("besoin").check()
    page.get_by_label("Catégorie").select_option("vehicle")
    page.get_by_label("Titre").fill("Une camionnette pour une collecte")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", name=re.compile("Ces offres répondent à votre besoin"))).to_be_visible()
    expect(page.get_by_role("link", name="Camionnette 12 m³")).to_be_visible()
    assert_accessible(page, context="besoin publié")
    page.get_by_role("button", name=re.compile("Mettre en relation")).click()
    expect(page.get_by_text("La mise en relation est faite")).to_be_visible()
    assert Match.objects.filter(offer=offer).count() == 1

    page.goto(f"/club/{club.slug}/espace/biens/")
    assert_accessible(page, context="biens partagés")
    page.get_by_role("link", name="Camionnette", exact=True).click()
    first = taken - datetime.timedelta(days=3)
    page.get_by_label("Premier jour").fill(first.isoformat())
    page.get_by_label("Dernier jour").fill((first + datetime.timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Réserver").click()
    expect(page.get_by_text(re.compile("Réservation confirmée"))).to_be_visible()
    assert_accessible(page, context="réservation confirmée")
    page.get_by_label("Premier jour").fill((taken - datetime.timedelta(days=1)).isoformat())
    page.get_by_label("Dernier jour").fill(taken.isoformat())
    page.get_by_role("button", name="Réserver").click()
    expect(page.locator(".error-summary")).to_contain_text("est déjà réservé le")
    assert_accessible(page, context="conflit de réservation")
    assert ItemBooking.objects.filter(item=van).count() == 2

    page.goto(f"/club/{club.slug}/espace/achats-groupes/")
    assert_accessible(page, context="achats groupés")
    page.get_by_role("link", name="Café bio").click()
    page.get_by_label("Quantité").fill("12")
    page.get_by_role("button", name="Enregistrer ma participation").click()
    expect(page.locator("#purchase-total")).to_contain_text("12")
    expect(page.locator("#purchase-total")).to_contain_text("216")
    assert_accessible(page, context="achat groupé rejoint")
    assert purchase.lines.count() == 1
    assert_no_third_party()
