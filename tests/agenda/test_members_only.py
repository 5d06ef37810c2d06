"""A members-only event (a club's meeting) never reaches the public: every public path of the agenda is tried with
a published members-only event next to a published public one (the control, which must appear), so that each
assertion can fail. The officers' management still lists it, marked « réservé aux membres du club »."""

import pytest

from essaim.agenda.models import Event, Session
from essaim.agenda.perms import can_see_event
from essaim.www.agenda.forms import filter_choices
from essaim.www.pages.views import home_agenda
from tests.accounts.factories import MembershipFactory
from tests.agenda.factories import CampaignFactory, EventFactory, SessionFactory, VenueFactory, in_days
from tests.club.factories import ClubFactory, MeetingFactory

pytestmark = pytest.mark.django_db

SECRET = "Rencontre confidentielle du club"
PUBLIC = "Café citoyen ouvert à tous"


@pytest.fixture
def events():
    from django.core.cache import cache

    cache.clear()
    campaign = CampaignFactory(start_date=in_days(-1).date(), end_date=in_days(40).date())
    club = ClubFactory(territory=campaign.territory)
    venue = VenueFactory(territory=campaign.territory, name="Salle secrète du club")
    meeting = MeetingFactory(club=club, event__title=SECRET, event__campaign=campaign, event__venue=venue)
    SessionFactory(event=meeting.event, start=in_days(5, 18), end=in_days(5, 20), capacity=30)
    public = EventFactory(territory=campaign.territory, campaign=campaign, title=PUBLIC)
    SessionFactory(event=public, start=in_days(6, 18), end=in_days(6, 20))
    return meeting.event, public


def test_the_querysets_of_the_public_leave_members_only_events_out(events):
    secret, public = events
    assert list(Event.objects.published()) == [public]
    assert list(Session.objects.published().values_list("event_id", flat=True)) == [public.pk]
    assert Event.objects.published_with_members_only().count() == 2


@pytest.mark.parametrize(
    "url",
    ["/agenda/", "/agenda/calendrier/", "/agenda/carte/", "/agenda/embed", "/agenda/calendar.ics", "/agenda/feed.xml"],
)
def test_lists_calendars_map_embed_and_feeds_never_show_it(client, events, url):
    secret, public = events
    if url == "/agenda/calendrier/":
        url += f"?mois={in_days(5).strftime('%Y-%m')}"
    html = client.get(url).content.decode()
    assert PUBLIC in html
    assert SECRET not in html


def test_the_campaign_page_and_its_printed_programme_never_show_it(client, events):
    secret, public = events
    html = client.get(f"/agenda/campagnes/{public.campaign.slug}/").content.decode()
    assert PUBLIC in html
    assert SECRET not in html
    import io

    import pypdf

    response = client.get(f"/agenda/campagnes/{public.campaign.slug}/programme.pdf")
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    assert "Café citoyen" in text
    assert "confidentielle" not in text


def test_its_public_page_registration_and_ics_answer_404(client, events):
    secret, public = events
    assert client.get(f"/agenda/evenements/{public.pk}/").status_code == 200
    assert client.get(f"/agenda/evenements/{secret.pk}/").status_code == 404
    assert client.get(f"/agenda/evenements/{secret.pk}/calendrier.ics").status_code == 404
    session = secret.sessions.get()
    data = {"session": session.pk, "name": "Intrus", "email": "intrus@exemple.example", "consent": "on"}
    assert client.post(f"/agenda/evenements/{secret.pk}/inscription/", data).status_code == 404
    assert session.registrations.count() == 0


def test_its_public_page_answers_404_even_to_an_officer(client, events):
    secret, _ = events
    officer = MembershipFactory(territory=secret.territory).user
    client.force_login(officer)
    assert client.get(f"/agenda/evenements/{secret.pk}/").status_code == 404
    assert can_see_event(officer, secret) is False


def test_the_public_api_never_lists_nor_shows_it(client, events):
    secret, public = events
    body = client.get("/api/v1/events").json()
    assert [e["id"] for e in body["results"]] == [public.pk]
    assert body["count"] == 1
    assert client.get(f"/api/v1/events/{secret.pk}").status_code == 404
    payload = {"name": "Intrus", "email": "intrus@exemple.example", "consent": True}
    response = client.post(f"/api/v1/events/{secret.pk}/registrations", payload, content_type="application/json")
    assert response.status_code == 404


def test_the_home_page_and_the_filters_lists_never_show_it(events):
    secret, public = events
    titles = [s.event.title for s in home_agenda(public.territory)["upcoming_sessions"]]
    assert titles == [PUBLIC]
    assert secret.venue.commune_id != public.venue.commune_id
    codes = [code for code, _ in filter_choices(public.territory)["communes"]]
    assert codes == [public.venue.commune.insee_code]


def test_the_officers_management_lists_and_marks_it(client, events):
    secret, public = events
    client.force_login(MembershipFactory(territory=secret.territory).user)
    html = client.get(f"/agenda/gestion/{secret.territory.slug}/").content.decode()
    assert SECRET in html
    assert html.count("réservé aux membres du club") == 1
    page = client.get(f"/agenda/gestion/{secret.territory.slug}/evenements/{secret.pk}/")
    assert page.status_code == 200
    assert "réservé aux membres du club" in page.content.decode()


def test_its_link_in_mails_is_the_club_meeting_page(events):
    secret, public = events
    meeting = secret.club_meeting
    assert secret.get_absolute_url() == f"/club/{meeting.club.slug}/espace/rencontres/{meeting.pk}/"
    assert public.get_absolute_url() == f"/agenda/evenements/{public.pk}/"
