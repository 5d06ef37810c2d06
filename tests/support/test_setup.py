"""The team's settings of the permanences, as services: motifs, opening ranges (rule, venue, adviser, length and,
above all, no overlap between two ranges of one adviser), absences, temps forts, partners and their advisers."""

import datetime
import re

import pytest
from django.core import mail

from essaim.accounts.models import User
from essaim.support import perms
from essaim.support.enums import Channel
from essaim.support.models import Absence, Motif, OpeningRange, Partner, PartnerAdviser, SupportPeriod
from essaim.support.services import setup
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.agenda.factories import EventFactory, VenueFactory
from tests.support.factories import (
    MotifFactory,
    OpeningRangeFactory,
    PartnerAdviserFactory,
    PartnerFactory,
    local,
    next_weekday,
)
from tests.territories.factories import TerritoryFactory

pytestmark = pytest.mark.django_db


def messages_of(error: setup.SetupError) -> str:
    return " ".join(m for messages in error.message_dict.values() for m in messages)


def new_range(existing: OpeningRange, **changes) -> OpeningRange:
    """An unsaved range of the same adviser, motif and venue as ``existing``, with ``changes``."""
    values = {
        "territory": existing.territory,
        "adviser": existing.adviser,
        "motif": existing.motif,
        "venue": existing.venue,
        "first_day": existing.first_day,
        "start_time": existing.start_time,
        "end_time": existing.end_time,
        "rule": existing.rule,
    }
    values.update(changes)
    return OpeningRange(**values)


# --- motifs --------------------------------------------------------------------------------------------------------


def test_a_motifs_address_is_unique_in_its_territory_but_not_across_territories():
    motif = MotifFactory(slug="premier-rendez-vous")
    twin = Motif(territory=motif.territory, title="Autre", slug="premier-rendez-vous", duration_minutes=30)
    with pytest.raises(setup.SetupError) as refused:
        setup.motif_save(motif=twin)
    assert "slug" in refused.value.message_dict
    elsewhere = Motif(territory=TerritoryFactory(), title="Autre", slug="premier-rendez-vous", duration_minutes=30)
    assert setup.motif_save(motif=elsewhere).pk is not None


def test_a_motifs_minimal_delay_must_be_shorter_than_its_maximal_delay():
    motif = MotifFactory.build(territory=TerritoryFactory(), min_delay_hours=48, max_delay_days=2)
    with pytest.raises(setup.SetupError) as refused:
        setup.motif_save(motif=motif)
    assert "min_delay_hours" in refused.value.message_dict


# --- opening ranges: each rule -------------------------------------------------------------------------------------


def test_a_valid_range_is_saved_with_its_excluded_days_sorted():
    existing = OpeningRangeFactory()
    other_day = new_range(existing, rule="FREQ=WEEKLY;BYDAY=WE", first_day=existing.first_day + datetime.timedelta(1))
    other_day.exdates = ["2099-01-07", "2099-01-02", "2099-01-07"]
    saved = setup.opening_range_save(opening_range=other_day)
    assert saved.pk is not None
    assert saved.exdates == ["2099-01-02", "2099-01-07"]


def test_a_rule_that_is_not_rfc_5545_is_refused_in_french():
    existing = OpeningRangeFactory()
    candidate = new_range(
        existing, adviser=MembershipFactory(territory=existing.territory).user, rule="TOUS LES MARDIS"
    )
    with pytest.raises(setup.SetupError) as refused:
        setup.opening_range_save(opening_range=candidate)
    assert refused.value.message_dict["rule"] == ["La règle de répétition doit commencer par FREQ= (RFC 5545)."]


def test_a_rule_that_never_opens_is_refused():
    existing = OpeningRangeFactory()
    until = existing.first_day - datetime.timedelta(days=30)
    candidate = new_range(
        existing,
        adviser=MembershipFactory(territory=existing.territory).user,
        rule=f"FREQ=WEEKLY;BYDAY=TU;UNTIL={until:%Y%m%d}T235959",
    )
    with pytest.raises(setup.SetupError) as refused:
        setup.opening_range_save(opening_range=candidate)
    assert "aucun jour d'ouverture" in refused.value.message_dict["rule"][0]


