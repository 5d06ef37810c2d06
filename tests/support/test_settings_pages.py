"""The team's settings pages (``/accompagnement/gestion/<territory>/``): who reaches them, objects of another
territory answer 404, and each form speaks French (the opening range without RFC 5545), keeps what was typed on
error and saves through the services."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from essaim.support.enums import Channel
from essaim.support.models import Absence, Motif, OpeningRange, Partner, SupportPeriod
from essaim.support.services.setup import upcoming_public_holidays
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.agenda.factories import EventFactory
from tests.support.factories import (
    AbsenceFactory,
    OpeningRangeFactory,
    PartnerAdviserFactory,
    PartnerFactory,
    next_weekday,
)
from tests.territories.factories import TerritoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def opening_range():
    return OpeningRangeFactory()


@pytest.fixture
def territory(opening_range):
    return opening_range.territory


@pytest.fixture
def officer(territory):
    return MembershipFactory(territory=territory).user


@pytest.fixture
def objects(opening_range):
    territory = opening_range.territory
    partner = PartnerFactory(territory=territory)
    return {
        "range": opening_range,
        "motif": opening_range.motif,
        "absence": AbsenceFactory(territory=territory),
        "partner": partner,
        "adviser": PartnerAdviserFactory(partner=partner),
        "period": SupportPeriod.objects.create(
            territory=territory,
            title="Quinzaine",
            slug="quinzaine",
            starts_on=datetime.date(2027, 11, 3),
            ends_on=datetime.date(2027, 11, 14),
        ),
    }


def get_urls(slug, objects):
    """Every page of the settings reached by GET."""
    return [
        reverse("support:settings", args=[slug]),
        reverse("support:motif_create", args=[slug]),
        reverse("support:motif_update", args=[slug, objects["motif"].pk]),
        reverse("support:range_create", args=[slug]),
        reverse("support:range_update", args=[slug, objects["range"].pk]),
        reverse("support:absence_create", args=[slug]),
        reverse("support:absence_update", args=[slug, objects["absence"].pk]),
        reverse("support:absence_delete", args=[slug, objects["absence"].pk]),
        reverse("support:partner_create", args=[slug]),
        reverse("support:partner_update", args=[slug, objects["partner"].pk]),
        reverse("support:partner_adviser_add", args=[slug, objects["partner"].pk]),
        reverse("support:partner_adviser_remove", args=[slug, objects["partner"].pk, objects["adviser"].pk]),
        reverse("support:period_create", args=[slug]),
        reverse("support:period_update", args=[slug, objects["period"].pk]),
        reverse("support:period_delete", args=[slug, objects["period"].pk]),
        reverse("support:invitation_create", args=[slug]),
    ]


def object_urls(slug, objects):
    """The pages of one object (for the 404 of another territory's)."""
    return [url for url in get_urls(slug, objects) if url.rstrip("/").split("/")[-2].isdigit()] + [
        reverse("support:motif_toggle", args=[slug, objects["motif"].pk]),
        reverse("support:range_toggle", args=[slug, objects["range"].pk]),
        reverse("support:partner_toggle", args=[slug, objects["partner"].pk]),
    ]


def test_anonymous_people_are_sent_to_login(client, territory, objects):
    for url in get_urls(territory.slug, objects):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/compte/connexion/"), url


@pytest.mark.parametrize("who", ["outsider", "commission", "elected", "other_officer", "partner_adviser"])
def test_only_the_territorys_team_manages_its_permanences(client, territory, objects, who):
    user = {
        "outsider": lambda: UserFactory(),
        "commission": lambda: MembershipFactory(territory=territory, commission=True).user,
        "elected": lambda: MembershipFactory(territory=territory, elected=True).user,
        "other_officer": lambda: MembershipFactory(territory=TerritoryFactory()).user,
        "partner_adviser": lambda: objects["adviser"].user,
    }[who]()
    client.force_login(user)
    for url in get_urls(territory.slug, objects):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("support:motif_toggle", args=[territory.slug, objects["motif"].pk])).status_code == 403
    objects["motif"].refresh_from_db()
    assert objects["motif"].active is True


def test_an_officer_and_the_admin_reach_every_page(client, territory, objects, officer):
    admin = MembershipFactory(territory=territory, admin=True).user
    for user in (officer, admin):
        client.force_login(user)
        for url in get_urls(territory.slug, objects):
            assert client.get(url).status_code == 200, url


def test_another_territorys_objects_answer_404_and_an_unknown_slug_too(client, territory, officer):
    client.force_login(officer)
    foreign_range = OpeningRangeFactory()
    foreign_partner = PartnerFactory(territory=foreign_range.territory)
    foreign = {
        "range": foreign_range,
        "motif": foreign_range.motif,
        "absence": AbsenceFactory(territory=foreign_range.territory),
        "partner": foreign_partner,
        "adviser": PartnerAdviserFactory(partner=foreign_partner),
        "period": SupportPeriod.objects.create(
            territory=foreign_range.territory,
            title="Autre",
            slug="autre",
            starts_on=datetime.date(2027, 1, 1),
            ends_on=datetime.date(2027, 1, 2),
        ),
    }
    urls = object_urls(territory.slug, foreign)
    assert len(urls) == 11
    for url in urls:
        assert client.post(url).status_code == 404, url
    assert client.get(reverse("support:settings", args=["nulle-part"])).status_code == 404
    foreign_range.refresh_from_db()
    assert foreign_range.active is True


