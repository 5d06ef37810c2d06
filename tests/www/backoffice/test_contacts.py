"""Contacts of a territory: create, edit, delete."""

import pytest
from django.contrib.messages import get_messages

from essaim.territories.enums import ContactKind
from essaim.territories.models import Contact
from tests.territories.factories import ContactFactory
from tests.www.backoffice.conftest import page_text, url


def _contact_data(**overrides):
    data = {
        "kind": ContactKind.ELECTED,
        "full_name": "Valérie Morel",
        "title": "Vice-présidente déléguée à l'ESS",
        "service": "",
        "function": "",
        "email": "valerie.morel@artoiscomm.example",
        "phone": "03 21 61 50 00",
        "position": "1",
    }
    return {**data, **overrides}


@pytest.mark.django_db
def test_officer_adds_a_contact(officer_client, territory):
    """An officer adds a contact to their territory and is told so in French."""
    response = officer_client.post(url("contact_create", territory), _contact_data())
    assert response.status_code == 302
    assert response["Location"] == url("contacts", territory)
    contact = Contact.objects.get()
    assert (contact.territory, contact.full_name, contact.kind) == (territory, "Valérie Morel", ContactKind.ELECTED)
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Ajout enregistré : Valérie Morel."]


@pytest.mark.django_db
def test_contact_list_shows_the_territorys_contacts_only(officer_client, territory, other_territory):
    """The list shows this territory's contacts, never another territory's."""
    ContactFactory(territory=territory, full_name="Valérie Morel")
    ContactFactory(territory=other_territory, full_name="Jean Ailleurs")
    content = officer_client.get(url("contacts", territory)).content.decode()
    assert "Valérie Morel" in content
    assert "Jean Ailleurs" not in content


@pytest.mark.django_db
def test_invalid_contact_keeps_typed_values_and_shows_errors(officer_client, territory):
    """A contact without a name or with a wrong e-mail is refused; what was typed stays in the form."""
    response = officer_client.post(
        url("contact_create", territory), _contact_data(full_name="", email="pas-une-adresse")
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Ce champ est obligatoire." in content
    assert "Saisissez une adresse de courriel valide." in content
    assert 'value="pas-une-adresse"' in content
    assert not Contact.objects.exists()


@pytest.mark.django_db
def test_officer_edits_a_contact(officer_client, territory):
    """An officer changes a contact of their territory."""
    contact = ContactFactory(territory=territory, full_name="Valérie Morel")
    response = officer_client.post(
        url("contact_update", territory, contact.pk), _contact_data(full_name="Valérie Morel-Durand")
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.full_name == "Valérie Morel-Durand"


@pytest.mark.django_db
def test_contact_deletion_asks_then_deletes_on_post(officer_client, territory):
    """GET only shows a confirmation; POST deletes."""
    contact = ContactFactory(territory=territory, full_name="Valérie Morel")
    response = officer_client.get(url("contact_delete", territory, contact.pk))
    assert "Voulez-vous vraiment supprimer « Valérie Morel »" in page_text(response)
    assert Contact.objects.filter(pk=contact.pk).exists()
    response = officer_client.post(url("contact_delete", territory, contact.pk))
    assert response.status_code == 302
    assert not Contact.objects.filter(pk=contact.pk).exists()


@pytest.mark.django_db
def test_foreign_contact_cannot_be_edited_through_own_territory(officer_client, territory, other_territory):
    """Another territory's contact id under one's own territory gives 404 and the contact is untouched."""
    contact = ContactFactory(territory=other_territory, full_name="Jean Ailleurs")
    response = officer_client.post(url("contact_update", territory, contact.pk), _contact_data())
    assert response.status_code == 404
    response = officer_client.post(url("contact_delete", territory, contact.pk))
    assert response.status_code == 404
    contact.refresh_from_db()
    assert (contact.full_name, contact.territory) == ("Jean Ailleurs", other_territory)


@pytest.mark.django_db
def test_network_admin_edits_any_territorys_contact(network_client, territory):
    """The network admin may edit a contact of a territory where they have no role."""
    contact = ContactFactory(territory=territory)
    response = network_client.post(url("contact_update", territory, contact.pk), _contact_data())
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.full_name == "Valérie Morel"


@pytest.mark.django_db
def test_commission_member_cannot_add_a_contact(client, territory):
    """A commission member's POST is refused and writes nothing."""
    from tests.accounts.factories import MembershipFactory

    client.force_login(MembershipFactory(territory=territory, commission=True).user)
    assert client.post(url("contact_create", territory), _contact_data()).status_code == 403
    assert not Contact.objects.exists()