def test_an_in_person_range_needs_a_venue_of_its_own_territory():
    existing = OpeningRangeFactory()
    adviser = MembershipFactory(territory=existing.territory).user
    with pytest.raises(setup.SetupError) as missing:
        setup.opening_range_save(opening_range=new_range(existing, adviser=adviser, venue=None))
    assert missing.value.message_dict["venue"] == ["Un rendez-vous sur place a besoin d'un lieu."]
    with pytest.raises(setup.SetupError) as foreign:
        setup.opening_range_save(opening_range=new_range(existing, adviser=adviser, venue=VenueFactory()))
    assert foreign.value.message_dict["venue"] == ["Ce lieu n'appartient pas à ce territoire."]


def test_a_phone_or_video_range_has_no_venue():
    existing = OpeningRangeFactory()
    phone = MotifFactory(territory=existing.territory, channel=Channel.PHONE)
    adviser = MembershipFactory(territory=existing.territory).user
    with pytest.raises(setup.SetupError) as refused:
        setup.opening_range_save(opening_range=new_range(existing, adviser=adviser, motif=phone))
    assert "n'a pas de lieu" in refused.value.message_dict["venue"][0]
    saved = setup.opening_range_save(opening_range=new_range(existing, adviser=adviser, motif=phone, venue=None))
    assert saved.venue_id is None


def test_a_motif_of_another_territory_is_refused():
    existing = OpeningRangeFactory()
    adviser = MembershipFactory(territory=existing.territory).user
    with pytest.raises(setup.SetupError) as refused:
        setup.opening_range_save(opening_range=new_range(existing, adviser=adviser, motif=MotifFactory()))
    assert "motif" in refused.value.message_dict


@pytest.mark.parametrize("who", ["outsider", "commission", "other_officer", "other_partner_adviser"])
def test_only_the_territorys_team_and_its_partners_advisers_receive(who):
    existing = OpeningRangeFactory()
    territory = existing.territory
    adviser = {
        "outsider": lambda: UserFactory(),
        "commission": lambda: MembershipFactory(territory=territory, commission=True).user,
        "other_officer": lambda: MembershipFactory(territory=TerritoryFactory()).user,
        "other_partner_adviser": lambda: PartnerAdviserFactory().user,
    }[who]()
    with pytest.raises(setup.SetupError) as refused:
        setup.opening_range_save(opening_range=new_range(existing, adviser=adviser))
    assert "adviser" in refused.value.message_dict


def test_an_adviser_of_the_territorys_partner_and_its_admin_may_receive():
    existing = OpeningRangeFactory()
    territory = existing.territory
    partner_adviser = PartnerAdviserFactory(partner=PartnerFactory(territory=territory)).user
    admin = MembershipFactory(territory=territory, admin=True).user
    assert setup.opening_range_save(opening_range=new_range(existing, adviser=partner_adviser)).pk
    assert setup.opening_range_save(opening_range=new_range(existing, adviser=admin)).pk


def test_an_adviser_of_an_inactive_partner_may_not_receive():
    existing = OpeningRangeFactory()
    adviser = PartnerAdviserFactory(partner=PartnerFactory(territory=existing.territory, active=False)).user
    with pytest.raises(setup.SetupError):
        setup.opening_range_save(opening_range=new_range(existing, adviser=adviser))


