"""Meetings: the facilitators create and change them (through the agenda's services), members register and cancel
(seats and waiting list stay the agenda's), invite guests who register by their link, the facilitators check in and
publish the minutes (text and PDF checked by content) to the members, who are told by mail; the topics over the
year. And the lines nobody crosses: a non-member never sees a meeting, its minutes or their PDF; a guest's token
reaches only its own meeting."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from essaim.agenda.enums import Audience, EventType, Publication, RegistrationStatus
from essaim.agenda.models import Event
from essaim.club.enums import MemberStatus
from essaim.club.models import Meeting, MeetingGuest
from essaim.club.services import meetings as services
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.agenda.factories import RegistrationFactory, VenueFactory, in_days
from tests.club.factories import ClubFactory, MemberFactory, TopicFactory, facilitator, member_user
from tests.club.factories_meetings import meeting_with_session, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def club():
    return ClubFactory()


def url(name, club, *args):
    return reverse(f"club:{name}", args=[club.slug, *args])


def test_a_facilitator_creates_a_meeting_as_a_members_only_agenda_event(client, club):
    venue = VenueFactory(territory=club.territory, name="Maison de la poésie")
    client.force_login(facilitator(club))
    day = timezone.localdate() + datetime.timedelta(days=20)
    response = client.post(
        url("meeting_new", club),
        {
            "theme": "Recherche de financements",
            "day": day.isoformat(),
            "start_time": "18:00",
            "end_time": "20:00",
            "venue": venue.pk,
            "capacity": "40",
            "agenda": "Tour de table\nIntervention",
            "speakers": "Claire Dumont ; Pas-de-Calais Actif ; les prêts bancaires\nJean Leroy ; France Travail",
            "new_topics": "Recherche de financements, Aide au recrutement",
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("meeting", club, meeting.pk)
    event = meeting.event
    assert event.members_only is True
    assert event.publication == Publication.PUBLISHED
    assert event.event_type == EventType.REUNION
    assert event.audience_values == [Audience.ADHERENTS_CLUB]
    assert event.venue == venue
    (session,) = event.sessions.all()
    assert session.capacity == 40
    assert timezone.localtime(session.start).hour == 18
    assert [(s.name, s.organisation) for s in meeting.speakers.all()] == [
        ("Claire Dumont", "Pas-de-Calais Actif"),
        ("Jean Leroy", "France Travail"),
    ]
    assert sorted(meeting.topics.values_list("slug", flat=True)) == [
        "aide-au-recrutement",
        "recherche-de-financements",
    ]
    assert event.transitions.filter(name="publish").count() == 1


def test_the_form_keeps_what_was_typed_and_shows_the_errors(client, club):
    client.force_login(facilitator(club))
    response = client.post(url("meeting_new", club), {"theme": "Recrutement", "start_time": "20:00"})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'value="Recrutement"' in html
    assert "error-summary" in html
    assert Meeting.objects.count() == 0


def test_a_host_member_gives_its_address_as_the_venue_and_editing_keeps_one_session(client, club):
    meeting = meeting_with_session(club, days=15)
    host = MemberFactory(club=club)
    client.force_login(facilitator(club))
    day = timezone.localdate() + datetime.timedelta(days=16)
    data = {"theme": "Aide au recrutement", "day": day.isoformat(), "start_time": "09:30", "end_time": "12:00"}
    response = client.post(url("meeting_edit", club, meeting.pk), {**data, "host": host.pk})
    meeting.refresh_from_db()
    assert response.status_code == 302
    assert meeting.theme == "Aide au recrutement"
    assert meeting.host == host
    assert meeting.event.venue.name == host.structure.display_name
    assert meeting.event.sessions.count() == 1
    assert timezone.localtime(meeting.event.sessions.get().start).date() == day


def test_a_member_registers_then_cancels_through_the_agenda(client, club, django_capture_on_commit_callbacks):
    meeting = meeting_with_session(club, capacity=1)
    user, _ = member_user(club)
    other, _ = member_user(club)
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("meeting", club, meeting.pk), {"action": "register"})
    assert response.status_code == 302
    registration = services.person_registration(meeting=meeting, email=user.email)
    assert registration.status == RegistrationStatus.CONFIRMED
    assert len(mail.outbox) == 1
    assert f"/club/{club.slug}/espace/rencontres/{meeting.pk}/" in mail.outbox[0].body
    waiting = services.meeting_register(meeting=meeting, user=other)
    assert waiting.status == RegistrationStatus.WAITLISTED
    html = client.get(url("meetings", club)).content.decode()
    assert html.count("inscrit·e") == 1
    client.post(url("meeting", club, meeting.pk), {"action": "cancel"})
    registration.refresh_from_db()
    waiting.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
    assert waiting.status == RegistrationStatus.CONFIRMED


def test_a_member_invites_a_guest_who_registers_by_the_link(client, club, django_capture_on_commit_callbacks):
    meeting = meeting_with_session(club)
    user, _ = member_user(club)
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("meeting", club, meeting.pk),
            {"action": "invite", "name": "Inès Martin", "email": "Ines@Coop.example", "organisation": "Coop"},
        )
    assert response.status_code == 302
    guest = MeetingGuest.objects.get()
    assert guest.email == "ines@coop.example"
    assert guest.invited_by == user
    (invitation,) = mail.outbox
    link = reverse("club:meeting_guest", args=[guest.token])
    assert link in invitation.body
    again = client.post(
        url("meeting", club, meeting.pk), {"action": "invite", "name": "Inès", "email": "ines@coop.example"}
    )
    assert again.status_code == 400
    assert "déjà invitée" in again.content.decode()
    client.logout()
    page = client.get(link)
    assert page.status_code == 200
    assert meeting.theme in page.content.decode()
    refused = client.post(link, {})
    assert refused.status_code == 400
    client.post(link, {"consent": "on"})
    guest.refresh_from_db()
    assert guest.registration.email == "ines@coop.example"
    assert guest.registration.status == RegistrationStatus.CONFIRMED


def test_a_guest_token_reaches_only_its_own_meeting(client, club):
    meeting = meeting_with_session(club)
    other = meeting_with_session(club)
    guest = MeetingGuest.objects.create(meeting=meeting, name="Inès", email="ines@coop.example")
    assert client.get(reverse("club:meeting_guest", args=[guest.token])).status_code == 200
    assert client.get(reverse("club:meeting_guest", args=["not-a-token"])).status_code == 404
    assert client.get(url("meeting", club, other.pk)).status_code == 404
    assert client.get(url("meeting", club, meeting.pk)).status_code == 404
    html = client.get(reverse("club:meeting_guest", args=[guest.token])).content.decode()
    assert other.event.title not in html


def test_non_members_never_see_meetings_minutes_nor_their_pdf(client, club):
    meeting = meeting_with_session(club, days=-2)
    services.minutes_save(meeting=meeting, by=facilitator(club), text="Secret", document=pdf_upload(), publish=True)
    outsider = UserFactory()
    lapsed_user, _ = member_user(club, status=MemberStatus.LAPSED)
    elsewhere_user, _ = member_user(ClubFactory())
    pages = [
        url("meetings", club),
        url("meeting", club, meeting.pk),
        url("minutes_document", club, meeting.pk),
        url("topics", club),
        url("meeting_edit", club, meeting.pk),
        url("meeting_minutes", club, meeting.pk),
        url("meeting_new", club),
    ]
    for who in (None, outsider, lapsed_user, elsewhere_user):
        client.logout()
        if who:
            client.force_login(who)
        assert [client.get(page).status_code for page in pages] == [404] * len(pages)
    member, _ = member_user(club)
    client.force_login(member)
    assert [client.get(page).status_code for page in pages] == [200, 200, 200, 200, 404, 404, 404]


def test_a_meeting_of_another_club_answers_404_under_this_club(client, club):
    other = meeting_with_session(ClubFactory())
    user, _ = member_user(club)
    client.force_login(user)
    assert client.get(url("meeting", club, other.pk)).status_code == 404


def test_minutes_are_written_once_started_published_to_members_who_are_told(
    client, club, django_capture_on_commit_callbacks
):
    coming = meeting_with_session(club, days=3)
    meeting = meeting_with_session(club, days=-1)
    staff = facilitator(club)
    reader, _ = member_user(club)
    member_user(club)
    member_user(club, status=MemberStatus.LAPSED)
    client.force_login(staff)
    assert client.get(url("meeting_minutes", club, coming.pk)).status_code == 404
    with pytest.raises(ValidationError):
        services.minutes_save(meeting=coming, by=staff, text="Trop tôt")
    topic = TopicFactory(club=club, name="Recherche de financements")
    response = client.post(
        url("meeting_minutes", club, meeting.pk),
        {"minutes": "Nous avons parlé des prêts bancaires.", "topics": [topic.pk], "new_topics": "Locaux"},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes_published_at is None
    client.force_login(reader)
    assert "prêts bancaires" not in client.get(url("meeting", club, meeting.pk)).content.decode()
    assert client.get(url("minutes_document", club, meeting.pk)).status_code == 404
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url("meeting_minutes", club, meeting.pk),
            {"minutes": "Nous avons parlé des prêts bancaires.", "document": pdf_upload(), "publish": "1"},
        )
    meeting.refresh_from_db()
    assert meeting.minutes_published_by == staff
    assert sorted(t.slug for t in meeting.topics.all()) == []  # the second post chose no topic
    assert len(mail.outbox) == 2  # the two active members' people, not the lapsed one
    client.force_login(reader)
    assert "prêts bancaires" in client.get(url("meeting", club, meeting.pk)).content.decode()
    pdf = client.get(url("minutes_document", club, meeting.pk))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    services.minutes_save(meeting=meeting, by=staff, text="Corrigé", publish=True)
    assert len(mail.outbox) == 2  # published once, told once


def test_the_minutes_pdf_is_checked_by_its_content(club):
    meeting = meeting_with_session(club, days=-1)
    fake = SimpleUploadedFile("cr.pdf", b"<html>pas un pdf</html>", content_type="application/pdf")
    with pytest.raises(ValidationError):
        services.minutes_save(meeting=meeting, by=facilitator(club), text="x", document=fake)
    from tests.support.factories import png_upload

    with pytest.raises(ValidationError) as error:
        services.minutes_save(meeting=meeting, by=facilitator(club), text="x", document=png_upload())
    assert "PDF" in str(error.value)
    meeting.refresh_from_db()
    assert not meeting.minutes_document


def test_the_facilitator_checks_people_in_and_the_attendance_shows(client, club):
    meeting = meeting_with_session(club, days=-1)
    session = meeting.event.sessions.get()
    came = RegistrationFactory(session=session, name="Alice")
    RegistrationFactory(session=session, name="Bob")
    client.force_login(facilitator(club))
    html = client.get(url("meeting_edit", club, meeting.pk)).content.decode()
    assert "Personnes inscrites (2)" in html
    client.post(url("meeting_edit", club, meeting.pk), {"action": "check_in", "registration": came.pk, "present": "1"})
    came.refresh_from_db()
    assert came.checked_in_at is not None
    page = client.get(url("meeting", club, meeting.pk)).content.decode()
    assert "1 personne présente" in page
    foreign = RegistrationFactory()
    with pytest.raises(ValidationError):
        services.meeting_check_in(meeting=meeting, by=facilitator(club), registration_id=foreign.pk, present=True)


def test_a_member_cannot_organise_and_the_territory_team_can(club):
    user, _ = member_user(club)
    start = in_days(10, 18)
    venue = VenueFactory(territory=club.territory)
    kwargs = {"club": club, "theme": "Thème", "start": start, "end": start + datetime.timedelta(hours=2)}
    with pytest.raises(ValidationError):
        services.meeting_save(by=user, venue=venue, **kwargs)
    officer = MembershipFactory(territory=club.territory).user
    meeting = services.meeting_save(by=officer, venue=venue, **kwargs)
    assert Event.objects.filter(pk=meeting.event_id, members_only=True).count() == 1
    foreign_venue = VenueFactory()
    with pytest.raises(ValidationError):
        services.meeting_save(by=officer, venue=foreign_venue, **kwargs)


def test_the_topics_page_follows_meetings_and_sheets_by_year(client, club):
    from tests.club.factories import PracticeSheetFactory

    topic = TopicFactory(club=club, name="Aide au recrutement")
    meeting = meeting_with_session(club, days=-30)
    meeting.topics.add(topic)
    member = MemberFactory(club=club)
    sheet = PracticeSheetFactory(member=member, published=True, title="Un forum de recrutement commun")
    sheet.topics.add(topic)
    PracticeSheetFactory(member=member, title="Brouillon caché").topics.add(topic)
    user, _ = member_user(club)
    client.force_login(user)
    html = client.get(url("topics", club)).content.decode()
    assert "Aide au recrutement" in html
    assert meeting.theme in html
    assert "Un forum de recrutement commun" in html
    assert "Brouillon caché" not in html