def test_the_home_lists_every_setting_and_names_the_public_holidays_as_automatic(client, territory, objects, officer):
    client.force_login(officer)
    page = client.get(reverse("support:settings", args=[territory.slug])).content.decode()
    assert objects["motif"].title in page
    assert "Tous les mardis, de 9 h à 12 h" in page
    assert objects["partner"].name in page
    assert objects["adviser"].user.email in page
    assert "Quinzaine" in page
    assert "Jours fériés\xa0: automatiques" in page
    assert upcoming_public_holidays()[0][1] in page
    assert "Congés" in page


def test_the_home_needs_the_same_queries_whatever_the_number_of_settings(
    client, territory, objects, officer, django_assert_max_num_queries
):
    client.force_login(officer)
    url = reverse("support:settings", args=[territory.slug])
    for _ in range(5):
        partner = PartnerFactory(territory=territory)
        PartnerAdviserFactory(partner=partner)
        OpeningRangeFactory(territory=territory)
    with django_assert_max_num_queries(16):
        assert client.get(url).status_code == 200


# --- motifs --------------------------------------------------------------------------------------------------------


def test_an_officer_creates_a_motif_whose_address_comes_from_its_title(client, territory, officer):
    client.force_login(officer)
    data = {
        "title": "Point financement",
        "slug": "",
        "description": "",
        "duration_minutes": "60",
        "channel": Channel.PHONE,
        "bookable_by": "anyone",
        "min_delay_hours": "24",
        "max_delay_days": "60",
    }
    response = client.post(reverse("support:motif_create", args=[territory.slug]), data)
    assert response.status_code == 302
    motif = Motif.objects.get(territory=territory, title="Point financement")
    assert motif.slug == "point-financement"
    assert motif.channel == Channel.PHONE
    again = client.post(reverse("support:motif_create", args=[territory.slug]), data)
    assert again.status_code == 200
    assert "déjà cette adresse" in again.content.decode()
    assert Motif.objects.filter(territory=territory, slug="point-financement").count() == 1


def test_a_motif_is_deactivated_then_offered_again_by_post_only(client, territory, objects, officer):
    client.force_login(officer)
    url = reverse("support:motif_toggle", args=[territory.slug, objects["motif"].pk])
    assert client.get(url).status_code == 405
    client.post(url)
    objects["motif"].refresh_from_db()
    assert objects["motif"].active is False
    client.post(url)
    objects["motif"].refresh_from_db()
    assert objects["motif"].active is True


# --- opening ranges ------------------------------------------------------------------------------------------------


def range_data(opening_range, **changes):
    data = {
        "motif": opening_range.motif.pk,
        "adviser": opening_range.adviser.pk,
        "venue": opening_range.venue.pk,
        "first_day": opening_range.first_day.isoformat(),
        "start_time": "14:00",
        "end_time": "17:00",
        "frequency": "biweekly",
        "weekdays": ["1", "3"],
        "until": "",
        "exdates": "",
    }
    data.update(changes)
    return data


def test_a_range_is_said_in_french_and_written_as_a_rule(client, territory, opening_range, officer):
    client.force_login(officer)
    until = opening_range.first_day + datetime.timedelta(weeks=20)
    data = range_data(opening_range, until=until.isoformat())
    response = client.post(reverse("support:range_create", args=[territory.slug]), data)
    assert response.status_code == 302
    created = OpeningRange.objects.exclude(pk=opening_range.pk).get()
    assert created.rule == f"FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;UNTIL={until:%Y%m%d}T235959"
    assert created.start_time == datetime.time(14)