def test_a_range_must_hold_at_least_one_slot_of_its_motif():
    existing = OpeningRangeFactory()  # 45-minute motif
    adviser = MembershipFactory(territory=existing.territory).user
    short = new_range(existing, adviser=adviser, start_time=datetime.time(9), end_time=datetime.time(9, 30))
    with pytest.raises(setup.SetupError) as refused:
        setup.opening_range_save(opening_range=short)
    assert "30 minutes" in refused.value.message_dict["end_time"][0]
    exact = new_range(existing, adviser=adviser, start_time=datetime.time(9), end_time=datetime.time(9, 45))
    assert setup.opening_range_save(opening_range=exact).pk


# --- opening ranges: no overlap for one adviser --------------------------------------------------------------------


def test_an_overlapping_range_of_the_same_adviser_is_refused_and_the_day_is_named():
    existing = OpeningRangeFactory()  # Tuesdays 9-12 from next week
    candidate = new_range(existing, start_time=datetime.time(11), end_time=datetime.time(13), rule="FREQ=WEEKLY")
    candidate.first_day = existing.first_day + datetime.timedelta(weeks=2)
    with pytest.raises(setup.SetupError) as refused:
        setup.opening_range_save(opening_range=candidate)
    message = messages_of(refused.value)
    assert "chevauche" in message
    day = candidate.first_day
    assert f"le mardi {day.day if day.day > 1 else '1er'} " in message
    assert existing.motif.title in message


def test_ranges_of_one_adviser_on_different_days_or_hours_are_accepted():
    existing = OpeningRangeFactory()  # Tuesdays 9-12
    wednesday = new_range(existing, first_day=existing.first_day + datetime.timedelta(1), rule="FREQ=WEEKLY")
    afternoon = new_range(existing, start_time=datetime.time(12), end_time=datetime.time(14))
    assert setup.opening_range_save(opening_range=wednesday).pk
    assert setup.opening_range_save(opening_range=afternoon).pk


def test_every_other_week_ranges_that_alternate_do_not_collide():
    first = OpeningRangeFactory(rule="FREQ=WEEKLY;INTERVAL=2;BYDAY=TU")
    alternate = new_range(first, first_day=first.first_day + datetime.timedelta(weeks=1))
    assert setup.opening_range_save(opening_range=alternate).pk
    same_weeks = new_range(first, first_day=first.first_day + datetime.timedelta(weeks=2))
    with pytest.raises(setup.SetupError):
        setup.opening_range_save(opening_range=same_weeks)


def test_a_range_that_ended_before_the_other_begins_does_not_collide():
    first = OpeningRangeFactory()
    until = first.first_day + datetime.timedelta(weeks=3)
    first.rule = f"FREQ=WEEKLY;BYDAY=TU;UNTIL={until:%Y%m%d}T235959"
    first.save()
    later = new_range(first, first_day=until + datetime.timedelta(weeks=1), rule="FREQ=WEEKLY;BYDAY=TU")
    assert setup.opening_range_save(opening_range=later).pk
    earlier = new_range(first, first_day=until, rule="FREQ=WEEKLY;BYDAY=TU")
    with pytest.raises(setup.SetupError):
        setup.opening_range_save(opening_range=earlier)


def test_a_one_day_range_on_a_recurring_day_collides_unless_that_day_is_excluded():
    weekly = OpeningRangeFactory()
    one_day = weekly.first_day + datetime.timedelta(weeks=5)
    single = new_range(weekly, first_day=one_day, rule="", start_time=datetime.time(10), end_time=datetime.time(11))
    with pytest.raises(setup.SetupError) as refused:
        setup.opening_range_save(opening_range=single)
    assert str(one_day.year) in messages_of(refused.value)
    weekly.exdates = [one_day.isoformat()]
    weekly.save()
    assert setup.opening_range_save(opening_range=single).pk


def test_a_closed_range_does_not_block_and_reopening_it_is_checked():
    first = OpeningRangeFactory()
    setup.opening_range_set_active(opening_range=first, active=False)
    replacement = setup.opening_range_save(opening_range=new_range(first))
    assert replacement.pk
    with pytest.raises(setup.SetupError):
        setup.opening_range_set_active(opening_range=first, active=True)
    first.refresh_from_db()
    assert first.active is False


