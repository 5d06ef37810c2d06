"""The Bureau's decisions: each deliberation recorded in full, within the commission's proposal and the credits of
its own year, dated after the opinion and never in the future, logged, mailed to the applicant; a sitting records
all its decisions or none."""

import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from essaim.grants import services
from essaim.grants.enums import AccessAction, ApplicationState, DecisionOutcome, Opinion, SessionKind
from essaim.grants.models import (
    AccessLog,
    Application,
    BudgetEnvelope,
    CommissionOpinion,
    Decision,
    Session,
    Transition,
)
from essaim.grants.services.common import day
from tests.grants.conftest import DELIBERATION_DAY
from tests.grants.factories import BudgetEnvelopeFactory, SchemeFactory

S = ApplicationState
COMMISSION_DAY = datetime.date(2026, 3, 1)  # the date of World.commission


def _reviewed(world, *, on=COMMISSION_DAY, opinion=Opinion.FAVOURABLE):
    """A file the commission has given its opinion on (6 000 € proposed when favourable), at a sitting of ``on``."""
    application = world.at(S.READY_FOR_COMMISSION)
    commission = services.session_create(
        scheme=world.scheme, kind=SessionKind.COMMISSION, date=on, place="", members=[world.member], by=world.officer
    )
    services.session_set_agenda(session=commission, applications=[application])
    entry = {"application": application, "opinion": opinion}
    if opinion == Opinion.FAVOURABLE:
        entry["proposed_amount"] = application.computed_amount
    services.session_record_opinions(session=commission, by=world.officer, entries=[entry])
    application.refresh_from_db()
    return application


def _bureau(world, applications, *, on=DELIBERATION_DAY):
    bureau = services.session_create(
        scheme=world.scheme, kind=SessionKind.BUREAU, date=on, place="", members=[], by=world.officer
    )
    services.session_set_agenda(session=bureau, applications=applications)
    return bureau


def _entry(application, **overrides):
    return {
        "application": application,
        "outcome": DecisionOutcome.GRANTED,
        "amount": Decimal("6000.00"),
        "deliberation_number": "B2026-001",
        "deliberation_date": DELIBERATION_DAY,
        **overrides,
    }


def _refused_with(world, application, entry, message):
    """Records ``entry`` at a sitting of the Bureau, expects ``message`` and checks that nothing was recorded."""
    bureau = _bureau(world, [application])
    with pytest.raises(ValidationError) as excinfo:
        services.session_record_decisions(session=bureau, by=world.officer, entries=[entry])
    assert excinfo.value.messages == [message.format(ref=application.reference)]
    assert Application.objects.get(pk=application.pk).state == S.COMMISSION_REVIEWED
    assert not Decision.objects.exists()
    bureau.refresh_from_db()
    assert bureau.recorded_at is None


def test_a_grant_records_the_deliberation_in_full(world, settings, django_capture_on_commit_callbacks):
    settings.ESSAIM_SITE_URL = "https://ess.example.fr"
    application = _reviewed(world)
    bureau = _bureau(world, [application])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decision = services.decision_record(
            session=bureau,
            by=world.officer,
            application=application,
            outcome=DecisionOutcome.GRANTED,
            amount=Decimal("5400.00"),
            deliberation_number="B2026-017",
            deliberation_date=DELIBERATION_DAY,
            comment="Projet solide.",
        )
    decision = Decision.objects.get(pk=decision.pk)
    assert (
        decision.application,
        decision.session,
        decision.envelope,
        decision.outcome,
        decision.proposed_amount,
        decision.amount,
        decision.deliberation_number,
        decision.deliberation_date,
        decision.opinion_on,
        decision.comment,
        decision.recorded_by,
    ) == (
        application,
        bureau,
        world.envelope,
        DecisionOutcome.GRANTED,
        Decimal("6000.00"),
        Decimal("5400.00"),
        "B2026-017",
        DELIBERATION_DAY,
        COMMISSION_DAY,
        "Projet solide.",
        world.officer,
    )
    application.refresh_from_db()
    assert application.state == S.GRANTED
    log = application.transitions.last()
    assert (log.name, log.by, log.comment) == (
        "grant",
        world.officer,
        "Délibération B2026-017 du 12 mars 2026. Projet solide.",
    )
    assert list(
        AccessLog.objects.filter(application=application, detail="décision du Bureau").values_list("user", "action")
    ) == [(world.officer.pk, AccessAction.CHANGE)]
    bureau.refresh_from_db()
    assert bureau.recorded_at is not None
    assert world.envelope.remaining() == Decimal("34600.00")
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == [world.applicant.email]
    assert sent.subject == f"[{application.reference}] Décision du Bureau communautaire sur votre demande"
    assert f"https://ess.example.fr/aides/demandes/{application.pk}/" in sent.body
    assert "ajouter le SIRET" not in sent.body
    assert "le service instructeur vous adresse la convention à signer" in sent.body


