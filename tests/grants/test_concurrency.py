"""Two decisions (or two payments) recorded at the same moment, from two threads with their own database
connections: together they can never exceed the credits (or the granted amount). Runs on SQLite (a file, so the
threads share it) and on PostgreSQL.

The read of what is already committed is slowed down on purpose: without the row lock both threads would read the
same remaining credits and both would commit.

Each test here is a guard's proof: tests/test_guards.py runs them again with the guards removed
(``select_for_update`` a no-op, SQLite transactions DEFERRED) and expects every one to fail."""

import datetime
import time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from essaim.grants import services
from essaim.grants.enums import ApplicationState, DecisionOutcome, Opinion, PaymentKind
from essaim.grants.models import BudgetEnvelope, Decision, Payment
from tests.grants.conftest import DELIBERATION_DAY, PDF, World
from tests.races import run_together


@pytest.fixture
def committed_world(transactional_db):
    return World()


@pytest.fixture
def slow_reads(monkeypatch):
    """Widens the window between reading the committed amounts and writing."""
    original_committed = BudgetEnvelope.committed

    def committed(self):
        value = original_committed(self)
        time.sleep(0.3)
        return value

    monkeypatch.setattr(BudgetEnvelope, "committed", committed)


def _reviewed(world):
    application = world.at(ApplicationState.READY_FOR_COMMISSION)
    services.session_record_opinions(
        session=world.commission([application]),
        by=world.officer,
        entries=[
            {"application": application, "opinion": Opinion.FAVOURABLE, "proposed_amount": application.computed_amount}
        ],
    )
    application.refresh_from_db()
    return application


def granting(world, session, application, number):
    """The Bureau granting ``application`` what it asks at ``session``, as a call for a thread."""
    return lambda: services.decision_record(
        session=session,
        by=world.officer,
        application=application,
        outcome=DecisionOutcome.GRANTED,
        amount=application.computed_amount,
        deliberation_number=number,
        deliberation_date=DELIBERATION_DAY,
    )


def test_two_decisions_at_the_same_moment_never_exceed_the_credits(committed_world, slow_reads):
    world = committed_world
    BudgetEnvelope.objects.filter(pk=world.envelope.pk).update(credits=Decimal("10000"))
    first, second = _reviewed(world), _reviewed(world)  # 6 000 € each: one fits, not both
    sessions = [world.bureau([first]), world.bureau([second])]

    results = run_together(granting(world, sessions[0], first, "B-1"), granting(world, sessions[1], second, "B-2"))

    decisions = [r for r in results if isinstance(r, Decision)]
    refusals = [r for r in results if isinstance(r, ValidationError)]
    assert len(decisions) == 1 and len(refusals) == 1, results
    assert "insuffisants" in refusals[0].messages[0]
    envelope = BudgetEnvelope.objects.get(pk=world.envelope.pk)
    assert envelope.committed() == Decimal("6000.00") <= envelope.credits
    assert Decision.objects.count() == 1


def test_two_payments_at_the_same_moment_never_exceed_the_granted_amount(committed_world, monkeypatch):
    world = committed_world
    application = world.at(ApplicationState.AGREEMENT_SIGNED)  # 6 000 € granted
    services.balance_justify(
        application=application,
        by=world.applicant,
        fte_achieved=application.fte_created,
        upload=SimpleUploadedFile("emplois.pdf", PDF, content_type="application/pdf"),
    )
    application.refresh_from_db()
    original = type(application).paid_total

    def slow_paid_total(self):
        value = original.fget(self)
        time.sleep(0.3)
        return value

    monkeypatch.setattr(type(application), "paid_total", property(slow_paid_total))

    def pay(kind):
        return lambda: services.payment_record(
            application=application,
            by=world.officer,
            kind=kind,
            amount=Decimal("4000"),
            paid_on=datetime.date(2026, 4, 1),
        )

    results = run_together(pay(PaymentKind.ADVANCE), pay(PaymentKind.BALANCE))

    assert sum(isinstance(r, Payment) for r in results) == 1, results
    assert sum(isinstance(r, ValidationError) for r in results) == 1, results
    assert sum(p.amount for p in Payment.objects.filter(application=application)) == Decimal("4000.00")


