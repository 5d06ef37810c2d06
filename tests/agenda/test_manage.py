"""The agenda's back office: permissions per role and territory, events with sessions, duplicate, the
publication workflow and moderation, registrants, CSV, message, check-in, attendance."""

import pytest
from django.core import mail
from django.urls import reverse

from essaim.agenda.enums import Publication
from essaim.agenda.models import Event
from essaim.agenda.services import registration_create
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.agenda.factories import SessionFactory, VenueFactory, in_days
from tests.territories.factories import TerritoryFactory

pytestmark = pytest.mark.django_db


def manage_urls(session):
    slug, event = session.event.territory.slug, session.event
    return [
        reverse("agenda:manage_territory", args=[slug]),
        reverse("agenda:manage_event", args=[slug, event.pk]),
        reverse("agenda:event_update", args=[slug, event.pk]),
        reverse("agenda:registrants", args=[slug, session.pk]),
        reverse("agenda:registrants_csv", args=[slug, session.pk]),
        reverse("agenda:message", args=[slug, session.pk]),
        reverse("agenda:check_in", args=[slug, session.pk]),
    ]


def test_anonymous_people_are_sent_to_login(client, session):
    for url in manage_urls(session):
        response = client.get(url)
        assert response.status_code == 302 and "/compte/" in response["Location"], url


@pytest.mark.parametrize("who", ["other_officer", "commission", "nobody"])
def test_only_the_territorys_officers_manage_its_agenda(client, session, who):
    if who == "other_officer":
        user = MembershipFactory(territory=TerritoryFactory()).user
    elif who == "commission":
        user = MembershipFactory(territory=session.event.territory, commission=True).user
    else:
        user = UserFactory()
    client.force_login(user)
    for url in manage_urls(session):
        assert client.get(url).status_code == 403, url


def test_an_officer_reaches_every_page_and_another_territorys_objects_answer_404(client, session, officer):
    client.force_login(officer)
    for url in manage_urls(session):
        assert client.get(url).status_code == 200, url
    foreign = SessionFactory()
    slug = session.event.territory.slug
    assert client.get(reverse("agenda:manage_event", args=[slug, foreign.event.pk])).status_code == 404
    assert client.get(reverse("agenda:registrants", args=[slug, foreign.pk])).status_code == 404


def event_post_data(venue, **extra):
    data = {
        "title": "Entreprendre autrement",
        "summary": "Testez vos capacités à entreprendre autrement.",
        "event_type": "atelier",
        "audiences": ["porteurs_de_projet"],
        "attendance_mode": "in_person",
        "venue": venue.pk,
        "status": "scheduled",
        "price": "0",
        "registration_mode": "here",
        "waitlist_enabled": "on",
        "questions": "Où en est votre projet ?",
        "sessions-TOTAL_FORMS": "1",
        "sessions-INITIAL_FORMS": "0",
        "sessions-MIN_NUM_FORMS": "1",
        "sessions-MAX_NUM_FORMS": "1000",
        "sessions-0-start": in_days(10, 9).strftime("%Y-%m-%dT%H:%M"),
        "sessions-0-end": in_days(10, 12).strftime("%Y-%m-%dT%H:%M"),
        "sessions-0-capacity": "12",
    }
    data.update(extra)
    return data


def test_an_officer_creates_an_event_with_its_session_then_publishes_it(client, officer, session):
    territory = session.event.territory
    venue = VenueFactory(territory=territory)
    client.force_login(officer)
    response = client.post(reverse("agenda:event_create", args=[territory.slug]), event_post_data(venue))
    assert response.status_code == 302, response.content.decode()[:2000]
    event = Event.objects.get(title="Entreprendre autrement")
    assert event.publication == Publication.DRAFT and event.territory == territory
    assert event.audience_values == ["porteurs_de_projet"] and event.questions == ["Où en est votre projet ?"]
    (new_session,) = event.sessions.all()
    assert new_session.capacity == 12 and new_session.start == in_days(10, 9)
    client.post(reverse("agenda:event_transition", args=[territory.slug, event.pk, "publish"]))
    event.refresh_from_db()
    assert event.publication == Publication.PUBLISHED and event.published_at
    assert event.transitions.get().by == officer


def test_the_event_form_explains_bad_input_and_keeps_it(client, officer, session):
    territory = session.event.territory
    venue = VenueFactory(territory=territory)
    client.force_login(officer)
    data = event_post_data(venue, registration_mode="external", **{"sessions-0-end": "2020-01-01T10:00"})
    html = client.post(reverse("agenda:event_create", args=[territory.slug]), data).content.decode()
    assert "Indiquez le lien de l&#x27;inscription externe." in html
    assert "La fin doit être après le début." in html
    assert 'value="Entreprendre autrement"' in html


def test_an_officer_cannot_choose_another_territorys_venue(client, officer, session):
    client.force_login(officer)
    foreign_venue = VenueFactory()
    url = reverse("agenda:event_create", args=[session.event.territory.slug])
    response = client.post(url, event_post_data(foreign_venue))
    assert response.status_code == 200 and not Event.objects.filter(title="Entreprendre autrement").exists()