def test_the_same_adviser_receiving_in_two_territories_never_overlaps():
    existing = OpeningRangeFactory()
    elsewhere = TerritoryFactory()
    MembershipFactory(territory=elsewhere, user=existing.adviser)
    motif = MotifFactory(territory=elsewhere)
    candidate = new_range(existing, territory=elsewhere, motif=motif, venue=VenueFactory(territory=elsewhere))
    with pytest.raises(setup.SetupError):
        setup.opening_range_save(opening_range=candidate)


def test_another_adviser_may_receive_at_the_same_hours():
    existing = OpeningRangeFactory()
    colleague = MembershipFactory(territory=existing.territory).user
    assert setup.opening_range_save(opening_range=new_range(existing, adviser=colleague)).pk


def test_editing_a_range_does_not_collide_with_itself():
    existing = OpeningRangeFactory()
    existing.end_time = datetime.time(12, 30)
    assert setup.opening_range_save(opening_range=existing).end_time == datetime.time(12, 30)


# --- absences ------------------------------------------------------------------------------------------------------


def test_an_absence_ends_after_it_starts():
    territory = TerritoryFactory()
    day = next_weekday(2)
    absence = Absence(territory=territory, starts_at=local(day, 12), ends_at=local(day, 9))
    with pytest.raises(setup.SetupError) as refused:
        setup.absence_save(absence=absence)
    assert "ends_at" in refused.value.message_dict


def test_an_absence_is_of_the_territorys_adviser_or_of_the_whole_service():
    territory = TerritoryFactory()
    day = next_weekday(2)
    closing = setup.absence_save(absence=Absence(territory=territory, starts_at=local(day, 0), ends_at=local(day, 23)))
    assert closing.adviser_id is None
    officer = MembershipFactory(territory=territory).user
    own = Absence(territory=territory, adviser=officer, starts_at=local(day, 0), ends_at=local(day, 23))
    assert setup.absence_save(absence=own).pk
    stranger = Absence(
        territory=territory, adviser=MembershipFactory().user, starts_at=local(day, 0), ends_at=local(day, 23)
    )
    with pytest.raises(setup.SetupError) as refused:
        setup.absence_save(absence=stranger)
    assert "adviser" in refused.value.message_dict


def test_the_french_public_holidays_follow_easter():
    days = dict(setup.public_holidays(2027))
    assert len(days) == 11
    assert days[datetime.date(2027, 3, 29)] == "Lundi de Pâques"
    assert days[datetime.date(2027, 5, 6)] == "Ascension"
    assert days[datetime.date(2027, 5, 17)] == "Lundi de Pentecôte"
    assert days[datetime.date(2027, 11, 11)] == "Armistice 1918"
    upcoming = setup.upcoming_public_holidays(datetime.date(2027, 11, 2), count=3)
    assert [d for d, _ in upcoming] == [
        datetime.date(2027, 11, 11),
        datetime.date(2027, 12, 25),
        datetime.date(2028, 1, 1),
    ]


# --- temps forts ---------------------------------------------------------------------------------------------------


def period(territory, **changes) -> SupportPeriod:
    values = {
        "territory": territory,
        "title": "Quinzaine de l'initiative",
        "slug": "quinzaine-de-l-initiative",
        "starts_on": datetime.date(2027, 11, 3),
        "ends_on": datetime.date(2027, 11, 14),
    }
    return SupportPeriod(**(values | changes))


def test_a_period_groups_the_territorys_motifs_and_workshops():
    motif = MotifFactory()
    workshop = EventFactory(territory=motif.territory)
    saved = setup.period_save(period=period(motif.territory), motifs=[motif], workshops=[workshop])
    assert list(saved.motifs.all()) == [motif]
    assert list(saved.workshops.all()) == [workshop]


