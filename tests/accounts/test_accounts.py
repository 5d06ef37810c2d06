"""Login, lock-out, password reset, the old URLs, RGPD export and erasure (allauth under our templates)."""

import json
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils.http import urlsafe_base64_encode

from essaim.accounts.models import Membership, User
from tests.accounts.factories import PASSWORD, MembershipFactory, UserFactory

LOGIN = "/compte/connexion/"


def login(client, email, password=PASSWORD, **extra):
    return client.post(LOGIN, {"login": email, "password": password, **extra})


@pytest.mark.django_db
def test_login_with_email_and_password_whatever_its_case(client):
    user = UserFactory(email="agent@territoire.example")
    response = login(client, "AGENT@territoire.example")
    assert response.status_code == 302
    assert response.url == reverse("accounts:profile")
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_login_goes_back_where_the_person_was(client):
    UserFactory(email="agent@territoire.example")
    response = login(client, "agent@territoire.example", next="/agenda/proposer/")
    assert response.url == "/agenda/proposer/"


@pytest.mark.django_db
def test_the_login_page_is_french_and_offers_to_sign_up_keeping_next(client):
    html = client.get(LOGIN + "?next=/aides/").content.decode()
    assert 'type="email"' in html and 'type="password"' in html
    assert "Mot de passe oublié" in html
    assert 'href="/compte/inscription/?next=%2Faides%2F"' in html
    assert 'name="next" value="/aides/"' in html


@pytest.mark.django_db
def test_wrong_password_keeps_the_email_and_says_why_in_french(client):
    UserFactory(email="agent@territoire.example")
    response = login(client, "agent@territoire.example", "faux")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Adresse e-mail ou mot de passe incorrect" in html
    assert 'value="agent@territoire.example"' in html
    # str.split() would also split on the no-break space the title must keep: collapse only ASCII whitespace.
    title = re.sub(r"[ \t\r\n]+", " ", re.search(r"<title>(.*?)</title>", html, re.S).group(1)).strip()
    assert title.startswith("Erreur\u00a0: ")


@pytest.mark.django_db
def test_login_is_locked_after_five_failures_even_with_the_right_password(client):
    """allauth's rate limit on failed logins (5 per address in 15 minutes) replaces django-axes."""
    UserFactory(email="cible@territoire.example")
    for _ in range(5):
        login(client, "cible@territoire.example", "faux")
    response = login(client, "cible@territoire.example")
    assert "Trop de tentatives de connexion ont échoué pour cette adresse" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_lock_is_per_address(client):
    UserFactory(email="cible@territoire.example")
    UserFactory(email="autre@territoire.example")
    for _ in range(5):
        login(client, "cible@territoire.example", "faux")
    assert login(client, "autre@territoire.example").status_code == 302


@pytest.mark.django_db
def test_password_reset_by_mail_end_to_end(client, settings):
    settings.ESSAIM_SITE_URL = "https://ess.example.fr"
    UserFactory(email="oubli@territoire.example")
    response = client.post(reverse("accounts:password_reset"), {"email": "oubli@territoire.example"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Essaim\u00a0: choisir un nouveau mot de passe"
    link = re.search(r"https://ess\.example\.fr(/compte/mot-de-passe/reinitialiser/\S+/)", message.body).group(1)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"password1": "un-nouveau-secret-2026", "password2": "un-nouveau-secret-2026"})
    assert response.status_code == 302
    assert User.objects.get(email="oubli@territoire.example").check_password("un-nouveau-secret-2026")
    assert "réinitialisé" in mail.outbox[-1].subject  # the notification of the change


@pytest.mark.django_db
def test_a_used_or_bad_reset_link_says_so_in_french(client):
    response = client.get("/compte/mot-de-passe/reinitialiser/1-mauvais-jeton/")
    html = response.content.decode()
    assert "Lien expiré ou déjà utilisé" in html
    assert reverse("accounts:password_reset") in html


@pytest.mark.django_db
def test_reset_links_of_the_old_format_still_work(client):
    """Links mailed before allauth (/compte/mot-de-passe/nouveau/<uidb64>/<token>/) carry the same token."""
    from django.contrib.auth.tokens import default_token_generator

    user = UserFactory()
    token = default_token_generator.make_token(user)
    old = f"/compte/mot-de-passe/nouveau/{urlsafe_base64_encode(str(user.pk).encode())}/{token}/"
    response = client.get(old, follow=True)
    assert response.status_code == 200
    assert "Nouveau mot de passe" in response.content.decode()
    assert "Lien expiré" not in response.content.decode()


@pytest.mark.django_db
def test_password_reset_says_nothing_about_unknown_addresses(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "personne@nulle-part.example"})
    assert response.status_code == 302
    assert mail.outbox == []


@pytest.mark.django_db
def test_export_my_data_as_json(client):
    membership = MembershipFactory(admin=True)
    client.force_login(membership.user)
    response = client.get(reverse("accounts:export"))
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["account"]["email"] == membership.user.email
    assert data["memberships"][0]["role"] == "admin"
    assert data["email_addresses"] == [{"email": membership.user.email, "verified": True, "primary": True}]
    assert {"inscriptions", "demandes-d-aide", "structures", "evenements-proposes"} <= set(data)
    assert data["access_records"] == []


