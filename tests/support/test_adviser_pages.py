"""The advisers' side: their day or week of bookings with the status buttons (the team sees every adviser, an
adviser their own), the status POST guarded by ``can_handle_booking`` (404 for anyone else), and the secret ICS
feed of their bookings (name and motif only, never the person's e-mail or phone)."""

import datetime

import icalendar
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from essaim.support.enums import BookingStatus
from essaim.support.models import AdviserFeed, Booking
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.support.factories import (
    BookingFactory,
    OpeningRangeFactory,
    PartnerAdviserFactory,
    local,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def booking():
    return BookingFactory(phone="03 21 00 00 00", email="secret@example.org")


def day_url(booking, **params):
    url = reverse("support:day", kwargs={"slug": booking.territory.slug})
    query = {"date": booking.opening_range.first_day.isoformat()} | params
    return url + "?" + "&".join(f"{k}={v}" for k, v in query.items())


def status_url(booking):
    return reverse("support:booking_status", kwargs={"slug": booking.territory.slug, "pk": booking.pk})


def test_the_adviser_sees_their_day_with_status_buttons(client, booking):
    client.force_login(booking.adviser)
    response = client.get(day_url(booking))
    assert response.status_code == 200
    text = response.content.decode()
    assert booking.name in text
    assert booking.motif.title in text
    rows = response.context["days"][0]["bookings"]
    assert [b.pk for b in rows] == [booking.pk]
    # a future booking cannot be marked seen or no-show yet
    assert [value for value, _ in rows[0].choices] == [BookingStatus.EXCUSED, BookingStatus.CANCELLED_BY_SERVICE]


def test_the_team_sees_every_adviser_and_filters_one(client, booking):
    other = BookingFactory(
        opening_range=OpeningRangeFactory(territory=booking.territory, first_day=booking.opening_range.first_day)
    )
    officer = MembershipFactory(territory=booking.territory).user
    client.force_login(officer)
    response = client.get(day_url(booking))
    assert sorted(b.pk for b in response.context["days"][0]["bookings"]) == sorted([booking.pk, other.pk])
    response = client.get(day_url(booking, adviser=other.adviser_id))
    assert [b.pk for b in response.context["days"][0]["bookings"]] == [other.pk]
    assert {a.pk for a in response.context["advisers"]} == {booking.adviser_id, other.adviser_id}


def test_an_adviser_sees_only_their_own_bookings_even_when_asking_for_another(client, booking):
    other = BookingFactory(
        opening_range=OpeningRangeFactory(territory=booking.territory, first_day=booking.opening_range.first_day)
    )
    partner_adviser = PartnerAdviserFactory(partner__territory=booking.territory).user
    OpeningRangeFactory(territory=booking.territory, adviser=partner_adviser, motif=booking.motif)
    client.force_login(partner_adviser)
    response = client.get(day_url(booking, adviser=other.adviser_id))
    assert response.status_code == 200
    assert response.context["days"] == []


def test_the_week_view_covers_monday_to_sunday(client, booking):
    client.force_login(booking.adviser)
    response = client.get(day_url(booking, view="week"))
    assert response.context["period_label"].startswith("semaine du")
    assert len(response.context["days"]) == 1


@pytest.mark.parametrize("params", [{"date": "hier"}, {"view": "mois"}, {"date": "2027-02-30"}])
def test_bad_parameters_answer_400_in_french(client, booking, params):
    client.force_login(MembershipFactory(territory=booking.territory).user)
    response = client.get(day_url(booking, **params))
    assert response.status_code == 400


def test_people_outside_the_territory_are_refused(client, booking):
    assert client.get(day_url(booking)).status_code == 302  # login first
    client.force_login(UserFactory())
    assert client.get(day_url(booking)).status_code == 403
    client.force_login(MembershipFactory().user)  # an officer of another territory
    assert client.get(day_url(booking)).status_code == 403


def test_the_adviser_cancels_with_a_reason_that_is_mailed(client, booking, django_capture_on_commit_callbacks):
    client.force_login(booking.adviser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            status_url(booking), {"status": BookingStatus.CANCELLED_BY_SERVICE, "reason": "Conseillère en formation"}
        )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED_BY_SERVICE
    assert booking.status_changed_by == booking.adviser
    assert "Conseillère en formation" in mail.outbox[-1].body


def test_a_begun_booking_is_marked_seen_then_no_show(client, booking):
    Booking.objects.filter(pk=booking.pk).update(
        starts_at=timezone.now() - datetime.timedelta(minutes=50),
        ends_at=timezone.now() - datetime.timedelta(minutes=5),
    )
    client.force_login(MembershipFactory(territory=booking.territory).user)
    client.post(status_url(booking), {"status": BookingStatus.SEEN})
    booking.refresh_from_db()
    assert booking.status == BookingStatus.SEEN
    client.post(status_url(booking), {"status": BookingStatus.NO_SHOW, "next": "https://ailleurs.example/"})
    booking.refresh_from_db()
    assert booking.status == BookingStatus.NO_SHOW


def test_a_refused_status_says_why_and_changes_nothing(client, booking):
    client.force_login(booking.adviser)
    response = client.post(status_url(booking), {"status": BookingStatus.SEEN}, follow=True)
    assert "pas encore commencé" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED


def test_the_status_of_a_booking_is_404_for_anyone_who_cannot_handle_it(client, booking):
    partner_adviser = PartnerAdviserFactory(partner__territory=booking.territory).user
    for user in (UserFactory(), MembershipFactory().user, partner_adviser):
        client.force_login(user)
        response = client.post(status_url(booking), {"status": BookingStatus.EXCUSED})
        assert response.status_code == 404, user
    other_territory = MembershipFactory().territory
    client.force_login(MembershipFactory(territory=other_territory).user)
    url = reverse("support:booking_status", kwargs={"slug": other_territory.slug, "pk": booking.pk})
    assert client.post(url, {"status": BookingStatus.EXCUSED}).status_code == 404
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED


def test_a_booking_opens_its_project_from_the_day_then_links_to_it(client, booking):
    client.force_login(booking.adviser)
    open_url = reverse("support:project_from_booking", kwargs={"pk": booking.pk})
    assert f'action="{open_url}"' in client.get(day_url(booking)).content.decode()
    response = client.post(open_url)
    booking.refresh_from_db()
    project = booking.project
    assert (project.holder_email, project.territory_id) == (booking.email, booking.territory_id)
    assert response.status_code == 302 and response.url == project.get_absolute_url()
    html = client.get(day_url(booking)).content.decode()
    assert project.get_absolute_url() in html
    assert f'action="{open_url}"' not in html


def test_the_feed_lists_holding_bookings_without_email_or_phone_and_renews(client, booking):
    BookingFactory(
        opening_range=booking.opening_range,
        starts_at=local(booking.opening_range.first_day, 9, 45),
        status=BookingStatus.EXCUSED,
    )
    client.force_login(booking.adviser)
    settings_url = reverse("support:feed_settings", kwargs={"slug": booking.territory.slug})
    assert client.get(settings_url).context["feed"] is None
    client.post(settings_url)
    feed = AdviserFeed.objects.get(user=booking.adviser)
    client.logout()
    response = client.get(reverse("support:feed", kwargs={"token": feed.token}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert [str(e["summary"]) for e in events] == [f"{booking.motif.title} — {booking.name}"]
    assert b"secret@example.org" not in response.content
    assert b"03 21 00 00 00" not in response.content
    old = feed.token
    client.force_login(booking.adviser)
    client.post(settings_url)
    client.logout()
    assert client.get(reverse("support:feed", kwargs={"token": old})).status_code == 404


def test_feed_settings_are_for_advisers_of_the_territory(client, booking):
    client.force_login(UserFactory())
    assert client.get(reverse("support:feed_settings", kwargs={"slug": booking.territory.slug})).status_code == 403


def test_the_reason_field_shows_only_where_the_service_may_still_cancel(client, booking):
    client.force_login(booking.adviser)
    html = client.get(day_url(booking)).content.decode()
    assert f'id="id_reason_{booking.pk}"' in html  # a booking to come: the service may cancel it, with a reason
    past = timezone.now() - datetime.timedelta(hours=2)
    Booking.objects.filter(pk=booking.pk).update(starts_at=past, ends_at=past + datetime.timedelta(minutes=45))
    html = client.get(day_url(booking, date=f"{timezone.localdate(past):%Y-%m-%d}")).content.decode()
    assert f"/rendez-vous/{booking.pk}/etat/" in html  # still marked: seen or no-show
    assert f'id="id_reason_{booking.pk}"' not in html