def test_the_mail_of_a_grant_asks_for_the_siret_when_it_is_missing(world, django_capture_on_commit_callbacks):
    application = _reviewed(world)
    Application.objects.filter(pk=application.pk).update(new_structure_siret="")
    bureau = _bureau(world, [application])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.session_record_decisions(session=bureau, by=world.officer, entries=[_entry(application)])
    assert len(mail.outbox) == 1
    assert "ajouter le SIRET de la structure depuis cette même page" in mail.outbox[0].body


def test_a_deliberation_without_comment_logs_only_its_number_and_date(world):
    application = _reviewed(world)
    decision = services.session_record_decisions(
        session=_bureau(world, [application]), by=world.officer, entries=[_entry(application)]
    )[0]
    assert Decision.objects.get(pk=decision.pk).comment == ""
    assert (
        Transition.objects.filter(application=application).last().comment == "Délibération B2026-001 du 12 mars 2026."
    )


def test_a_refusal_records_no_amount_even_if_one_was_typed(world):
    application = _reviewed(world)
    decision = services.session_record_decisions(
        session=_bureau(world, [application]),
        by=world.officer,
        entries=[_entry(application, outcome=DecisionOutcome.REFUSED, amount=Decimal("6000.00"))],
    )[0]
    decision = Decision.objects.get(pk=decision.pk)
    assert (decision.outcome, decision.amount, decision.proposed_amount) == (
        DecisionOutcome.REFUSED,
        None,
        Decimal("6000.00"),
    )
    application.refresh_from_db()
    assert (application.state, application.transitions.last().name) == (S.REFUSED, "refuse")
    assert world.envelope.remaining() == Decimal("40000.00")


def test_an_unfavourable_opinion_proposes_nothing_the_bureau_could_grant(world):
    application = _reviewed(world, opinion=Opinion.UNFAVOURABLE)
    _refused_with(
        world,
        application,
        _entry(application, amount=Decimal("0.01")),
        "{ref} : le montant accordé (0,01\u00a0€) dépasse le montant proposé par la commission (0,00\u00a0€).",
    )
    decision = services.session_record_decisions(
        session=_bureau(world, [application]),
        by=world.officer,
        entries=[_entry(application, outcome=DecisionOutcome.REFUSED)],
    )[0]
    assert Decision.objects.get(pk=decision.pk).proposed_amount == Decimal("0.00")


def test_decisions_are_recorded_at_a_sitting_of_the_bureau_only(world):
    application = _reviewed(world)
    commission = world.commission([])
    with pytest.raises(ValidationError) as excinfo:
        services.session_record_decisions(session=commission, by=world.officer, entries=[_entry(application)])
    assert excinfo.value.messages == ["Les décisions se saisissent sur une séance du Bureau."]
    assert not Decision.objects.exists()


def test_a_sitting_to_come_records_nothing_and_a_sitting_of_today_records(world):
    today = timezone.localdate()
    if today.year != DELIBERATION_DAY.year:
        BudgetEnvelopeFactory(scheme=world.scheme, year=today.year, credits=Decimal("40000.00"))
    first, second = _reviewed(world), _reviewed(world)
    tomorrow = today + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as excinfo:
        services.session_record_decisions(
            session=_bureau(world, [first], on=tomorrow), by=world.officer, entries=[_entry(first)]
        )
    assert excinfo.value.messages == [
        f"Le Bureau siège le {day(tomorrow)} : ses décisions s'enregistrent à partir de ce jour-là."
    ]
    assert not Decision.objects.exists()
    decision = services.session_record_decisions(
        session=_bureau(world, [second], on=today), by=world.officer, entries=[_entry(second, deliberation_date=today)]
    )[0]
    assert (decision.deliberation_date, decision.amount) == (today, Decimal("6000.00"))


