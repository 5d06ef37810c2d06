""" "Mon espace" for support: a holder's "Mon projet" block (stage, next steps shared with them, bookings with their
manage link, applications), a partner adviser's "Mes orientations" block, and the RGPD export."""

import json
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from essaim.support.enums import Stage
from essaim.support.models import Booking
from essaim.support.services import projects as services
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.grants.factories import SchemeFactory
from tests.support.factories import (
    BookingFactory,
    OpeningRangeFactory,
    PartnerAdviserFactory,
    ProjectFactory,
    ReferralFactory,
)

pytestmark = pytest.mark.django_db
SPACE = "/compte/"


def text(response):
    return unescape(response.content.decode()).replace("\u00a0", " ")


def test_the_holder_sees_their_project_its_shared_steps_bookings_and_applications(client):
    officer = MembershipFactory()
    holder = UserFactory(email="camille@example.org")
    project = ProjectFactory(
        territory=officer.territory, holder_email="CAMILLE@example.org", title="Recyclerie", stage=Stage.STUDY
    )
    services.next_step_add(project=project, by=officer.user, title="Rencontrer la BGE")
    services.next_step_add(project=project, by=officer.user, title="Étape interne", shared_with_holder=False)
    booking = BookingFactory(opening_range__territory=officer.territory, email="camille@example.org")
    Booking.objects.filter(pk=booking.pk).update(project=project)
    application = services.application_from_project(
        project=project, scheme=SchemeFactory(territory=officer.territory), user=holder
    )
    client.force_login(holder)
    page = text(client.get(SPACE))
    assert "Mon projet" in page
    assert "Recyclerie" in page
    assert "étape : <strong>étude</strong>" in page
    assert "Rencontrer la BGE" in page
    assert "Étape interne" not in page
    assert reverse("support:booking", kwargs={"token": booking.token}) in page
    assert application.reference in page
    assert "1 projet en cours" in page


def test_someone_else_sees_no_project_block(client):
    ProjectFactory(holder_email="camille@example.org", title="Recyclerie")
    client.force_login(UserFactory(email="dominique@example.org"))
    page = text(client.get(SPACE))
    assert "Recyclerie" not in page
    assert 'id="mon-projet"' not in page
    assert 'id="mes-orientations"' not in page


def test_a_partner_adviser_sees_counts_and_the_link_to_their_board(client):
    adviser = PartnerAdviserFactory()
    ReferralFactory(partner=adviser.partner, project__territory=adviser.partner.territory)
    ReferralFactory(partner=adviser.partner, project__territory=adviser.partner.territory)
    ReferralFactory()  # another partner's
    client.force_login(adviser.user)
    page = text(client.get(SPACE))
    assert "2 orientations à prendre en charge, 0 en cours." in page
    assert reverse("support:partner_board") in page
    assert "Permanences de" not in page


def test_a_partner_adviser_who_receives_reaches_their_days_and_calendar_from_their_space(client):
    adviser = PartnerAdviserFactory()
    territory = adviser.partner.territory
    OpeningRangeFactory(territory=territory, adviser=adviser.user)
    client.force_login(adviser.user)
    page = client.get(SPACE).content.decode()
    assert f'href="{reverse("support:day", args=[territory.slug])}"' in page
    assert f'href="{reverse("support:feed_settings", args=[territory.slug])}"' in page
    assert client.get(reverse("support:day", args=[territory.slug])).status_code == 200


def test_the_export_holds_the_holders_projects(client):
    holder = UserFactory(email="camille@example.org")
    ProjectFactory(
        holder=holder, holder_email="camille@example.org", holder_phone="06 00 00 00 00", title="Recyclerie"
    )
    client.force_login(holder)
    data = json.loads(client.get(reverse("accounts:export")).content)
    assert [p["title"] for p in data["mon-projet"]] == ["Recyclerie"]
    assert data["mon-projet"][0]["holder_phone"] == "06 00 00 00 00"


def test_an_anonymised_project_leaves_the_space(client):
    holder = UserFactory(email="camille@example.org")
    ProjectFactory(holder=holder, title="Recyclerie", anonymised_at=timezone.now())
    client.force_login(holder)
    assert "Recyclerie" not in text(client.get(SPACE))


def test_the_project_block_takes_a_constant_number_of_queries(client, django_assert_max_num_queries):
    holder = UserFactory(email="camille@example.org")
    officer = MembershipFactory()
    for i in range(3):
        project = ProjectFactory(territory=officer.territory, holder=holder, title=f"Projet {i}")
        services.next_step_add(project=project, by=officer.user, title=f"Étape {i}")
        booking = BookingFactory(opening_range__territory=officer.territory, email="camille@example.org")
        Booking.objects.filter(pk=booking.pk).update(project=project)
    client.force_login(holder)
    with django_assert_max_num_queries(16):  # with the club's two (member structures, roles)
        page = text(client.get(SPACE))
    assert "3 projets en cours" in page
