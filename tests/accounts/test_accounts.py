import json
import re

import pytest
from django.core import mail
from django.urls import reverse

from essaim.accounts.models import Membership, User
from tests.accounts.factories import PASSWORD, MembershipFactory, UserFactory


@pytest.mark.django_db
def test_login_with_email_and_password(client):
    user = UserFactory(email="agent@territoire.example")
    response = client.post(reverse("accounts:login"), {"username": "AGENT@territoire.example", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("accounts:profile")
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_wrong_password_keeps_the_email_and_says_why_in_french(client):
    UserFactory(email="agent@territoire.example")
    response = client.post(reverse("accounts:login"), {"username": "agent@territoire.example", "password": "faux"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Adresse e-mail ou mot de passe incorrect" in html
    assert 'value="agent@territoire.example"' in html


@pytest.mark.django_db
def test_login_is_rate_limited_after_five_failures(client):
    """django-axes: the sixth attempt is locked out, even with the right password."""
    UserFactory(email="cible@territoire.example")
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": "cible@territoire.example", "password": "faux"})
    response = client.post(reverse("accounts:login"), {"username": "cible@territoire.example", "password": PASSWORD})
    assert response.status_code == 429
    assert "Connexion temporairement bloquée" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_password_reset_by_mail_end_to_end(client):
    UserFactory(email="oubli@territoire.example")
    response = client.post(reverse("accounts:password_reset"), {"email": "oubli@territoire.example"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Essaim : choisir un nouveau mot de passe"
    link = re.search(r"http://testserver(/compte/mot-de-passe/nouveau/\S+/)", message.body).group(1)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "un-nouveau-secret-2026", "new_password2": "un-nouveau-secret-2026"}
    )
    assert response.status_code == 302
    assert User.objects.get(email="oubli@territoire.example").check_password("un-nouveau-secret-2026")


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


@pytest.mark.django_db
def test_erase_my_account_needs_my_password_and_erases_my_roles(client):
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
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_profile_requires_login_and_logout_is_post_only(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302 and "/compte/connexion/" in response.url
    client.force_login(UserFactory())
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_emails_are_unique_whatever_their_case():
    UserFactory(email="a@b.example")
    with pytest.raises(ValueError):
        User.objects.create_user(email="")
    assert User.objects.get_by_natural_key("A@B.EXAMPLE").email == "a@b.example"


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
