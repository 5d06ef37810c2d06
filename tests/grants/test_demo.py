"""The demo: the scheme of the seed with its 2014 rule, the year's credits, and applications at every state."""

from decimal import Decimal

from django.utils import timezone

from essaim.accounts.demo import load_demo_accounts
from essaim.grants.demo import load_demo_grants
from essaim.grants.enums import ApplicationState
from essaim.grants.models import Application, BudgetEnvelope, Scheme, Transition


def test_demo_loads_the_scheme_credits_and_a_file_at_every_state_idempotently(demo):
    load_demo_accounts(demo)
    scheme = load_demo_grants(territories=demo)
    load_demo_grants(territories=demo)  # twice: nothing duplicated

    assert Scheme.objects.count() == 1
    assert scheme.territory == demo["cabbalr"]
    assert "Artois Comm." in scheme.description and "succédé" in scheme.description
    rule = scheme.current_rule()
    assert (rule.amount_per_fte, rule.fte_cap, rule.investment_rate, rule.investment_base_cap) == (
        Decimal("2000.00"),
        Decimal("4.00"),
        Decimal("0.2000"),
        Decimal("15000.00"),
    )
    assert rule.valid_from.year == 2014
    envelope = BudgetEnvelope.objects.get(scheme=scheme, year=timezone.localdate().year)
    assert envelope.credits == Decimal("40000.00")

    applications = Application.objects.filter(scheme=scheme)
    assert applications.count() == 13
    assert set(applications.values_list("state", flat=True)) == set(ApplicationState.values)
    assert envelope.committed() <= envelope.credits
    assert envelope.paid() > 0
    assert all(a.applicant.email.endswith(".example") for a in applications)
    assert Transition.objects.filter(application__scheme=scheme).count() > 30
    assert (
        applications.get(state=ApplicationState.CLOSED).paid_total
        == applications.get(state=ApplicationState.CLOSED).granted_amount
    )
