"""What people are told: the registration answer never reveals whether an address was already registered (the
mail tells the person); the cancel message speaks of a waiting list only when there is one; proposals to a campaign
whose call is closed are refused in French; the printed programme is rendered once per version of its data."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from essaim.agenda import programme
from essaim.agenda.models import Event, Registration
from essaim.agenda.services import ProposalError, event_propose, registration_cancel_token, registration_create
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.agenda.factories import CampaignFactory, EventFactory, SessionFactory, in_days

pytestmark = pytest.mark.django_db


def api_post(client, event, **body):
    body.setdefault("consent", True)
    return client.post(f"/api/v1/events/{event.pk}/registrations", body, content_type="application/json")


@pytest.mark.parametrize("capacity", [5, 1])
def test_an_anonymous_caller_gets_the_same_answer_for_an_address_already_registered(
    client, capacity, django_capture_on_commit_callbacks
):
    session = SessionFactory(capacity=capacity)
    registration_create(session=session, name="Léa Dufour", email="lea@exemple.example")
    with django_capture_on_commit_callbacks(execute=True):
        again = api_post(client, session.event, name="Léa Dufour", email="lea@exemple.example")
        new = api_post(client, session.event, name="Hugo Lemaire", email="hugo@exemple.example")
    assert again.status_code == new.status_code == 201
    body, other = again.json(), new.json()
    assert body == other == {**other, "id": None}  # same status and message, no id that could tell them apart
    assert Registration.objects.filter(email="lea@exemple.example").count() == 1
    (told,) = [m for m in mail.outbox if m.to == ["lea@exemple.example"]]
    assert "déjà" in told.subject and "Rien n'a changé" in told.body


def test_the_territorys_officer_is_told_the_address_is_already_registered(client):
    session = SessionFactory()
    registration_create(session=session, name="Léa Dufour", email="lea@exemple.example")
    client.force_login(MembershipFactory(territory=session.event.territory).user)
    response = api_post(client, session.event, name="Léa Dufour", email="lea@exemple.example")
    assert response.status_code == 409 and "déjà inscrit" in response.json()["detail"]
    assert api_post(client, session.event, name="Hugo", email="hugo@exemple.example").json()["id"] is not None


def test_the_html_form_answers_the_same_for_an_address_already_registered(client):
    session = SessionFactory()
    registration_create(session=session, name="Léa Dufour", email="lea@exemple.example")
    data = {"session": session.pk, "name": "Léa Dufour", "email": "lea@exemple.example", "consent": "on"}
    response = client.post(reverse("agenda:register", args=[session.event.pk]), data, follow=True)
    assert "Inscription confirmée" in response.content.decode()


@pytest.mark.parametrize("waitlist", [True, False])
def test_the_cancel_message_speaks_of_the_waiting_list_only_when_there_is_one(
    client, waitlist, django_capture_on_commit_callbacks
):
    session = SessionFactory(event=EventFactory(waitlist_enabled=waitlist), capacity=1)
    first = registration_create(session=session, name="Léa Dufour", email="lea@exemple.example")
    if waitlist:
        registration_create(session=session, name="Hugo Lemaire", email="hugo@exemple.example")
    url = reverse("agenda:cancel", args=[registration_cancel_token(first)])
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(url).content.decode()
    assert ("liste d’attente" in page) is waitlist
    (cancelled,) = [m for m in mail.outbox if m.to == ["lea@exemple.example"] and "annulée" in m.subject]
    assert ("liste d'attente" in cancelled.body) is waitlist


def test_a_person_waiting_who_cancels_is_told_they_left_the_waiting_list(client):
    session = SessionFactory(capacity=1)
    registration_create(session=session, name="Léa Dufour", email="lea@exemple.example")
    waiting = registration_create(session=session, name="Hugo Lemaire", email="hugo@exemple.example")
    page = client.post(reverse("agenda:cancel", args=[registration_cancel_token(waiting)])).content.decode()
    assert "vous n’êtes plus sur la liste d’attente" in page


def proposal_event(campaign):
    return Event(
        territory=campaign.territory, campaign=campaign, title="Portes ouvertes", event_type="portes_ouvertes"
    )


def test_a_proposal_to_a_campaign_after_its_deadline_is_refused_in_french():
    campaign = CampaignFactory(call_deadline=timezone.now() - datetime.timedelta(minutes=1))
    with pytest.raises(ProposalError, match="est clos depuis le"):
        event_propose(event=proposal_event(campaign), audiences=["grand_public"], by=UserFactory())
    campaign.call_deadline = None
    campaign.save()
    with pytest.raises(ProposalError, match="n'a pas d'appel"):
        event_propose(event=proposal_event(campaign), audiences=["grand_public"], by=UserFactory())
    assert not Event.objects.exists()


def test_a_structure_member_proposes_a_multi_session_event_for_their_structure(client):
    from tests.directory.factories import StructureClaimFactory, StructureFactory

    campaign = CampaignFactory(call_deadline=timezone.now() + datetime.timedelta(days=5))
    commune = EventFactory(territory=campaign.territory).venue.commune
    campaign.territory.communes.add(commune, through_defaults={})
    member = UserFactory()
    structure = StructureFactory(commune=commune)
    StructureClaimFactory(structure=structure, user=member, status="approved")
    client.force_login(member)
    page = client.get(reverse("agenda:propose") + f"?campagne={campaign.slug}").content.decode()
    assert structure.display_name in page and "appel ouvert jusqu" in page
    data = {
        "territory": campaign.territory.pk,
        "campaign": campaign.pk,
        "structure": structure.pk,
        "title": "Ateliers réemploi",
        "event_type": "atelier",
        "audiences": ["grand_public", "scolaires"],
        "venue_name": "Ressourcerie",
        "commune": commune.insee_code,
        "seances-TOTAL_FORMS": "3",
        "seances-INITIAL_FORMS": "0",
        "seances-0-start": in_days(10, 14).strftime("%Y-%m-%dT%H:%M"),
        "seances-0-end": in_days(10, 16).strftime("%Y-%m-%dT%H:%M"),
        "seances-1-label": "Seconde séance",
        "seances-1-start": in_days(17, 14).strftime("%Y-%m-%dT%H:%M"),
        "seances-1-end": in_days(17, 16).strftime("%Y-%m-%dT%H:%M"),
    }
    page = client.post(reverse("agenda:propose"), data).content.decode()
    assert "Proposition envoyée" in page and "2 séances proposées" in page
    event = Event.objects.get(title="Ateliers réemploi")
    assert (event.campaign, event.structure, list(event.organisers.all())) == (campaign, structure, [structure])
    assert event.publication == "proposed" and event.sessions.count() == 2
    other = StructureFactory(commune=commune)
    response = client.post(reverse("agenda:propose"), {**data, "structure": other.pk, "title": "Autre"})
    assert "Sélectionnez un choix valide" in response.content.decode()  # not a structure they manage


def test_the_printed_programme_is_rendered_once_per_version_of_its_data(client, monkeypatch):
    campaign = CampaignFactory()
    session = SessionFactory(event=EventFactory(territory=campaign.territory, campaign=campaign))
    calls = []
    monkeypatch.setattr(programme, "render_programme_pdf", lambda **kw: calls.append(kw) or b"%PDF-fake")
    url = reverse("agenda:campaign_pdf", args=[campaign.slug])
    assert client.get(url).content == b"%PDF-fake"
    client.get(url)
    assert len(calls) == 1
    registration_create(session=session, name="Léa Dufour", email="lea@exemple.example")  # seats left change
    client.get(url)
    assert len(calls) == 2
    session.event.title = "Nouveau titre"
    session.event.save()
    client.get(url)
    assert len(calls) == 3
