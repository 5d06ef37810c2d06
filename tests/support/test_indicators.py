"""The support figures per territory and year (``essaim.support.indicators``): what each counts, which year a row
belongs to, no other territory's rows, a constant number of queries, and ``GET /api/v1/support/indicators``."""

import datetime

import pytest
from django.utils import timezone

from essaim.support.enums import BookingStatus, Channel, ProjectKind, ProjectStatus, ReferralStatus, Stage
from essaim.support.indicators import BY_CODE, DEFINITIONS, support_indicators, years_with_data
from essaim.support.models import Booking, Project, Referral, SatisfactionSurvey
from tests.directory.factories import SectorFactory
from tests.support.factories import (
    BookingFactory,
    OpeningRangeFactory,
    PartnerFactory,
    ProjectFactory,
    ReferralFactory,
)
from tests.territories.factories import TerritoryFactory

YEAR = 2025


def at(month, day, hour=10, year=YEAR):
    return datetime.datetime(year, month, day, hour, tzinfo=timezone.get_current_timezone())


def booking(opening_range, start, status, *, booked_days_before=7, **fields):
    """A booking of ``opening_range`` at ``start``, made ``booked_days_before`` days earlier."""
    made = BookingFactory(
        opening_range=opening_range,
        starts_at=start,
        ends_at=start + datetime.timedelta(minutes=45),
        status=status,
        **fields,
    )
    Booking.objects.filter(pk=made.pk).update(created_at=start - datetime.timedelta(days=booked_days_before))
    return made


def project(territory, created, *, closed=None, first_contact_days=None, **fields):
    made = ProjectFactory(territory=territory, **fields)
    Project.objects.filter(pk=made.pk).update(
        created_at=created,
        status=ProjectStatus.CLOSED if closed else ProjectStatus.OPEN,
        closed_at=closed,
        first_contact_at=created + datetime.timedelta(days=first_contact_days)
        if first_contact_days is not None
        else None,
    )
    made.refresh_from_db()
    return made


def referral(project, partner, created, status, *, first_contact_days=None, changed_days=None):
    made = ReferralFactory(project=project, partner=partner, status=status)
    Referral.objects.filter(pk=made.pk).update(
        created_at=created,
        first_contact_at=created + datetime.timedelta(days=first_contact_days) if first_contact_days else None,
        status_changed_at=created + datetime.timedelta(days=changed_days) if changed_days else created,
    )
    return made


def survey(project, answered, rating, helped, token):
    return SatisfactionSurvey.objects.create(
        project=project, token=token, sent_at=answered, answered_at=answered, rating=rating, helped=helped
    )


@pytest.fixture
def territory(db):
    """Bookings, projects, referrals and surveys of 2025 (and a few of other years and of another territory)."""
    territory = TerritoryFactory(slug="bethune-bruay", siren="200072460")
    creation = OpeningRangeFactory(territory=territory, motif__title="Premier rendez-vous création")
    phone = OpeningRangeFactory(territory=territory, motif__title="Point financement", motif__channel=Channel.PHONE)
    # Création: three seen (booked 2, 4 and 10 days before), one no-show, one excused; a booking moved once.
    booking(creation, at(2, 3), BookingStatus.SEEN, booked_days_before=2)
    booking(creation, at(2, 10), BookingStatus.SEEN, booked_days_before=4)
    booking(creation, at(2, 17), BookingStatus.SEEN, booked_days_before=10)
    booking(creation, at(2, 24), BookingStatus.NO_SHOW, booked_days_before=6)
    old = booking(creation, at(3, 3), BookingStatus.EXCUSED, booked_days_before=8)
    booking(creation, at(3, 10), BookingStatus.SEEN, booked_days_before=3, moved_from=old)  # the move of ``old``
    # Financement by phone: one seen, one cancelled by the service.
    booking(phone, at(4, 1), BookingStatus.SEEN, booked_days_before=5)
    booking(phone, at(4, 8), BookingStatus.CANCELLED_BY_SERVICE, booked_days_before=9)
    # Another year, another territory: never in 2025's figures of this territory.
    booking(creation, at(2, 3, year=2024), BookingStatus.NO_SHOW)
    booking(OpeningRangeFactory(), at(2, 3), BookingStatus.NO_SHOW)

    food = SectorFactory(slug="test-alimentation", name="Alimentation")
    reuse = SectorFactory(slug="test-reemploi", name="Réemploi et ressourceries")
    followed = project(territory, at(6, 1, year=2024), stage=Stage.STUDY, sector=food)
    created = project(territory, at(3, 1), closed=at(10, 1), first_contact_days=2, stage=Stage.CREATED, sector=reuse)
    developing = project(
        territory,
        at(5, 1),
        first_contact_days=4,
        stage=Stage.DEVELOPING,
        kind=ProjectKind.DEVELOPMENT,
        sector=reuse,
    )
    project(territory, at(3, 1, year=2023), closed=at(3, 1, year=2024), stage=Stage.IDEA)  # closed before 2025
    project(territory, at(1, 15, year=2026), stage=Stage.IDEA)  # opened after 2025
    project(TerritoryFactory(), at(3, 1), stage=Stage.IDEA)  # another territory

    bge = PartnerFactory(territory=territory, name="BGE Hauts-de-France")
    cae = PartnerFactory(territory=territory, name="Coopérative d'activités et d'emploi")
    referral(created, bge, at(3, 10), ReferralStatus.DONE, first_contact_days=5, changed_days=20)
    referral(developing, cae, at(6, 1), ReferralStatus.QUO)
    referral(developing, bge, at(6, 1), ReferralStatus.NOT_FOR_ME, changed_days=1)
    referral(followed, bge, at(6, 1, year=2024), ReferralStatus.DONE, first_contact_days=30)  # 2024

    survey(created, at(11, 2), 4, "yes", "t1")
    survey(developing, at(12, 1), 2, "partly", "t2")
    survey(followed, at(12, 1, year=2024), 1, "no", "t3")
    return territory


