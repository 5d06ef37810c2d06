"""The menu shows only what a person can use: every link of the menu, of the back-office landing and of the
territories block of "Mon espace" answers 200 for each demo role (never a 403 or a 404)."""

import re
from html import unescape

import pytest

from essaim.accounts.demo import DEMO_ACCOUNTS, load_demo_accounts
from essaim.accounts.models import User

NAV = re.compile(r'<nav class="site-nav".*?</nav>', re.S)
MAIN = re.compile(r'<main id="main".*?</main>', re.S)
TERRITORIES_BLOCK = re.compile(r'<section id="territoires".*?</section>', re.S)
HREF = re.compile(r'href="([^"#]+)')


def links(html, pattern):
    found = pattern.search(html)
    if not found:
        return []
    return sorted({unescape(h) for h in HREF.findall(found.group(0)) if h.startswith("/") and "/static/" not in h})


def walk(client, urls, who):
    for url in urls:
        status = client.get(url, follow=url == "/").status_code  # the root redirects to the network directory
        assert status == 200, f"{who} : {url} répond {status}"


@pytest.fixture
def demo_people(demo):
    load_demo_accounts(demo)
    return {email: User.objects.get(email=email) for email, *_ in DEMO_ACCOUNTS}


def test_every_link_of_the_menu_landing_and_space_answers_for_each_demo_role(client, demo_people):
    anonymous_menu = links(client.get("/", follow=True).content.decode(), NAV)
    walk(client, anonymous_menu, "visiteur")
    assert "/gestion/" not in anonymous_menu and "/compte/inscription/" in anonymous_menu
    walked = 0
    for email, user in demo_people.items():
        client.force_login(user)
        menu = links(client.get("/", follow=True).content.decode(), NAV)
        walk(client, menu, email)
        space = client.get("/compte/").content.decode()
        walk(client, links(space, TERRITORIES_BLOCK), email)
        if "/gestion/" in menu:
            landing = links(client.get("/gestion/").content.decode(), MAIN)
            walk(client, landing, email)
            walked += len(landing)
        client.logout()
    assert walked > 20


def test_gestion_only_for_those_with_a_role(client, demo_people):
    expected = {
        "reseau@essaim.example": True,
        "admin@bethune-bruay.example": True,
        "agent@bethune-bruay.example": True,
        "commission@bethune-bruay.example": True,
        "elu@bethune-bruay.example": True,
        "agent@ternois.example": True,
        "structure@essaim.example": False,
        "porteur@essaim.example": False,
    }
    for email, has_gestion in expected.items():
        client.force_login(demo_people[email])
        menu = links(client.get("/", follow=True).content.decode(), NAV)
        assert ("/gestion/" in menu) is has_gestion, email
        assert "/compte/" in menu, email
        client.logout()


def test_what_the_elected_member_may_read_on_the_landing(client, demo_people):
    client.force_login(demo_people["elu@bethune-bruay.example"])
    landing = links(client.get("/gestion/").content.decode(), MAIN)
    assert "/gestion/bethune-bruay/chiffres-de-l-annuaire/" in landing
    assert "/gestion/bethune-bruay/" not in landing  # nothing to edit
    assert not any(url.startswith("/aides/instruction/") and "tableau-de-bord" not in url for url in landing)


def test_links_that_ask_to_log_in_say_so_and_carry_next(client, demo_people):
    """Anonymous: « Se connecter ou créer un compte » with ?next= to the action, on the agenda and the grants."""
    html = unescape(client.get("/agenda/").content.decode())
    assert "/compte/connexion/?next=%2Fagenda%2Fproposer%2F" in html
    assert "se connecter ou créer un compte" in html


def test_the_walk_fails_on_a_link_the_role_cannot_follow(client, demo_people, monkeypatch):
    """The guard itself: a « Gérer le territoire » link shown to the elected member answers 403 and fails the walk."""
    from django.urls import reverse

    from essaim.www.backoffice import links as links_module

    original = links_module.territory_links

    def with_a_forbidden_link(user, territory):
        edit = reverse("backoffice:territory", args=[territory.slug])
        return [*original(user, territory), links_module.Link("Gérer le territoire", edit)]

    monkeypatch.setattr(links_module, "territory_links", with_a_forbidden_link)
    client.force_login(demo_people["elu@bethune-bruay.example"])
    space = client.get("/compte/").content.decode()
    with pytest.raises(AssertionError, match="répond 403"):
        walk(client, links(space, TERRITORIES_BLOCK), "élue")
