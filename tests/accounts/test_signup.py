"""Sign-up with consent to the terms, mandatory e-mail verification, resend of the link, bad links."""

import re
from html import unescape

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from essaim.accounts.models import User
from tests.accounts.factories import PASSWORD, UserFactory

SIGNUP = "/compte/inscription/"
GOOD = {"email": "Nouvelle@Asso.example", "password1": "une phrase de passe solide", "terms": "on"}


def confirmation_link(message, host="http://testserver"):
    return re.search(re.escape(host) + r"(/compte/confirmer-adresse/\S+/)", message.body).group(1)


@pytest.mark.django_db
def test_sign_up_records_consent_and_mails_an_absolute_french_link(client, settings):
    settings.ESSAIM_SITE_URL = "https://ess.example.fr/"
    response = client.post(SIGNUP, {**GOOD, "full_name": " Aurélie  Vandenberghe "})
    assert response.status_code == 302 and response.url == reverse("account_email_verification_sent")
    user = User.objects.get(email="nouvelle@asso.example")
    assert user.full_name == "Aurélie Vandenberghe"
    assert user.terms_accepted_at is not None and user.terms_version == settings.ESSAIM_TERMS_VERSION
    assert not EmailAddress.objects.get(user=user).verified
    assert "_auth_user_id" not in client.session  # not logged in before the address is confirmed
    (message,) = mail.outbox
    assert message.subject == "Essaim\u00a0: confirmez votre adresse e-mail"
    assert message.to == ["nouvelle@asso.example"]
    assert confirmation_link(message, "https://ess.example.fr")
    page = client.get(response.url).content.decode()
    assert "nouvelle@asso.example" in page and "Renvoyer le lien" in page


@pytest.mark.django_db
def test_following_the_link_confirms_the_address_and_logs_in(client):
    client.post(SIGNUP, GOOD)
    link = confirmation_link(mail.outbox[0])
    page = client.get(link)
    assert page.status_code == 200 and "Confirmer mon adresse" in page.content.decode()
    response = client.post(link)
    assert response.status_code == 302 and response.url == reverse("accounts:profile")
    user = User.objects.get(email="nouvelle@asso.example")
    assert EmailAddress.objects.get(user=user).verified
    assert client.session["_auth_user_id"] == str(user.pk)
    assert "Vous n'êtes inscrit·e à aucun événement" in client.get(response.url).content.decode()


@pytest.mark.django_db
def test_login_is_refused_until_the_address_is_confirmed(client):
    """The right password is not enough: a new link is mailed and the page says what to do."""
    UserFactory(email="pas-confirmee@asso.example", verified=False)
    response = client.post("/compte/connexion/", {"login": "pas-confirmee@asso.example", "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    assert mail.outbox[-1].to == ["pas-confirmee@asso.example"]
    html = client.get(response.url).content.decode()
    assert "vous ne pourrez pas vous connecter avant" in html
    assert "pas-confirmee@asso.example" in html


@pytest.mark.django_db
def test_consent_and_a_strong_password_are_required_with_french_errors(client):
    response = client.post(SIGNUP, {"email": "x@asso.example", "password1": "123456"})
    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert "Acceptez les conditions d'utilisation" in html
    assert "Ce mot de passe est trop court" in html  # Django's validators, in French
    assert 'value="x@asso.example"' in html  # values kept
    assert "Le formulaire contient" in html  # the error summary
    assert not User.objects.exists()


@pytest.mark.django_db
def test_signing_up_with_a_taken_address_reveals_nothing_and_mails_its_owner(client):
    UserFactory(email="deja@asso.example")
    response = client.post(SIGNUP, {**GOOD, "email": "deja@asso.example"})
    assert response.status_code == 302 and response.url == reverse("account_email_verification_sent")
    assert User.objects.filter(email="deja@asso.example").count() == 1
    assert mail.outbox[-1].subject == "Essaim\u00a0: vous avez déjà un compte"
    assert "/compte/mot-de-passe/oubli/" in mail.outbox[-1].body


@pytest.mark.django_db
def test_a_bad_or_expired_link_explains_and_offers_a_new_one(client):
    for method in (client.get, client.post):
        response = method("/compte/confirmer-adresse/mauvaise-cle/")
        html = response.content.decode()
        assert "Ce lien n'est plus valable" in html
        assert reverse("accounts:resend_verification") in html
        assert "Traceback" not in html and "Page not found" not in html


@pytest.mark.django_db
def test_resend_answers_the_same_for_any_address_and_mails_only_a_waiting_one(client):
    UserFactory(email="attente@asso.example", verified=False)
    UserFactory(email="active@asso.example")
    url = reverse("accounts:resend_verification")
    for email in ("attente@asso.example", "active@asso.example", "inconnue@asso.example"):
        response = client.post(url, {"email": email}, follow=True)
        assert "Si un compte en attente de confirmation existe" in response.content.decode()
    assert [m.to for m in mail.outbox] == [["attente@asso.example"]]
    client.post(SIGNUP, GOOD)
    link = confirmation_link(mail.outbox[-1])
    client.post(link)
    assert EmailAddress.objects.get(email="nouvelle@asso.example").verified


@pytest.mark.django_db
def test_resending_is_rate_limited(client):
    """One mail per address every 3 minutes, and at most 5 requests a minute from one client."""
    UserFactory(email="attente@asso.example", verified=False)
    url = reverse("accounts:resend_verification")
    for _ in range(5):
        client.post(url, {"email": "attente@asso.example"})
    assert len(mail.outbox) == 1
    response = client.post(url, {"email": "attente@asso.example"})
    assert "Trop de demandes" in response.content.decode()


@pytest.mark.django_db
def test_the_terms_of_use_page_is_real_and_dated(client):
    html = client.get(reverse("accounts:terms")).content.decode()
    assert "Conditions d'utilisation" in html
    assert "1er décembre 2026" in html
    assert "Données personnelles" in html and "Licence Ouverte" in html