def test_the_message_of_a_sitting_to_come_says_its_date_in_french(world):
    application = _reviewed(world)
    bureau = _bureau(world, [application])
    bureau.date = datetime.date(2099, 3, 1)
    with pytest.raises(ValidationError) as excinfo:
        services.session_record_decisions(session=bureau, by=world.officer, entries=[_entry(application)])
    assert excinfo.value.messages == [
        "Le Bureau siège le 1er mars 2099 : ses décisions s'enregistrent à partir de ce jour-là."
    ]


def test_each_deliberation_counts_against_the_credits_of_its_own_year(world):
    BudgetEnvelopeFactory(scheme=world.scheme, year=2025, credits=Decimal("5000.00"))
    late_2025, early_2026 = _reviewed(world, on=datetime.date(2025, 11, 5)), _reviewed(world)
    bureau = _bureau(world, [late_2025, early_2026], on=datetime.date(2025, 12, 10))
    over = [
        _entry(early_2026, deliberation_number="B2026-001"),
        _entry(late_2025, deliberation_number="B2025-090", deliberation_date=datetime.date(2025, 12, 10)),
    ]
    with pytest.raises(ValidationError) as excinfo:
        services.session_record_decisions(session=bureau, by=world.officer, entries=over)
    assert excinfo.value.messages == [
        f"{late_2025.reference} : crédits 2025 insuffisants. Il reste 5\u202f000,00\u00a0€ sur 5\u202f000,00\u00a0€ "
        "votés ; 6\u202f000,00\u00a0€ ne peuvent pas être engagés."
    ]
    assert not Decision.objects.exists()
    within = [over[0], {**over[1], "amount": Decimal("5000.00")}]
    decisions = services.session_record_decisions(session=bureau, by=world.officer, entries=within)
    assert [(d.application, d.envelope.year, d.amount) for d in decisions] == [
        (early_2026, 2026, Decimal("6000.00")),
        (late_2025, 2025, Decimal("5000.00")),
    ]
    assert [e.remaining() for e in BudgetEnvelope.objects.order_by("year")] == [Decimal("0.00"), Decimal("34000.00")]


def test_the_credits_of_the_year_are_read_under_a_row_lock(world):
    """On PostgreSQL two sittings recorded at once wait for each other on the envelope row (test_concurrency)."""
    application = _reviewed(world)
    bureau = _bureau(world, [application])
    with mock.patch.object(
        QuerySet, "select_for_update", autospec=True, side_effect=QuerySet.select_for_update
    ) as spy:
        services.session_record_decisions(session=bureau, by=world.officer, entries=[_entry(application)])
    locks = [c for c in spy.call_args_list if c.args[0].model is BudgetEnvelope]
    assert len(locks) == 1
    assert locks[0].kwargs == {"of": ("self",)}


def test_a_file_is_decided_once(world):
    application = _reviewed(world)
    bureau = _bureau(world, [application])
    services.session_record_decisions(session=bureau, by=world.officer, entries=[_entry(application)])
    with pytest.raises(ValidationError) as excinfo:
        services.session_record_decisions(
            session=bureau, by=world.officer, entries=[_entry(application, deliberation_number="B2026-002")]
        )
    assert excinfo.value.messages == [f"{application.reference} : une décision est déjà enregistrée."]
    assert list(Decision.objects.values_list("deliberation_number", flat=True)) == ["B2026-001"]


def test_a_file_not_on_the_agenda_of_the_sitting_is_not_decided_there(world):
    on_agenda, elsewhere = _reviewed(world), _reviewed(world)
    bureau = _bureau(world, [on_agenda])
    with pytest.raises(ValidationError) as excinfo:
        services.session_record_decisions(session=bureau, by=world.officer, entries=[_entry(elsewhere)])
    assert excinfo.value.messages == [f"{elsewhere.reference} n'est pas à l'ordre du jour de cette séance."]
    assert not Decision.objects.exists()


def test_a_deliberation_never_precedes_the_opinion(world):
    application = _reviewed(world)
    _refused_with(
        world,
        application,
        _entry(application, deliberation_date=datetime.date(2026, 2, 28)),
        "{ref} : La date de la délibération (28 février 2026) ne peut pas précéder l'avis de la commission "
        "(1er mars 2026).",
    )


