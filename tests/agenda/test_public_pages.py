"""Public pages: list by day, month calendar, map, event page (JSON-LD, registration form), cancel link, campaign,
embeddable agenda."""

import json
import re

import pytest
from django.core import mail
from django.utils import timezone

from essaim.agenda.enums import RegistrationStatus
from essaim.agenda.services import registration_cancel_token, registration_create
from tests.agenda.factories import CampaignFactory, EventFactory, SessionFactory, in_days

pytestmark = pytest.mark.django_db


def test_the_list_shows_upcoming_published_sessions_by_day(client, session):
    SessionFactory(event=EventFactory(title="Brouillon caché", draft=True))
    SessionFactory(event=EventFactory(title="Passé"), start=in_days(-3), end=in_days(-3, 12))
    response = client.get("/agenda/")
    html = response.content.decode()
    assert response.status_code == 200
    assert session.event.title in html
    assert "Brouillon caché" not in html and "Passé" not in html
    assert f'<h2 id="jour-{timezone.localdate(session.start):%Y-%m-%d}">' in html  # the day in Europe/Paris
    assert "18h00" in html  # Europe/Paris


def test_the_list_filters_and_answers_htmx_with_the_results_only(client, session):
    SessionFactory(event=EventFactory(title="Atelier BGE", event_type="atelier"))
    response = client.get("/agenda/?type=atelier", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "Atelier BGE" in html and session.event.title not in html
    assert "<html" not in html


def test_the_month_calendar_shows_a_session_on_its_day(client, session):
    month = session.start.astimezone().strftime("%Y-%m")
    html = client.get(f"/agenda/calendrier/?mois={month}").content.decode()
    assert "<caption>" in html and session.event.title in html
    assert client.get("/agenda/calendrier/?mois=pas-un-mois").status_code == 400  # refused, current month shown


def test_the_map_has_points_and_the_same_events_as_a_list(client, session):
    html = client.get("/agenda/carte/").content.decode()
    points = json.loads(re.search(r'id="agenda-points"[^>]*>(.*?)</script>', html, re.S).group(1))
    assert [p["label"] for p in points] == [session.event.title]
    assert session.event.venue.commune.name in html


def test_the_event_page_has_one_schema_org_event_per_session(client, session):
    SessionFactory(event=session.event, start=in_days(9, 14))
    html = client.get(session.event.get_absolute_url()).content.decode()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 2
    data = json.loads(blocks[0])
    assert data["@type"] == "Event" and data["name"] == session.event.title
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["location"]["address"]["addressLocality"] == session.event.venue.commune.name
    assert data["startDate"].endswith(("+01:00", "+02:00"))
    assert data["offers"]["price"] == "0.00"


def test_a_draft_is_not_public(client):
    draft = SessionFactory(event=EventFactory(draft=True)).event
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_registering_through_the_form_needs_consent_and_keeps_what_was_typed(client, session):
    url = f"/agenda/evenements/{session.event.pk}/inscription/"
    response = client.post(url, {"session": session.pk, "name": "Léa Dufour", "email": "lea@exemple.example"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Cochez cette case" in html and 'value="Léa Dufour"' in html
    assert session.registrations.count() == 0


def test_registering_through_the_form_confirms_and_mails(client, session, django_capture_on_commit_callbacks):
    url = f"/agenda/evenements/{session.event.pk}/inscription/"
    data = {"session": session.pk, "name": "Léa Dufour", "email": "lea@exemple.example", "consent": "on"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data, follow=True)
    assert "Inscription confirmée" in response.content.decode()
    registration = session.registrations.get()
    assert registration.status == RegistrationStatus.CONFIRMED and registration.consent_at is not None
    assert mail.outbox[0].to == ["lea@exemple.example"]


def test_the_cancel_link_asks_then_cancels_without_an_account(client, session):
    registration = registration_create(session=session, name="Léa", email="lea@exemple.example")
    url = f"/agenda/inscriptions/{registration_cancel_token(registration)}/annuler/"
    assert "Confirmer l’annulation" in client.get(url).content.decode()
    registration.refresh_from_db()
    assert registration.status == "confirmed"
    assert "est annulée" in client.post(url).content.decode()
    registration.refresh_from_db()
    assert registration.status == "cancelled"
    assert client.get("/agenda/inscriptions/faux-jeton/annuler/").status_code == 404


def test_the_campaign_page_has_the_whole_programme_and_the_pdf_link(client):
    campaign = CampaignFactory()
    event = EventFactory(territory=campaign.territory, campaign=campaign, title="Salon « Faites l'ESS »")
    SessionFactory(event=event, start=in_days(3))
    html = client.get(campaign.get_absolute_url()).content.decode()
    assert "Salon «\u00a0Faites l&#x27;ESS\u00a0»" in html  # no-break spaces of the French typography
    assert f"/agenda/campagnes/{campaign.slug}/programme.pdf" in html


def test_only_the_embeddable_agenda_may_be_framed(client, session):
    embed = client.get("/agenda/embed?type=cafe_citoyen")
    assert embed.status_code == 200
    assert "X-Frame-Options" not in embed
    assert "frame-ancestors *" in embed["Content-Security-Policy"]
    assert 'target="_blank"' in embed.content.decode()
    page = client.get("/agenda/")
    assert page["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]
