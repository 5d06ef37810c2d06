"""Invitations to book a motif (the motifs open only to invited or referred people): a secret token valid 30
days, a mail with the absolute link of the motif's page carrying ``?invitation=<token>``, sent after the commit."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from essaim.support.enums import BookableBy
from essaim.support.models import Invitation
from essaim.support.services import setup
from tests.accounts.factories import MembershipFactory
from tests.support.factories import MotifFactory, PartnerFactory, ProjectFactory
from tests.territories.factories import TerritoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def motif():
    return MotifFactory(title="Test d'activité en CAE", slug="test-activite", bookable_by=BookableBy.REFERRED)


@pytest.fixture
def officer(motif):
    return MembershipFactory(territory=motif.territory).user


def test_an_invitation_has_a_secret_token_valid_thirty_days_and_says_who_invited(motif, officer):
    partner = PartnerFactory(territory=motif.territory)
    project = ProjectFactory(territory=motif.territory)
    before = timezone.now()
    invitation = setup.invitation_create(
        motif=motif,
        name="  Camille   Porteur ",
        email="Camille@Example.org",
        by=officer,
        partner=partner,
        project=project,
    )
    other = setup.invitation_create(motif=motif, name="Dominique", email="d@example.org", by=officer)
    assert len(invitation.token) >= 40
    assert invitation.token != other.token
    assert invitation.name == "Camille Porteur"
    assert invitation.email == "camille@example.org"
    assert invitation.territory == motif.territory
    assert (invitation.created_by, invitation.partner, invitation.project) == (officer, partner, project)
    assert (
        before + datetime.timedelta(days=30) <= invitation.expires_at <= timezone.now() + datetime.timedelta(days=30)
    )
    assert invitation.used_at is None


def test_the_mail_carries_the_absolute_link_of_the_motif_with_the_token(
    motif, officer, settings, django_capture_on_commit_callbacks
):
    settings.ESSAIM_SITE_URL = "https://ess.artois.example"
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        invitation = setup.invitation_create(motif=motif, name="Camille Porteur", email="c@example.org", by=officer)
    (message,) = mail.outbox
    assert message.to == ["c@example.org"]
    assert message.subject == "Invitation à prendre rendez-vous : Test d'activité en CAE"
    path = reverse("support:motif", kwargs={"slug": motif.territory.slug, "motif": "test-activite"})
    assert f"https://ess.artois.example{path}?invitation={invitation.token}" in message.body
    assert "Bonjour Camille Porteur," in message.body
    expires = timezone.localtime(invitation.expires_at).date()
    assert f"{expires.year}" in re.search(r"valable jusqu'au ([^\n]+)", message.body).group(1)


def test_no_invitation_is_kept_nor_sent_when_the_mail_would_be_wrong(
    motif, officer, django_capture_on_commit_callbacks
):
    mail.outbox = []
    refusals = []
    with django_capture_on_commit_callbacks(execute=True):
        for kwargs in (
            {"partner": PartnerFactory()},
            {"project": ProjectFactory()},
            {"name": "   "},
        ):
            arguments = {"motif": motif, "name": "Camille", "email": "c@example.org", "by": officer} | kwargs
            with pytest.raises(setup.SetupError) as refused:
                setup.invitation_create(**arguments)
            refusals.append(refused.value)
    assert [sorted(error.message_dict) for error in refusals] == [["partner"], ["__all__"], ["name"]]
    assert Invitation.objects.count() == 0
    assert mail.outbox == []


def test_a_motif_no_longer_offered_cannot_be_invited_to(motif, officer):
    motif.active = False
    motif.save()
    with pytest.raises(setup.SetupError) as refused:
        setup.invitation_create(motif=motif, name="Camille", email="c@example.org", by=officer)
    assert refused.value.message_dict["motif"] == ["Ce motif n'est plus proposé."]


def test_an_officer_invites_from_the_page_and_sees_it_in_the_recent_invitations(
    client, motif, officer, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    partner = PartnerFactory(territory=motif.territory, name="Coopérative Grands Ensemble")
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("support:invitation_create", args=[motif.territory.slug]),
            {"motif": motif.pk, "name": "Camille Porteur", "email": "c@example.org", "partner": partner.pk},
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.partner, invitation.created_by) == (partner, officer)
    assert mail.outbox[0].to == ["c@example.org"]
    assert "Coopérative Grands Ensemble vous invite" in mail.outbox[0].body
    home = client.get(reverse("support:settings", args=[motif.territory.slug])).content.decode()
    assert "Camille Porteur (c@example.org)" in home
    assert "orientée par Coopérative Grands Ensemble" in home


def test_the_page_offers_only_the_territorys_active_motifs_and_partners(client, motif, officer):
    client.force_login(officer)
    foreign_motif = MotifFactory(territory=TerritoryFactory())
    retired = MotifFactory(territory=motif.territory, title="Motif retiré", active=False)
    url = reverse("support:invitation_create", args=[motif.territory.slug])
    page = client.get(url).content.decode()
    assert motif.title.replace("'", "&#x27;") in page
    assert retired.title not in page
    assert foreign_motif.title not in page
    response = client.post(url, {"motif": foreign_motif.pk, "name": "Camille", "email": "c@example.org"})
    assert response.status_code == 200
    assert Invitation.objects.count() == 0