def rows(table):
    return [(row["label"], row["value"]) for row in table]


def test_the_bookings_of_the_year_by_motif_channel_and_status(territory):
    """A booking counts in the year of its slot; the booking a move replaced is not counted twice."""
    (figures,) = support_indicators(territory=territory, year=YEAR)
    values, tables = figures["values"], figures["tables"]
    assert figures["year"] == YEAR
    assert values["bookings_total"] == 7
    assert values["bookings_seen"] == 5
    assert values["no_show_rate"] == round(100 / 6, 1)  # one no-show for five seen
    assert values["booking_delay_median_days"] == 5.0  # 2, 3, 4, 5, 6, 9, 10
    assert rows(tables["bookings_by_motif"]) == [("Premier rendez-vous création", 5), ("Point financement", 2)]
    assert tables["bookings_by_motif"][0]["detail"] == {
        "booked": 0,
        "seen": 4,
        "no_show": 1,
        "excused": 0,
        "cancelled": 0,
    }
    assert rows(tables["bookings_by_channel"]) == [("sur place", 5), ("par téléphone", 2), ("en visioconférence", 0)]
    assert dict(rows(tables["bookings_by_status"])) == {
        "à venir": 0,
        "vu·e": 5,
        "absent·e sans prévenir": 1,
        "annulé par la personne": 0,
        "annulé par le service": 1,
    }


def test_the_projects_followed_opened_and_closed_in_the_year(territory):
    """Followed: opened before the end of the year and not closed before its start, with their current stage."""
    (figures,) = support_indicators(territory=territory, year=YEAR)
    values, tables = figures["values"], figures["tables"]
    assert (values["projects_followed"], values["projects_opened"], values["projects_closed"]) == (3, 2, 1)
    assert values["project_first_contact_median_days"] == 3.0
    assert rows(tables["projects_by_stage"]) == [
        ("idée", 0),
        ("étude", 1),
        ("lancement", 0),
        ("créé", 1),
        ("en développement", 1),
    ]
    assert rows(tables["projects_by_sector"]) == [("Réemploi et ressourceries", 2), ("Alimentation", 1)]
    assert rows(tables["projects_by_kind"]) == [("création", 2), ("développement d'une structure existante", 1)]


def test_the_referrals_of_the_year_by_partner_and_outcome_and_the_time_to_first_contact(territory):
    """The partner's first contact, else its first move (a refusal the next day): never a referral still at quo."""
    (figures,) = support_indicators(territory=territory, year=YEAR)
    values, tables = figures["values"], figures["tables"]
    assert values["referrals_total"] == 3
    assert values["referral_first_contact_median_days"] == 3.0  # 5 days and 1 day
    assert rows(tables["referrals_by_partner"]) == [
        ("BGE Hauts-de-France", 2),
        ("Coopérative d'activités et d'emploi", 1),
    ]
    assert tables["referrals_by_partner"][0]["detail"]["done"] == 1
    assert tables["referrals_by_partner"][0]["detail"]["not_for_me"] == 1
    assert dict(rows(tables["referrals_by_status"]))["en attente de prise en charge"] == 1


