"""French error pages with DEBUG off (as `make demo` and production serve them): 400, 403, 404, 500, 503 and the
expired form (CSRF), including links from mails with a bad or expired token. Never Django's technical page."""

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client
from django.urls import include, path

from essaim.www import errors
from tests.browser.typography import TECHNICAL_PHRASES


def _boom(request):
    raise RuntimeError("boom")


def _forbidden(request):
    raise PermissionDenied


def _suspicious(request):
    raise SuspiciousOperation("bad")


# This module is also the URLconf of the tests below: the site's URLs plus three views that fail.
urlpatterns = [
    path("essai/500/", _boom),
    path("essai/403/", _forbidden),
    path("essai/400/", _suspicious),
    path("essai/503/", errors.service_unavailable),
    path("", include("config.urls")),
]
handler400 = "essaim.www.errors.bad_request"
handler403 = "essaim.www.errors.permission_denied"
handler404 = "essaim.www.errors.page_not_found"
handler500 = "essaim.www.errors.server_error"


def _assert_french_page(response, status, heading):
    assert response.status_code == status
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert heading in html
    for phrase in TECHNICAL_PHRASES:
        assert phrase not in html, phrase


@pytest.fixture
def error_urls(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = __name__
    return Client(raise_request_exception=False)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "status", "heading"),
    [
        ("/cette-page-n-existe-pas/", 404, "Ressource introuvable."),
        ("/essai/403/", 403, "Action non autorisée."),
        ("/essai/400/", 400, "Requête incorrecte."),
        ("/essai/500/", 500, "Erreur interne du serveur"),
        ("/essai/503/", 503, "Service momentanément indisponible"),
    ],
)
def test_error_pages_are_french_with_debug_off(error_urls, url, status, heading):
    response = error_urls.get(url)
    _assert_french_page(response, status, heading)
    if status == 503:
        assert response["Retry-After"] == "600"


@pytest.mark.django_db
def test_a_form_sent_after_its_page_expired_gets_a_french_page(settings):
    """Django's CSRF failure page is English ("Forbidden (403) CSRF verification failed") even with DEBUG off."""
    settings.DEBUG = False
    client = Client(enforce_csrf_checks=True)
    response = client.post("/compte/connexion/", {"login": "a@example.org", "password": "x"})
    _assert_french_page(response, 403, "Formulaire expiré.")
    assert "rechargez-la" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/agenda/inscriptions/jeton-invalide/annuler/",  # the cancel link of an event registration
        "/compte/confirmer-adresse/cle-invalide/",  # allauth's e-mail verification
        "/compte/mot-de-passe/reinitialiser/1-cle-invalide/",  # allauth's password reset
        "/compte/mot-de-passe/nouveau/MQ/jeton-invalide/",  # the old password reset links, still in mailboxes
    ],
)
def test_links_from_mails_with_a_bad_token_answer_in_french(url, settings, client):
    settings.DEBUG = False
    response = client.get(url, follow=True)
    assert response.status_code in {200, 400, 404, 410}
    html = response.content.decode()
    assert '<html lang="fr">' in html
    for phrase in TECHNICAL_PHRASES:
        assert phrase not in html, (url, phrase)
