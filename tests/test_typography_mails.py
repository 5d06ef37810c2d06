"""Mails carry absolute links built from the site's address, and amounts written the French way."""

import re
from pathlib import Path

import pytest
from django.core import mail
from django.test import RequestFactory

from essaim.core.links import absolute_url, site_url

TEMPLATES = Path(__file__).resolve().parent.parent / "essaim" / "templates"
MAIL_TEMPLATES = sorted(
    [*TEMPLATES.glob("*/mail/*.txt"), *TEMPLATES.glob("accounts/email/*.txt"), *TEMPLATES.glob("account/email/*.txt")]
)


def test_site_url_prefers_the_setting_then_the_request_then_the_demo(settings):
    settings.ALLOWED_HOSTS = ["ess.example.fr"]
    request = RequestFactory().get("/", HTTP_HOST="ess.example.fr")
    settings.ESSAIM_SITE_URL = ""
    assert site_url() == "http://127.0.0.1:8000"
    assert site_url(request) == "http://ess.example.fr"
    assert site_url("https://relai.example/") == "https://relai.example"
    settings.ESSAIM_SITE_URL = "https://ess.artois.example/"
    assert site_url(request) == "https://ess.artois.example"
    assert absolute_url("/aides/demandes/3/?onglet=pieces#suivi") == (
        "https://ess.artois.example/aides/demandes/3/?onglet=pieces#suivi"
    )
    assert absolute_url("http://localhost:8000/agenda/") == "https://ess.artois.example/agenda/"


def test_there_are_mail_templates_to_check():
    assert len(MAIL_TEMPLATES) >= 10


@pytest.mark.parametrize("template", MAIL_TEMPLATES, ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_mail_templates_build_absolute_links_and_french_amounts(template):
    """A ``{% url %}`` in a mail is prefixed by the site's address; amounts go through ``amount`` (8 000,00 €)."""
    text = template.read_text()
    relative = [
        line
        for line in text.splitlines()
        if "{% url " in line and not re.search(r"\{\{ ?site_url ?\}\}\{% url |\{% absolute_url ", line)
    ]
    assert relative == []
    assert "|euros" not in text and "|floatformat" not in text, template
    assert not re.search(r"\{\{ ?[\w.]*(amount|montant|total)[\w.]* ?\}\}", text), template


@pytest.mark.django_db
def test_a_registration_mail_links_back_absolutely(settings):
    """The confirmation of a registration: the event's page and the cancel link work when clicked."""
    from essaim.agenda.tasks import send_registration_mail
    from tests.agenda.factories import RegistrationFactory

    settings.ESSAIM_SITE_URL = "https://ess.artois.example"
    registration = RegistrationFactory()
    mail.outbox = []
    send_registration_mail.call(registration.pk, "confirmed")
    body = mail.outbox[-1].body
    links = re.findall(r"(?:https?://|/)[^\s]*(?:agenda|compte|aides)/[^\s]*", body)
    assert links
    assert all(link.startswith("https://ess.artois.example/") for link in links), links
