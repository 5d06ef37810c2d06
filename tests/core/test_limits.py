"""Abuse limits that hold behind a proxy: THE client address (trusted proxies only, read from the right of
X-Forwarded-For), limits keyed on it, the login lock-out per (e-mail, client), request bodies capped unread."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from essaim.core.clientip import client_ip, parse_trusted_proxies
from tests.accounts.factories import PASSWORD, UserFactory
from tests.agenda.factories import EventFactory, SessionFactory

LOGIN = "/compte/connexion/"


def request(remote="203.0.113.7", forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


# --- the client address ------------------------------------------------------------------------------------------


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.ESSAIM_TRUSTED_PROXIES = ""
    assert client_ip(request("203.0.113.7", "1.2.3.4")) == "203.0.113.7"


def test_one_trusted_proxy_gives_the_rightmost_entry_never_the_first_the_client_sent(settings):
    settings.ESSAIM_TRUSTED_PROXIES = "1"
    # The client sent "X-Forwarded-For: 1.2.3.4"; nginx appended the address it saw.
    assert client_ip(request("127.0.0.1", "1.2.3.4, 198.51.100.20")) == "198.51.100.20"
    assert client_ip(request("127.0.0.1", "198.51.100.20")) == "198.51.100.20"


def test_two_trusted_proxies_give_the_second_entry_from_the_right(settings):
    settings.ESSAIM_TRUSTED_PROXIES = "2"
    assert client_ip(request("10.0.0.2", "6.6.6.6, 198.51.100.20, 10.0.0.1")) == "198.51.100.20"


def test_fewer_entries_than_proxies_or_garbage_fall_back_to_remote_addr(settings):
    settings.ESSAIM_TRUSTED_PROXIES = "2"
    assert client_ip(request("10.0.0.2", "198.51.100.20")) == "10.0.0.2"
    settings.ESSAIM_TRUSTED_PROXIES = "1"
    assert client_ip(request("10.0.0.2", "not-an-address")) == "10.0.0.2"
    assert client_ip(request("10.0.0.2")) == "10.0.0.2"


def test_trusted_networks_skip_their_own_hops_from_the_right(settings):
    settings.ESSAIM_TRUSTED_PROXIES = "10.0.0.0/8, 127.0.0.1"
    assert client_ip(request("127.0.0.1", "6.6.6.6, 198.51.100.20, 10.1.2.3")) == "198.51.100.20"
    # A client that reaches the application directly is not a trusted proxy: its header counts for nothing.
    assert client_ip(request("198.51.100.99", "6.6.6.6")) == "198.51.100.99"
    assert client_ip(request("127.0.0.1", "2001:db8::1")) == "2001:db8::1"


def test_a_bad_setting_is_refused():
    with pytest.raises(ImproperlyConfigured, match="ESSAIM_TRUSTED_PROXIES"):
        parse_trusted_proxies("one proxy")


def test_behind_proxy_alone_means_one_trusted_proxy(monkeypatch):
    """``ESSAIM_BEHIND_PROXY=true`` without ``ESSAIM_TRUSTED_PROXIES``: one proxy (the documented default)."""
    import importlib

    import config.settings as module

    monkeypatch.setenv("ESSAIM_BEHIND_PROXY", "true")
    monkeypatch.delenv("ESSAIM_TRUSTED_PROXIES", raising=False)
    try:
        assert importlib.reload(module).ESSAIM_TRUSTED_PROXIES == "1"
    finally:
        monkeypatch.delenv("ESSAIM_BEHIND_PROXY")
        importlib.reload(module)


# --- limits keyed on it ------------------------------------------------------------------------------------------


@pytest.fixture
def event(db):
    return SessionFactory(event=EventFactory(), capacity=500).event


def register(client, event, n, forwarded):
    return client.post(
        f"/api/v1/events/{event.pk}/registrations",
        {"name": "Nom", "email": f"r{n}@exemple.example", "consent": True},
        content_type="application/json",
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_rotating_x_forwarded_for_no_longer_gives_unlimited_registrations(client, event, settings):
    """Behind one proxy, an attacker who sends a new X-Forwarded-For each time is still one client: the proxy's
    own entry (the rightmost) is the one that counts. Before, the first entry was read and every try was new."""
    settings.ESSAIM_BEHIND_PROXY = True
    settings.ESSAIM_TRUSTED_PROXIES = "1"
    settings.ESSAIM_AGENDA_REGISTRATION_RATE_LIMIT = 3
    codes = [register(client, event, n, f"10.9.{n}.1, 198.51.100.20").status_code for n in range(5)]
    assert codes == [201, 201, 201, 429, 429]
    # Another real client behind the same proxy is not affected.
    assert register(client, event, 99, "6.6.6.6, 198.51.100.21").status_code == 201


def test_without_proxy_setting_a_forged_header_does_not_change_the_client(client, event, settings):
    settings.ESSAIM_TRUSTED_PROXIES = ""
    settings.ESSAIM_AGENDA_REGISTRATION_RATE_LIMIT = 2
    codes = [register(client, event, n, f"10.9.{n}.1").status_code for n in range(3)]
    assert codes == [201, 201, 429]


def test_the_public_registration_form_answers_429_in_french(client, event, settings):
    settings.ESSAIM_AGENDA_REGISTRATION_RATE_LIMIT = 1
    session = event.sessions.get()
    form = {"session": session.pk, "name": "Nom", "email": "a@exemple.example", "consent": "on"}
    client.post(f"/agenda/evenements/{event.pk}/inscription/", form)
    response = client.post(f"/agenda/evenements/{event.pk}/inscription/", {**form, "email": "b@exemple.example"})
    assert response.status_code == 429
    assert "Trop de tentatives d&#x27;inscription" in response.content.decode()


@pytest.mark.django_db
def test_directory_reports_are_limited_per_real_client(client, settings):
    from essaim.www.directory import contrib
    from tests.directory.factories import StructureFactory

    settings.ESSAIM_BEHIND_PROXY = True
    settings.ESSAIM_TRUSTED_PROXIES = "1"
    structure = StructureFactory()
    url = f"/annuaire/{structure.slug}/signaler/"
    codes = [
        client.post(url, {"message": "Erreur", "email": ""}, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 198.51.100.20")
        for n in range(contrib.RATE_LIMIT + 1)
    ]
    assert [c.status_code for c in codes[:-1]] == [302] * contrib.RATE_LIMIT
    assert codes[-1].status_code == 200
    assert "Trop de signalements depuis votre adresse" in codes[-1].content.decode()
    assert structure.error_reports.count() == contrib.RATE_LIMIT


# --- login lock-out per (e-mail, client) -------------------------------------------------------------------------


def login(client, email, password, remote):
    return client.post(LOGIN, {"login": email, "password": password}, REMOTE_ADDR=remote)


@pytest.mark.django_db
def test_five_wrong_passwords_lock_the_attacker_not_the_officer(client, settings):
    settings.ESSAIM_TRUSTED_PROXIES = ""
    UserFactory(email="agente@territoire.example")
    for _ in range(5):
        login(client, "agente@territoire.example", "faux", "198.51.100.66")
    locked = login(client, "agente@territoire.example", PASSWORD, "198.51.100.66")
    assert "Trop de tentatives de connexion ont échoué" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    officer = client.__class__()
    response = login(officer, "agente@territoire.example", PASSWORD, "203.0.113.10")
    assert response.status_code == 302
    assert "_auth_user_id" in officer.session


@pytest.mark.django_db
def test_the_lock_out_follows_the_real_client_behind_the_proxy(client, settings):
    """Behind the proxy, rotating X-Forwarded-For does not give the attacker five more tries each time."""
    settings.ESSAIM_BEHIND_PROXY = True
    settings.ESSAIM_TRUSTED_PROXIES = "1"
    UserFactory(email="agente@territoire.example")
    for n in range(5):
        client.post(
            LOGIN,
            {"login": "agente@territoire.example", "password": "faux"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 198.51.100.66",
        )
    response = client.post(
        LOGIN,
        {"login": "agente@territoire.example", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="10.0.0.99, 198.51.100.66",
    )
    assert "Trop de tentatives de connexion ont échoué" in response.content.decode()
    officer = client.__class__()
    response = officer.post(
        LOGIN,
        {"login": "agente@territoire.example", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.10",
    )
    assert response.status_code == 302


# --- request bodies capped before they are read ------------------------------------------------------------------


def test_an_oversized_api_body_answers_413_in_json_unread(client, event, settings):
    settings.ESSAIM_API_MAX_BODY_BYTES = 1000
    body = '{"name": "' + "x" * 2000 + '", "email": "a@exemple.example"}'
    response = client.post(f"/api/v1/events/{event.pk}/registrations", body, content_type="application/json")
    assert response.status_code == 413
    assert response.json() == {"detail": "Requête trop volumineuse."}
    assert not event.sessions.get().registrations.exists()


@pytest.mark.django_db
def test_an_oversized_page_form_answers_413_with_a_french_page(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post(LOGIN, {"login": "a@exemple.example", "password": "x" * 5000})
    assert response.status_code == 413
    html = response.content.decode()
    assert "Requête trop volumineuse" in html
    assert "dépasse la taille permise" in html


def test_upload_views_accept_their_larger_limit_and_only_them(settings):
    from django.urls import resolve

    from essaim.core.bodylimit import limit_for

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    settings.ESSAIM_MAX_UPLOAD_BODY_BYTES = 9000
    settings.ESSAIM_API_MAX_BODY_BYTES = 500

    def limit(path):
        req = RequestFactory().post(path)
        req.resolver_match = resolve(path)
        return limit_for(req, req.resolver_match.func)

    assert limit("/aides/demandes/1/etapes/pieces/") == 9000
    assert limit("/aides/demandes/1/justificatifs-du-solde/") == 9000
    assert limit("/gestion/artois/identite/") == 9000
    assert limit("/agenda/gestion/artois/evenements/ajouter/") == 9000
    assert limit("/admin/directory/structure/add/") == 9000
    assert limit("/api/v1/grants/simulate") == 500
    assert limit("/compte/connexion/") == 1000
    assert limit("/agenda/evenements/1/inscription/") == 1000


@pytest.mark.django_db
def test_an_oversized_upload_is_refused_before_the_login_check(client, settings):
    """The limit holds before anything reads the body, even the CSRF check or the view's login redirect."""
    settings.ESSAIM_MAX_UPLOAD_BODY_BYTES = 1000
    response = client.post("/aides/demandes/1/etapes/pieces/", "x" * 2000, content_type="application/octet-stream")
    assert response.status_code == 413