def test_the_preview_describes_the_range_and_its_next_days_without_saving(client, territory, opening_range, officer):
    client.force_login(officer)
    data = range_data(opening_range, preview="1", exdates=f"{opening_range.first_day:%d/%m/%Y}")
    response = client.post(reverse("support:range_create", args=[territory.slug]), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Un mardi et jeudi toutes les 2 semaines, de 14 h à 17 h" in page
    assert "Prochains jours d’ouverture" in page
    assert OpeningRange.objects.count() == 1


def test_an_overlapping_range_is_refused_on_the_page_with_what_was_typed_kept(
    client, territory, opening_range, officer
):
    client.force_login(officer)
    data = range_data(opening_range, start_time="11:00", end_time="13:00", frequency="weekly", weekdays=["1"])
    response = client.post(reverse("support:range_create", args=[territory.slug]), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Erreur" in page.split("</title>")[0]
    assert "chevauche une autre plage de la même personne" in page
    assert 'value="11:00"' in page
    assert OpeningRange.objects.count() == 1


def test_a_bad_excluded_day_and_a_reversed_time_get_french_messages(client, territory, opening_range, officer):
    client.force_login(officer)
    data = range_data(opening_range, start_time="17:00", end_time="14:00", exdates="31/02/2027")
    page = client.post(reverse("support:range_create", args=[territory.slug]), data).content.decode()
    assert "«\xa031/02/2027\xa0» n&#x27;est pas une date au format JJ/MM/AAAA." in page
    assert "L&#x27;heure de fin doit être après l&#x27;heure de début." in page
    assert OpeningRange.objects.count() == 1


def test_an_existing_range_opens_with_its_choices_and_can_be_closed(client, territory, opening_range, officer):
    client.force_login(officer)
    form = client.get(reverse("support:range_update", args=[territory.slug, opening_range.pk])).context["form"]
    assert form.initial["frequency"] == "weekly"
    assert form.initial["weekdays"] == ["1"]
    assert form.initial["first_day"] == opening_range.first_day
    client.post(reverse("support:range_toggle", args=[territory.slug, opening_range.pk]))
    opening_range.refresh_from_db()
    assert opening_range.active is False


# --- absences, partners, periods, invitations ----------------------------------------------------------------------


def test_an_absence_of_the_whole_service_is_entered_and_deleted(client, territory, officer):
    client.force_login(officer)
    day = next_weekday(3)
    data = {"adviser": "", "starts_at": f"{day}T00:00", "ends_at": f"{day}T23:59", "reason": "Pont"}
    assert client.post(reverse("support:absence_create", args=[territory.slug]), data).status_code == 302
    absence = Absence.objects.get(territory=territory, reason="Pont")
    assert absence.adviser_id is None
    client.post(reverse("support:absence_delete", args=[territory.slug, absence.pk]))
    assert not Absence.objects.filter(pk=absence.pk).exists()


def test_a_partner_and_its_adviser_are_added_from_the_pages(
    client, territory, officer, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    data = {"name": "Pas-de-Calais Actif", "kind": "dla", "description": "", "email": "", "phone": ""}
    assert client.post(reverse("support:partner_create", args=[territory.slug]), data).status_code == 302
    partner = Partner.objects.get(territory=territory, name="Pas-de-Calais Actif")
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("support:partner_adviser_add", args=[territory.slug, partner.pk]),
            {"email": "dla@pdcactif.example", "name": "Claire Dla"},
        )
    assert response.status_code == 302
    assert partner.advisers.get().user.email == "dla@pdcactif.example"
    assert mail.outbox[0].to == ["dla@pdcactif.example"]


def test_a_period_is_created_with_the_territorys_motifs_and_workshops(client, territory, opening_range, officer):
    client.force_login(officer)
    workshop = EventFactory(territory=territory, title="Entreprendre autrement")
    foreign = EventFactory()
    url = reverse("support:period_create", args=[territory.slug])
    page = client.get(url).content.decode()
    assert "Entreprendre autrement" in page
    assert foreign.title not in page
    data = {
        "title": "Quinzaine de l'initiative",
        "slug": "",
        "intro": "Des permanences et des ateliers.",
        "starts_on": "2027-11-03",
        "ends_on": "2027-11-14",
        "campaign": "",
        "motifs": [opening_range.motif.pk],
        "workshops": [workshop.pk],
    }
    assert client.post(url, data).status_code == 302
    period = SupportPeriod.objects.get(territory=territory)
    assert period.slug == "quinzaine-de-linitiative"
    assert list(period.workshops.all()) == [workshop]
    refused = client.post(url, data | {"workshops": [foreign.pk], "slug": "autre"})
    assert refused.status_code == 200
    assert SupportPeriod.objects.count() == 1


# --- the Django admin ----------------------------------------------------------------------------------------------


def test_the_admin_lists_every_support_model_and_keeps_bookings_and_projects_read_only(client, objects):
    from django.apps import apps
    from django.contrib import admin

    from tests.support.factories import BookingFactory, ProjectFactory

    operator = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(operator)
    models = list(apps.get_app_config("support").get_models())
    assert len(models) >= 20
    unregistered = [m.__name__ for m in models if m not in admin.site._registry]
    assert unregistered == []
    for model in models:
        url = reverse(f"admin:support_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url
    booking, project = BookingFactory(), ProjectFactory()
    assert client.get(reverse("admin:support_booking_add")).status_code == 403
    assert client.get(reverse("admin:support_booking_change", args=[booking.pk])).status_code == 200
    response = client.post(reverse("admin:support_project_change", args=[project.pk]), {"title": "Changé"})
    assert response.status_code == 403
    project.refresh_from_db()
    assert project.title != "Changé"
    assert client.get(reverse("admin:support_motif_add")).status_code == 200


def test_the_admin_never_shows_the_text_of_a_private_note(client):
    from essaim.support.models import ProjectNote
    from tests.support.factories import ProjectFactory

    note = ProjectNote.objects.create(project=ProjectFactory(), text="Difficultés personnelles confiées")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    for url in (
        reverse("admin:support_projectnote_changelist"),
        reverse("admin:support_projectnote_change", args=[note.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Difficultés personnelles" not in response.content.decode(), url