def test_two_closings_at_the_same_moment_release_the_unpaid_balance_once(committed_world, monkeypatch):
    """Both officers see 3 000 € unpaid; the row locks make the second wait, then find the file closed."""
    from essaim.grants.models import Application, CreditMovement

    world = committed_world
    application = world.at(ApplicationState.IN_PAYMENT)
    original = Application.paid_total

    def slow_paid_total(self):
        value = original.fget(self)
        time.sleep(0.3)
        return value

    monkeypatch.setattr(Application, "paid_total", property(slow_paid_total))

    def close():
        return services.application_officer_transition(
            application=application, by=world.officer, name="close", comment="Activité arrêtée."
        )

    results = run_together(close, close)

    assert sum(isinstance(r, ValidationError) for r in results) == 1, results
    assert list(CreditMovement.objects.values_list("amount", flat=True)) == [Decimal("3000.00")]


def test_a_decision_taken_while_credits_are_released_counts_them(committed_world, monkeypatch):
    """The decision needs the credits a closing gives back, and starts while the closing holds the envelope: under
    the lock it waits for the release and is granted; without it, it would read the credits before the release
    and be refused. What is released is counted exactly once and the envelope is never overdrawn."""
    world = committed_world
    original_movement = services.money._movement

    def slow_movement(*args, **kwargs):
        time.sleep(0.5)  # the closing holds the envelope's lock meanwhile
        return original_movement(*args, **kwargs)

    monkeypatch.setattr(services.money, "_movement", slow_movement)
    BudgetEnvelope.objects.filter(pk=world.envelope.pk).update(credits=Decimal("9000"))
    in_payment = world.at(ApplicationState.IN_PAYMENT)  # 6 000 € committed, 3 000 € paid
    reviewed = _reviewed(world)  # asks 6 000 €: only 3 000 € remain before the release
    bureau = world.bureau([reviewed])

    def release():
        return services.application_officer_transition(
            application=in_payment, by=world.officer, name="close", comment="Arrêt."
        )

    decide = granting(world, bureau, reviewed, "B-3")
    results = run_together(release, decide, stagger=0.15)

    assert not isinstance(results[0], Exception), results
    assert isinstance(results[1], Decision), results
    envelope = BudgetEnvelope.objects.get(pk=world.envelope.pk)
    assert envelope.released() == Decimal("3000.00")
    assert envelope.committed() == Decimal("12000.00") and envelope.remaining() == Decimal("0.00")


def test_credits_lowered_while_a_decision_is_taken_never_leave_the_envelope_overdrawn(committed_world, slow_reads):
    """12 000 € voted, 6 000 € granted: the officer lowers the credits to 6 000 € while the Bureau grants another
    6 000 €. Each is allowed alone, not both: one of them is refused, and the credits always cover what is
    committed."""
    world = committed_world
    BudgetEnvelope.objects.filter(pk=world.envelope.pk).update(credits=Decimal("12000"))
    world.at(ApplicationState.GRANTED)  # 6 000 € committed
    reviewed = _reviewed(world)  # asks 6 000 €
    bureau = world.bureau([reviewed])

    def lower():
        return services.envelope_save(scheme=world.scheme, year=world.envelope.year, credits=Decimal("6000"))

    decide = granting(world, bureau, reviewed, "B-4")
    results = run_together(lower, decide)

    refusals = [r for r in results if isinstance(r, ValidationError)]
    assert len(refusals) == 1 and not [r for r in results if isinstance(r, Exception) and r not in refusals], results
    envelope = BudgetEnvelope.objects.get(pk=world.envelope.pk)
    assert envelope.committed() - envelope.released() <= envelope.credits
