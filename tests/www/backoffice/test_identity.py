"""A territory's identity: what officers change, what only the network admin changes, and what is refused."""

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from essaim.territories.enums import TerritoryKind
from essaim.territories.models import Territory
from tests.www.backoffice.conftest import page_text, url


def _identity_data(territory, **overrides):
    data = {
        "name": territory.name,
        "official_name": territory.official_name,
        "kind": territory.kind,
        "description": "",
        "address": "100 avenue de Londres",
        "postcode": "62411",
        "city": "Béthune",
        "phone": "03 21 61 50 00",
        "website": "https://www.artoiscomm.example",
        "logo_alt": "",
        "color": "#1f4e79",
        "policy_summary": "",
        "policy_goals": "",
        "declared_population": "235000",
        "declared_population_year": "2014",
        "declared_communes_count": "65",
    }
    return {**data, **overrides}


def _image(fmt, name, size=(40, 20), noise=False):
    buffer = io.BytesIO()
    if noise:
        image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    else:
        image = Image.new("RGB", size, (31, 78, 121))
    image.save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


@pytest.mark.django_db
def test_officer_edits_the_identity_and_goals_one_per_line(officer_client, territory):
    """An officer changes the identity; goals typed one per line become a list without the empty lines."""
    response = officer_client.post(
        url("identity", territory),
        _identity_data(territory, name="Artois Comm", policy_goals="Rendre visible l'ESS\n\n  Essaimer  \n"),
    )
    assert response.status_code == 302
    territory.refresh_from_db()
    assert territory.name == "Artois Comm"
    assert territory.city == "Béthune"
    assert territory.policy_goals == ["Rendre visible l'ESS", "Essaimer"]
    assert territory.declared_communes_count == 65


@pytest.mark.django_db
def test_officer_cannot_change_the_network_facts(officer_client, territory):
    """SIREN, dates and network membership are the network admin's: officers don't see them, and a posted value
    is ignored."""
    siren = territory.siren
    text = page_text(officer_client.get(url("identity", territory)))
    assert 'name="siren"' not in text
    assert 'name="is_network_member"' not in text
    response = officer_client.post(url("identity", territory), _identity_data(territory, siren="130025265"))
    assert response.status_code == 302
    territory.refresh_from_db()
    assert (territory.siren, territory.is_network_member) == (siren, True)


@pytest.mark.django_db
def test_network_admin_also_edits_the_network_facts(network_client, territory, other_territory):
    """The network admin sees and changes SIREN, validity dates, successor and network membership."""
    text = page_text(network_client.get(url("identity", territory)))
    assert 'name="siren"' in text
    assert 'name="valid_until"' in text
    data = _identity_data(
        territory,
        siren="",
        valid_from="2014-01-01",
        valid_until="2016-12-31",
        successor=str(other_territory.pk),
        member_since="2015-03-01",
    )  # is_network_member left unticked
    response = network_client.post(url("identity", territory), data)
    assert response.status_code == 302
    territory.refresh_from_db()
    assert territory.siren is None
    assert (territory.successor, territory.is_network_member) == (other_territory, False)
    assert str(territory.valid_until) == "2016-12-31"


@pytest.mark.django_db
def test_end_date_must_follow_start_date(network_client, territory):
    """A territory cannot end before it starts: a French message, nothing written."""
    data = _identity_data(territory, siren=territory.siren, valid_from="2017-01-01", valid_until="2016-12-31")
    response = network_client.post(url("identity", territory), data)
    assert response.status_code == 200
    assert "La date de fin doit suivre la date de début." in page_text(response)
    territory.refresh_from_db()
    assert territory.valid_until is None


@pytest.mark.django_db
def test_a_too_light_colour_is_refused(officer_client, territory):
    """White text must stay readable on the brand colour: yellow is refused, the typed values are kept."""
    response = officer_client.post(
        url("identity", territory), _identity_data(territory, color="#ffff00", city="Bruay-la-Buissière")
    )
    assert response.status_code == 200
    text = page_text(response)
    assert "Cette couleur est trop claire" in text
    assert 'value="#ffff00"' in text
    assert 'value="Bruay-la-Buissière"' in text
    territory.refresh_from_db()
    assert (territory.color, territory.city) == ("#1f4e79", "")