def test_duplicate_makes_a_draft_copy_with_sessions_and_without_registrations(client, officer, session):
    registration_create(session=session, name="Léa", email="lea@exemple.example")
    client.force_login(officer)
    client.post(reverse("agenda:event_duplicate", args=[session.event.territory.slug, session.event.pk]))
    copy = Event.objects.get(title=f"{session.event.title} (copie)")
    assert copy.publication == Publication.DRAFT
    assert copy.sessions.count() == 1 and not copy.sessions.get().registrations.exists()
    assert copy.audience_values == session.event.audience_values


def test_a_proposal_goes_to_moderation_and_the_proposer_hears_the_outcome(
    client, officer, session, django_capture_on_commit_callbacks
):
    territory = session.event.territory
    commune = session.event.venue.commune
    territory.communes.add(commune, through_defaults={})
    member = UserFactory(email="structure@exemple.example")
    client.force_login(member)
    data = {
        "territory": territory.pk,
        "title": "Panier malin, panier vilain",
        "event_type": "atelier",
        "audiences": ["grand_public"],
        "seances-TOTAL_FORMS": "3",
        "seances-INITIAL_FORMS": "0",
        "seances-0-start": in_days(12, 10).strftime("%Y-%m-%dT%H:%M"),
        "seances-0-end": in_days(12, 12).strftime("%Y-%m-%dT%H:%M"),
        "venue_name": "Maison du projet de l'écoquartier des Alouettes",
        "commune": commune.name,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("agenda:propose"), data)
    assert response.status_code == 200 and "Proposition envoyée" in response.content.decode()
    proposal = Event.objects.get(title="Panier malin, panier vilain")
    assert proposal.publication == Publication.PROPOSED and proposal.proposed_by == member
    assert mail.outbox[-1].to == [officer.email] and "modération" in mail.outbox[-1].subject
    assert client.get(proposal.get_absolute_url()).status_code == 200  # its author sees it
    client.logout()
    assert client.get(proposal.get_absolute_url()).status_code == 404  # the public does not
    client.force_login(officer)
    url = reverse("agenda:event_transition", args=[territory.slug, proposal.pk, "reject"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"note": "Merci de préciser les horaires."})
    proposal.refresh_from_db()
    assert proposal.publication == Publication.REJECTED
    assert mail.outbox[-1].to == [member.email] and "Merci de préciser les horaires." in mail.outbox[-1].body
    assert [t.name for t in proposal.transitions.all()] == ["submit", "reject"]


def test_a_transition_not_allowed_from_the_current_state_changes_nothing(client, officer, session):
    client.force_login(officer)
    url = reverse("agenda:event_transition", args=[session.event.territory.slug, session.event.pk, "approve"])
    response = client.post(url, follow=True)
    assert "impossible" in response.content.decode()
    session.event.refresh_from_db()
    assert session.event.publication == Publication.PUBLISHED


def test_registrants_csv_is_semicolon_separated_with_a_bom(client, officer, session):
    registration_create(session=session, name="Léa Dufour", email="lea@exemple.example", phone="06 00 00 00 00")
    client.force_login(officer)
    response = client.get(reverse("agenda:registrants_csv", args=[session.event.territory.slug, session.pk]))
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeffNom;E-mail;Téléphone;État")
    assert "Léa Dufour;lea@exemple.example;06 00 00 00 00;confirmée" in content


def test_an_organiser_cancels_a_registration_and_the_next_person_is_promoted(client, officer, session):
    people = [registration_create(session=session, name=f"P{n}", email=f"p{n}@exemple.example") for n in range(4)]
    client.force_login(officer)
    client.post(
        reverse("agenda:registrants", args=[session.event.territory.slug, session.pk]), {"registration": people[0].pk}
    )
    people[3].refresh_from_db()
    assert people[3].status == "confirmed"


def test_a_message_reaches_every_confirmed_person_one_mail_each(
    client, officer, session, django_capture_on_commit_callbacks
):
    for n in range(4):
        registration_create(session=session, name=f"P{n}", email=f"p{n}@exemple.example")
    client.force_login(officer)
    url = reverse("agenda:message", args=[session.event.territory.slug, session.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"subject": "Changement de salle", "body": "Rendez-vous salle B."})
    assert sorted(m.to[0] for m in mail.outbox if "Changement" in m.subject) == [
        "p0@exemple.example",
        "p1@exemple.example",
        "p2@exemple.example",
    ]
    assert session.messages.get().recipients_count == 3


def test_check_in_ticks_people_and_the_attendance_is_recorded(client, officer, session):
    registration = registration_create(session=session, name="Léa", email="lea@exemple.example")
    client.force_login(officer)
    url = reverse("agenda:check_in", args=[session.event.territory.slug, session.pk])
    response = client.post(url, {"registration": registration.pk, "present": "1"}, HTTP_HX_REQUEST="true")
    assert "présent·e" in response.content.decode() and "<html" not in response.content.decode()
    registration.refresh_from_db()
    assert registration.checked_in_at is not None
    client.post(url, {"attendance_count": "23"})
    session.refresh_from_db()
    assert session.attendance_count == 23
    assert "1 présent·e sur 1" in client.get(url).content.decode()
