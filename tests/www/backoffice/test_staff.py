"""The team of a territory: its admin gives, changes and withdraws roles."""

import pytest

from essaim.accounts.enums import Role
from essaim.accounts.models import Membership, User
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.www.backoffice.conftest import page_text, url


@pytest.mark.django_db
def test_admin_sees_the_team(admin_client, territory, other_territory):
    """The team page lists the territory's memberships with their roles, not another territory's."""
    MembershipFactory(territory=territory, user__email="claire@artois.example", commission=True)
    MembershipFactory(territory=other_territory, user__email="jean@ternois.example")
    text = page_text(admin_client.get(url("staff", territory)))
    assert "claire@artois.example" in text
    assert "membre de la commission" in text
    assert "jean@ternois.example" not in text


@pytest.mark.django_db
def test_admin_adds_a_person_by_email(admin_client, territory):
    """An existing account gets a role from its e-mail address, whatever its case."""
    person = UserFactory(email="claire@artois.example")
    response = admin_client.post(url("staff", territory), {"email": "Claire@Artois.example", "role": Role.OFFICER})
    assert response.status_code == 302
    assert response["Location"] == url("staff", territory)
    assert Membership.objects.get(user=person).role == Role.OFFICER


@pytest.mark.django_db
def test_unknown_email_gets_a_clear_error(admin_client, territory):
    """No account is created from the back office: an unknown address is refused with a French explanation."""
    response = admin_client.post(url("staff", territory), {"email": "inconnue@exemple.example", "role": Role.OFFICER})
    assert response.status_code == 200
    text = page_text(response)
    assert (
        "Aucun compte n'existe avec l'adresse inconnue@exemple.example : la personne doit d'abord créer son compte."
        in text
    )
    assert 'value="inconnue@exemple.example"' in text
    assert Membership.objects.count() == 1  # the admin's own


@pytest.mark.django_db
def test_a_person_already_in_the_team_is_not_added_twice(admin_client, territory):
    """One role per territory: adding an existing member says to change their role instead."""
    member = MembershipFactory(territory=territory, commission=True).user
    response = admin_client.post(url("staff", territory), {"email": member.email, "role": Role.OFFICER})
    assert response.status_code == 200
    assert "Cette personne a déjà un rôle dans ce territoire" in page_text(response)
    assert Membership.objects.get(user=member).role == Role.COMMISSION


@pytest.mark.django_db
def test_admin_changes_a_role(admin_client, territory):
    """The admin turns a commission member into an officer."""
    membership = MembershipFactory(territory=territory, commission=True)
    response = admin_client.post(url("membership_update", territory, membership.pk), {"role": Role.OFFICER})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.OFFICER


@pytest.mark.django_db
def test_admin_cannot_demote_themself(admin_client, territory, admin_user):
    """A territory must not lose its admin by accident: one's own admin role cannot be lowered."""
    own = Membership.objects.get(user=admin_user, territory=territory)
    response = admin_client.post(url("membership_update", territory, own.pk), {"role": Role.OFFICER})
    assert response.status_code == 200
    assert "Vous ne pouvez pas retirer votre propre rôle d'administrateur·rice de ce territoire" in page_text(response)
    own.refresh_from_db()
    assert own.role == Role.ADMIN


@pytest.mark.django_db
def test_admin_cannot_remove_themself(admin_client, territory, admin_user):
    """The confirmation page explains why, without a button; a POST is refused too."""
    own = Membership.objects.get(user=admin_user, territory=territory)
    text = page_text(admin_client.get(url("membership_delete", territory, own.pk)))
    assert "Vous ne pouvez pas retirer votre propre rôle" in text
    assert "Retirer le rôle</button>" not in text
    response = admin_client.post(url("membership_delete", territory, own.pk))
    assert response.status_code == 200
    assert "Vous ne pouvez pas retirer votre propre rôle" in page_text(response)
    assert Membership.objects.filter(pk=own.pk).exists()


@pytest.mark.django_db
def test_admin_removes_another_persons_role(admin_client, territory):
    """Removing a role (POST after confirmation) deletes the membership, never the account."""
    membership = MembershipFactory(territory=territory)
    response = admin_client.post(url("membership_delete", territory, membership.pk))
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert User.objects.filter(pk=membership.user_id).exists()


@pytest.mark.django_db
def test_another_admin_may_remove_an_admin(admin_client, territory):
    """Only one's own admin role is protected: an admin may demote another admin."""
    other_admin = MembershipFactory(territory=territory, admin=True)
    response = admin_client.post(url("membership_update", territory, other_admin.pk), {"role": Role.OFFICER})
    assert response.status_code == 302
    other_admin.refresh_from_db()
    assert other_admin.role == Role.OFFICER


@pytest.mark.django_db
def test_officer_cannot_manage_staff(officer_client, territory):
    """An officer edits content but cannot give roles: 403 and nothing written."""
    person = UserFactory()
    response = officer_client.post(url("staff", territory), {"email": person.email, "role": Role.ADMIN})
    assert response.status_code == 403
    assert not Membership.objects.filter(user=person).exists()


@pytest.mark.django_db
def test_admin_of_another_territory_cannot_manage_this_team(client, territory, other_territory):
    """A territory admin has no say on another territory's team."""
    client.force_login(MembershipFactory(territory=other_territory, admin=True).user)
    membership = MembershipFactory(territory=territory)
    assert client.get(url("staff", territory)).status_code == 403
    assert client.post(url("membership_delete", territory, membership.pk)).status_code == 403
    assert Membership.objects.filter(pk=membership.pk).exists()


@pytest.mark.django_db
def test_foreign_membership_is_not_found(admin_client, territory, other_territory):
    """Another territory's membership id under one's own territory gives 404 and stays."""
    membership = MembershipFactory(territory=other_territory)
    assert admin_client.post(url("membership_update", territory, membership.pk), {"role": "admin"}).status_code == 404
    assert admin_client.post(url("membership_delete", territory, membership.pk)).status_code == 404
    membership.refresh_from_db()
    assert membership.role == Role.OFFICER


@pytest.mark.django_db
def test_network_admin_appoints_a_territorys_first_admin(network_client, territory):
    """The network admin may give a territory its first admin."""
    person = UserFactory()
    response = network_client.post(url("staff", territory), {"email": person.email, "role": Role.ADMIN})
    assert response.status_code == 302
    assert Membership.objects.get(user=person, territory=territory).role == Role.ADMIN