def test_the_satisfaction_of_the_year(territory):
    (figures,) = support_indicators(territory=territory, year=YEAR)
    values = figures["values"]
    assert (values["survey_answers"], values["survey_rating_mean"], values["survey_helped_share"]) == (2, 3.0, 50.0)
    assert rows(figures["tables"]["survey_helped"]) == [("oui", 1), ("en partie", 1), ("non", 0)]


def test_every_year_at_once_most_recent_first_in_a_constant_number_of_queries(territory, django_assert_num_queries):
    """Without a year, one dict per year with data (a project open over several years counts in each)."""
    with django_assert_num_queries(5):
        years = support_indicators(territory=territory)
    assert [y["year"] for y in years if y["year"] <= 2026] == [2026, YEAR, 2024, 2023]
    by_year = {y["year"]: y for y in years}
    assert by_year[YEAR]["values"] == support_indicators(territory=territory, year=YEAR)[0]["values"]
    assert by_year[2024]["values"]["bookings_total"] == 1
    assert by_year[2024]["values"]["no_show_rate"] == 100.0
    assert by_year[2024]["values"]["referrals_total"] == 1
    with django_assert_num_queries(5):
        support_indicators(territory=territory, year=YEAR)


def test_a_territory_without_anything_has_empty_figures_not_errors(db):
    (figures,) = support_indicators(territory=TerritoryFactory(), year=YEAR)
    assert figures["values"]["bookings_total"] == 0
    assert figures["values"]["no_show_rate"] is None
    assert figures["values"]["booking_delay_median_days"] is None
    assert figures["values"]["survey_rating_mean"] is None
    assert figures["tables"]["bookings_by_motif"] == []
    assert [row["value"] for row in figures["tables"]["projects_by_stage"]] == [0, 0, 0, 0, 0]


def test_the_years_offered_run_from_the_first_row_to_the_last_slot(territory):
    assert years_with_data(territory)[-1] == 2023
    assert years_with_data(territory)[0] == max(2026, timezone.localdate().year)


def test_every_figure_is_defined_once_with_a_french_name_a_definition_and_a_unit():
    codes = [d.code for d in DEFINITIONS]
    assert len(codes) == len(set(codes))
    assert [d.code for d in DEFINITIONS if not (d.name and d.definition and d.unit)] == []
    assert {d.kind for d in DEFINITIONS} == {"value", "table"}
    assert BY_CODE["no_show_rate"].unit == "%"


def test_the_api_returns_the_definitions_and_the_year(client, territory):
    response = client.get("/api/v1/support/indicators", {"territory": "200072460", "year": YEAR})
    assert response.status_code == 200
    body = response.json()
    assert body["territory"] == {"siren": "200072460", "slug": "bethune-bruay", "name": territory.name}
    assert [y["year"] for y in body["years"]] == [YEAR]
    assert body["years"][0]["values"]["bookings_total"] == 7
    assert body["years"][0]["values"]["no_show_rate"] == round(100 / 6, 1)
    assert body["years"][0]["tables"]["bookings_by_motif"][0]["detail"]["seen"] == 4
    definitions = {d["code"]: d for d in body["definitions"]}
    assert definitions["no_show_rate"]["name"] == "Taux d'absence sans prévenir"
    assert definitions["bookings_by_motif"]["kind"] == "table"
    assert "moved" not in response.content.decode()  # no internal field, no personal data
    assert "Camille" not in response.content.decode()


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ({"territory": "12345"}, 422, "SIREN"),
        ({"territory": "999999999"}, 404, ""),
        ({"territory": "200072460", "year": "1500"}, 422, "year"),
        ({"territory": "200072460", "year": "deux-mille"}, 422, "year"),
        ({}, 422, "SIREN du territoire"),
    ],
)
def test_the_api_refuses_bad_input_in_french(client, territory, query, status, message):
    response = client.get("/api/v1/support/indicators", query)
    assert response.status_code == status
    assert message in response.json()["detail"]