@pytest.mark.django_db
def test_my_data_include_the_lists_i_opened_and_downloaded(client):
    from essaim.core.audit import REGISTRANTS, record_access
    from essaim.core.models import AccessRecord

    officer = MembershipFactory().user
    record_access(user=officer, action=AccessRecord.EXPORT, subject=REGISTRANTS, label="Inscrits : Café citoyen")
    record_access(user=UserFactory(), action=AccessRecord.VIEW, subject=REGISTRANTS, label="Autre")
    client.force_login(officer)
    records = json.loads(client.get(reverse("accounts:export")).content)["access_records"]
    assert [(r["action"], r["data"]) for r in records] == [("téléchargement", "Inscrits : Café citoyen")]


@pytest.mark.django_db
def test_erase_my_account_needs_my_password_and_erases_my_roles_and_addresses(client):
    membership = MembershipFactory()
    user = membership.user
    client.force_login(user)
    response = client.post(reverse("accounts:erase"), {"password": "faux", "confirm": "on"})
    assert "Mot de passe incorrect" in response.content.decode()
    assert User.objects.filter(pk=user.pk).exists()
    response = client.post(reverse("accounts:erase"), {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert not EmailAddress.objects.filter(email=user.email).exists()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_space_requires_login_and_logout_asks_then_posts(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302 and "/compte/connexion/" in response.url
    client.force_login(UserFactory())
    response = client.get(reverse("accounts:logout"))
    assert response.status_code == 200 and "Se déconnecter" in response.content.decode()
    assert "_auth_user_id" in client.session
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_every_account_page_keeps_its_url_and_answers(client):
    """The URLs of before allauth still answer; the pages that need a person send to the login."""
    for url in ["/compte/connexion/", "/compte/inscription/", "/compte/mot-de-passe/oubli/",
                "/compte/mot-de-passe/oubli/envoye/", "/compte/mot-de-passe/nouveau/fait/",
                "/compte/conditions-d-utilisation/", "/compte/confirmer-adresse/",
                "/compte/confirmer-adresse/renvoyer/"]:  # fmt: skip
        assert client.get(url).status_code == 200, url
    for url in ["/compte/", "/compte/mot-de-passe/", "/compte/mes-informations/", "/compte/supprimer/",
                "/compte/adresse-e-mail/", "/compte/mes-donnees.json"]:  # fmt: skip
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/compte/connexion/"), url
    client.force_login(UserFactory())
    for url in ["/compte/", "/compte/mot-de-passe/", "/compte/mes-informations/", "/compte/supprimer/",
                "/compte/adresse-e-mail/", "/compte/mes-donnees.json"]:  # fmt: skip
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_profile_form_changes_the_full_name(client):
    user = UserFactory(full_name="")
    client.force_login(user)
    response = client.post(reverse("accounts:profile_edit"), {"full_name": "  Élodie   Deprez "})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.full_name == "Élodie Deprez"


@pytest.mark.django_db
def test_changing_the_address_needs_its_confirmation(client):
    user = UserFactory(email="ancienne@territoire.example")
    client.force_login(user)
    response = client.post(reverse("account_email"), {"email": "nouvelle@territoire.example", "action_add": ""})
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["nouvelle@territoire.example"]
    user.refresh_from_db()
    assert user.email == "ancienne@territoire.example"  # until the new one is confirmed
    link = re.search(r"http://testserver(/compte/confirmer-adresse/\S+/)", mail.outbox[-1].body).group(1)
    client.post(link)
    user.refresh_from_db()
    assert user.email == "nouvelle@territoire.example"


@pytest.mark.django_db
def test_emails_are_unique_whatever_their_case():
    UserFactory(email="a@b.example")
    with pytest.raises(ValueError):
        User.objects.create_user(email="")
    assert User.objects.get_by_natural_key("A@B.EXAMPLE").email == "a@b.example"


@pytest.mark.django_db
def test_the_operators_superuser_has_a_verified_address(client):
    User.objects.create_superuser(email="ops@territoire.example", password=PASSWORD)
    assert EmailAddress.objects.get(email="ops@territoire.example").verified
    assert login(client, "ops@territoire.example").status_code == 302


def test_erasing_an_applicant_keeps_the_public_record_but_not_the_account(client, demo):
    """Erasure works for a person with grant applications, messages and logs: the account goes, the files stay."""
    from essaim.accounts.demo import load_demo_accounts
    from essaim.accounts.services import user_erase
    from essaim.grants.demo import load_demo_grants
    from essaim.grants.models import Application

    load_demo_accounts(demo)
    load_demo_grants(territories=demo)
    applicant = User.objects.get(email="porteur@essaim.example")
    files = Application.objects.filter(applicant=applicant).count()
    assert files
    officer = User.objects.get(email="agent@bethune-bruay.example")
    user_erase(user=applicant)
    user_erase(user=officer)
    assert not User.objects.filter(email__in=["porteur@essaim.example", "agent@bethune-bruay.example"]).exists()
    assert Application.objects.filter(applicant__isnull=True).count() >= files


def test_demo_accounts_have_plausible_names_verified_addresses_and_an_elected_member(client, demo):
    from essaim.accounts.demo import DEMO_PASSWORD, load_demo_accounts

    printed = dict(load_demo_accounts(demo))
    load_demo_accounts(demo)  # idempotent
    assert "elu@bethune-bruay.example" in printed and "fictive" in printed["elu@bethune-bruay.example"]
    elected = User.objects.get(email="elu@bethune-bruay.example")
    assert elected.memberships.get().role == "elected"
    for user in User.objects.all():
        assert not re.search(r"Chargée|Porteur|Structure|Admin|Réseau|démo", user.full_name), user.full_name
        assert EmailAddress.objects.filter(user=user, verified=True, primary=True).count() == 1
    assert login(client, "elu@bethune-bruay.example", DEMO_PASSWORD).status_code == 302