def test_a_deliberation_is_never_dated_in_the_future(world):
    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    if tomorrow.year != DELIBERATION_DAY.year:
        BudgetEnvelopeFactory(scheme=world.scheme, year=tomorrow.year, credits=Decimal("40000.00"))
    application = _reviewed(world)
    _refused_with(
        world,
        application,
        _entry(application, deliberation_date=tomorrow),
        f"{{ref}} : La date de la délibération ({day(tomorrow)}) ne peut pas être dans le futur : "
        f"nous sommes le {day(today)}.",
    )


def test_a_deliberation_on_the_day_of_the_opinion_is_recorded(world):
    application = _reviewed(world)
    decision = services.session_record_decisions(
        session=_bureau(world, [application]),
        by=world.officer,
        entries=[_entry(application, deliberation_date=COMMISSION_DAY)],
    )[0]
    assert (decision.deliberation_date, decision.opinion_on) == (COMMISSION_DAY, COMMISSION_DAY)


def test_an_opinion_without_its_date_is_dated_by_its_sitting(world):
    application = _reviewed(world)
    CommissionOpinion.objects.filter(application=application).update(given_on=None)
    _refused_with(
        world,
        application,
        _entry(application, deliberation_date=datetime.date(2026, 2, 28)),
        "{ref} : La date de la délibération (28 février 2026) ne peut pas précéder l'avis de la commission "
        "(1er mars 2026).",
    )
    decision = services.session_record_decisions(
        session=_bureau(world, [application]), by=world.officer, entries=[_entry(application)]
    )[0]
    assert Decision.objects.get(pk=decision.pk).opinion_on == COMMISSION_DAY


@pytest.mark.parametrize("amount", [None, Decimal("0"), Decimal("-100.00")])
def test_a_grant_states_a_positive_amount(world, amount):
    application = _reviewed(world)
    _refused_with(world, application, _entry(application, amount=amount), "{ref} : indiquez le montant accordé.")


def test_a_grant_of_one_cent_is_recorded(world):
    application = _reviewed(world)
    decision = services.session_record_decisions(
        session=_bureau(world, [application]), by=world.officer, entries=[_entry(application, amount=Decimal("0.01"))]
    )[0]
    assert Decision.objects.get(pk=decision.pk).amount == Decimal("0.01")


def test_a_grant_above_the_proposal_says_both_amounts(world):
    application = _reviewed(world)
    _refused_with(
        world,
        application,
        _entry(application, amount=Decimal("6000.01")),
        "{ref} : le montant accordé (6\u202f000,01\u00a0€) dépasse le montant proposé par la commission "
        "(6\u202f000,00\u00a0€).",
    )


@pytest.mark.parametrize("number", ["", None])
def test_a_deliberation_has_its_number(world, number):
    application = _reviewed(world)
    _refused_with(
        world,
        application,
        _entry(application, deliberation_number=number),
        "{ref} : le numéro de délibération est obligatoire.",
    )


def test_a_deliberation_number_left_out_is_refused_too(world):
    application = _reviewed(world)
    entry = _entry(application, outcome=DecisionOutcome.REFUSED, amount=None)
    del entry["deliberation_number"]
    _refused_with(world, application, entry, "{ref} : le numéro de délibération est obligatoire.")


def test_recording_the_decisions_never_overwrites_the_sitting_changed_meanwhile(world):
    application = _reviewed(world)
    bureau = _bureau(world, [application])
    Session.objects.filter(pk=bureau.pk).update(place="Salle du conseil")
    services.session_record_decisions(session=bureau, by=world.officer, entries=[_entry(application)])
    bureau.refresh_from_db()
    assert bureau.place == "Salle du conseil"
    assert bureau.recorded_at is not None


def test_a_decision_commits_the_credits_of_its_own_scheme(world):
    first_scheme_envelope = world.envelope
    first_scheme_envelope.credits = Decimal("1000.00")
    first_scheme_envelope.save()
    world.scheme = SchemeFactory(territory=world.territory)  # a second scheme of the same territory, same year
    envelope = BudgetEnvelopeFactory(scheme=world.scheme, year=2026, credits=Decimal("8000.00"))
    application = _reviewed(world)
    decision = services.session_record_decisions(
        session=_bureau(world, [application]), by=world.officer, entries=[_entry(application)]
    )[0]
    assert decision.envelope == envelope
    assert (envelope.remaining(), first_scheme_envelope.remaining()) == (Decimal("2000.00"), Decimal("1000.00"))