@pytest.mark.django_db
def test_a_png_logo_with_its_alternative_text_is_saved(officer_client, territory):
    """A PNG logo is stored with its alternative text."""
    data = _identity_data(territory, logo=_image("PNG", "logo.png"), logo_alt="Logo d'Artois Comm.")
    response = officer_client.post(url("identity", territory), data)
    assert response.status_code == 302
    territory.refresh_from_db()
    assert territory.logo.name.startswith("territories/logos/logo")
    assert territory.logo_alt == "Logo d'Artois Comm."
    # The form then shows the current logo and lets it be cleared.
    text = page_text(officer_client.get(url("identity", territory)))
    assert territory.logo.url in text
    assert 'name="logo-clear"' in text


@pytest.mark.django_db
def test_a_logo_needs_an_alternative_text(officer_client, territory):
    """A logo without alternative text is refused (screen readers need it)."""
    response = officer_client.post(url("identity", territory), _identity_data(territory, logo=_image("PNG", "l.png")))
    assert response.status_code == 200
    assert "Décrivez le logo en quelques mots" in page_text(response)
    territory.refresh_from_db()
    assert not territory.logo


@pytest.mark.django_db
def test_a_logo_of_the_wrong_real_type_is_refused(officer_client, territory):
    """The real image type is checked, not the name: a GIF named .png is refused."""
    data = _identity_data(territory, logo=_image("GIF", "logo.png"), logo_alt="Logo")
    response = officer_client.post(url("identity", territory), data)
    assert response.status_code == 200
    assert "Format d'image refusé (GIF) : envoyez un fichier PNG, JPEG ou WebP." in page_text(response)
    territory.refresh_from_db()
    assert not territory.logo


@pytest.mark.django_db
def test_a_file_that_is_not_an_image_is_refused(officer_client, territory):
    """A text file named logo.png is refused by the image check."""
    fake = SimpleUploadedFile("logo.png", b"<svg>pas une image</svg>", content_type="image/png")
    response = officer_client.post(url("identity", territory), _identity_data(territory, logo=fake, logo_alt="L"))
    assert response.status_code == 200
    assert "Téléversez une image valide." in page_text(response)


@pytest.mark.django_db
def test_a_logo_over_one_megabyte_is_refused(officer_client, territory):
    """Uploaded logos weigh 1 MB at most."""
    big = _image("PNG", "logo.png", size=(700, 700), noise=True)
    assert big.size > 1024 * 1024
    response = officer_client.post(url("identity", territory), _identity_data(territory, logo=big, logo_alt="L"))
    assert response.status_code == 200
    assert "Ko au plus." in page_text(response)
    territory.refresh_from_db()
    assert not territory.logo


@pytest.mark.django_db
def test_invalid_identity_does_not_rename_the_page(officer_client, territory):
    """An invalid form shows the typed name in its field but the page keeps the territory's saved name."""
    response = officer_client.post(
        url("identity", territory), _identity_data(territory, name="Nouveau nom", postcode="ABC")
    )
    assert response.status_code == 200
    text = page_text(response)
    assert "5 chiffres attendus." in text
    assert 'value="Nouveau nom"' in text
    assert '<a href="/gestion/artois-comm/">Artois Comm.</a>' in text


@pytest.mark.django_db
def test_network_admin_edits_any_territorys_identity(network_client, territory):
    """The network admin may change the identity of a territory where they have no role."""
    data = _identity_data(territory, siren=territory.siren, kind=TerritoryKind.CC, is_network_member="on")
    assert network_client.post(url("identity", territory), data).status_code == 302
    assert Territory.objects.get(pk=territory.pk).kind == TerritoryKind.CC
