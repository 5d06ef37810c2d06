"""The news and the newsletter in a real browser, on data built by factories: a visitor reads the news, subscribes
to the newsletter, confirms by the mail's link and unsubscribes; an officer writes and publishes an item. Every page
is checked by axe-core."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
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


def _path(url):
    return urlsplit(url).path


def test_a_visitor_reads_subscribes_confirms_and_unsubscribes(page, live_server, assert_no_third_party):
    from essaim.news.models import Subscriber
    from tests.news.factories import NewsItemFactory, TagFactory
    from tests.territories.factories import TerritoryFactory

    ternois = TerritoryFactory(slug="ternois", name="Pays du Ternois")
    tag = TagFactory(territory=ternois, name="Circuits courts", slug="circuits-courts")
    NewsItemFactory(
        territory=ternois,
        slug="une-quarantaine-de-producteurs-locaux",
        title="Une quarantaine de producteurs locaux",
        published_on=datetime.date(2015, 10, 27),
        body="Le Pays du Ternois agit **depuis 2013**.",
        tags=[tag],
    )

    page.goto("/agenda/")
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Actualités").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Actualités de l'ESS")
    assert_accessible(page, context="liste des actualités")
    page.get_by_role("link", name="Une quarantaine de producteurs locaux").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Une quarantaine de producteurs locaux")
    expect(page.locator(".prose strong")).to_have_text("depuis 2013")
    assert_accessible(page, context="une actualité")

    page.get_by_role("link", name="Recevoir la lettre d'information de Pays du Ternois").click()
    assert_accessible(page, context="abonnement")
    page.get_by_role("button", name="S'abonner").click()
    expect(page.locator(".error-summary")).to_be_visible()  # nothing typed: said in French
    assert_accessible(page, context="abonnement en erreur")
    page.get_by_label("Adresse électronique").fill("lectrice@ternois.example")
    page.get_by_label(re.compile("J'accepte de recevoir")).check()
    mail.outbox = []
    page.get_by_role("button", name="S'abonner").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez votre messagerie")
    assert_accessible(page, context="abonnement demandé")
    (confirmation,) = mail.outbox
    (link,) = re.findall(r"https?://\S+/actualites/lettre/confirmer/\S+/", confirmation.body)

    page.goto(_path(link))
    assert_accessible(page, context="confirmation")
    page.get_by_role("button", name="Confirmer mon abonnement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Abonnement confirmé")
    subscriber = Subscriber.objects.get(email="lectrice@ternois.example")
    assert subscriber.confirmed_at is not None

    page.goto(f"/actualites/lettre/desinscription/{subscriber.token}/")
    assert_accessible(page, context="désinscription")
    page.get_by_role("button", name="Me désinscrire").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vous êtes désinscrit·e")
    assert Subscriber.objects.count() == 0
    assert_no_third_party()


def test_an_officer_writes_and_publishes_an_item(page, live_server, assert_no_third_party):
    from essaim.news.enums import NewsStatus
    from essaim.news.models import NewsItem
    from tests.accounts.factories import MembershipFactory
    from tests.territories.factories import TerritoryFactory

    ternois = TerritoryFactory(slug="ternois", name="Pays du Ternois")
    officer = MembershipFactory(territory=ternois).user
    login(page, officer.email)
    page.goto("/actualites/gestion/")
    assert_accessible(page, context="gestion des actualités")
    page.get_by_role("link", name="Écrire une actualité").click()
    assert_accessible(page, context="nouvelle actualité")
    page.get_by_label("Titre").fill("Le bâtiment relais d'Ecopolis affiche complet")
    page.get_by_label("Date de publication").fill("27/10/2015")
    page.get_by_label("Résumé").fill("Trois entreprises y sont hébergées, six mois après le lancement.")
    page.get_by_label("Texte", exact=True).fill("Ça bouge du côté du **parc d'activité Ecopolis** de Tincques.")
    page.get_by_label("Nouvelles étiquettes").fill("Immobilier d'entreprise")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.get_by_text("Aperçu")).to_be_visible()
    assert_accessible(page, context="aperçu d'un brouillon")
    item = NewsItem.objects.get()
    assert item.status == NewsStatus.DRAFT
    page.get_by_role("button", name="Publier").click()
    expect(page.get_by_role("status")).to_contain_text("Actualité publiée.")
    item.refresh_from_db()
    assert item.status == NewsStatus.PUBLISHED
    page.goto("/actualites/")
    expect(page.get_by_role("link", name="Le bâtiment relais d'Ecopolis affiche complet")).to_be_visible()

    # The newsletter: nobody subscribed yet; an issue composed and previewed, not sent.
    page.goto("/actualites/gestion/ternois/lettres/")
    assert_accessible(page, context="lettres du territoire")
    page.get_by_role("link", name="Composer une lettre").click()
    assert_accessible(page, context="composer une lettre")
    page.get_by_label("Objet du courriel").fill("La lettre de l'ESS du Ternois")
    page.get_by_label("Introduction").fill("Les nouvelles du **Pays du Ternois**.")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("La lettre de l'ESS du Ternois")
    expect(page.locator(".card strong")).to_have_text("Pays du Ternois")
    assert_accessible(page, context="aperçu d'une lettre")
    assert_no_third_party()