@pytest.mark.parametrize("foreign", ["motifs", "workshops"])
def test_a_period_refuses_another_territorys_motif_or_workshop(foreign):
    territory = TerritoryFactory()
    items = {"motifs": [], "workshops": []}
    items[foreign] = [MotifFactory() if foreign == "motifs" else EventFactory()]
    with pytest.raises(setup.SetupError) as refused:
        setup.period_save(period=period(territory), **items)
    assert foreign in refused.value.message_dict
    assert not SupportPeriod.objects.exists()


def test_a_period_ends_on_or_after_its_first_day_and_its_address_is_unique():
    territory = TerritoryFactory()
    with pytest.raises(setup.SetupError) as backwards:
        setup.period_save(period=period(territory, ends_on=datetime.date(2027, 11, 1)))
    assert "ends_on" in backwards.value.message_dict
    setup.period_save(period=period(territory))
    with pytest.raises(setup.SetupError) as twin:
        setup.period_save(period=period(territory, title="Autre"))
    assert "slug" in twin.value.message_dict


# --- partners and their advisers -----------------------------------------------------------------------------------


def test_a_partners_name_is_unique_in_the_territory_whatever_the_case():
    partner = PartnerFactory(name="BGE Hauts-de-France")
    twin = Partner(territory=partner.territory, name="bge hauts-de-france ")
    with pytest.raises(setup.SetupError) as refused:
        setup.partner_save(partner=twin)
    assert "name" in refused.value.message_dict
    assert setup.partner_save(partner=Partner(territory=TerritoryFactory(), name="BGE Hauts-de-France")).pk


def test_a_new_adviser_gets_an_account_and_a_link_to_choose_a_password(
    client, settings, django_capture_on_commit_callbacks
):
    settings.ESSAIM_SITE_URL = "https://ess.artois.example"
    partner = PartnerFactory(name="BGE Hauts-de-France")
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        adviser = setup.partner_adviser_add(partner=partner, email=" Julie.Martin@BGE.example ", name="Julie  Martin")
    user = User.objects.get(email="julie.martin@bge.example")
    assert adviser.user == user
    assert user.full_name == "Julie Martin"
    assert not user.has_usable_password()
    assert perms.partner_ids(user) == {partner.pk}
    (message,) = mail.outbox
    assert message.to == ["julie.martin@bge.example"]
    assert "BGE Hauts-de-France" in message.subject
    link = re.search(r"https://ess\.artois\.example/\S+", message.body).group(0)
    response = client.get(link.removeprefix("https://ess.artois.example"))
    assert response.status_code == 302
    form = client.get(response["Location"])
    assert form.status_code == 200
    assert "lien-invalide" not in response["Location"]


def test_an_existing_account_becomes_adviser_without_a_new_password(django_capture_on_commit_callbacks):
    partner = PartnerFactory()
    person = UserFactory(email="conseil@cae.example")
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        setup.partner_adviser_add(partner=partner, email="CONSEIL@cae.example", name="")
    person.refresh_from_db()
    assert person.has_usable_password()
    assert User.objects.filter(email__iexact="conseil@cae.example").count() == 1
    assert "/compte/connexion/" in mail.outbox[0].body
    with pytest.raises(setup.SetupError) as twice:
        setup.partner_adviser_add(partner=partner, email="conseil@cae.example")
    assert "déjà conseiller" in twice.value.message_dict["email"][0]


def test_removing_an_adviser_closes_their_ranges_in_the_territory_and_keeps_their_account():
    partner = PartnerFactory()
    link = PartnerAdviserFactory(partner=partner)
    existing = OpeningRangeFactory(territory=partner.territory)
    own = setup.opening_range_save(opening_range=new_range(existing, adviser=link.user))
    setup.partner_adviser_remove(adviser=link)
    own.refresh_from_db()
    assert own.active is False
    assert not PartnerAdviser.objects.filter(pk=link.pk).exists()
    assert User.objects.filter(pk=link.user_id).exists()
    existing.refresh_from_db()
    assert existing.active is True
