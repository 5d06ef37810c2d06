"""The demo: the scheme of the seed with its 2014 rule, the year's credits, and applications at every state."""

from decimal import Decimal

from django.utils import timezone

from essaim.accounts.demo import load_demo_accounts
from essaim.accounts.models import User
from essaim.grants import services
from essaim.grants.demo import load_demo_grants
from essaim.grants.enums import ApplicationState, MovementKind
from essaim.grants.models import Application, BudgetEnvelope, CreditMovement, Payment, Scheme, Session, Transition


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
    assert envelope.credits == Decimal("80000.00")
    assert BudgetEnvelope.objects.filter(scheme=scheme, year=timezone.localdate().year - 1).exists()

    applications = Application.objects.filter(scheme=scheme)
    assert applications.count() == 17
    assert set(applications.values_list("state", flat=True)) == set(ApplicationState.values)
    assert envelope.committed() <= envelope.credits
    assert envelope.paid() > 0
    assert all(a.applicant.email.endswith(".example") for a in applications)
    assert Transition.objects.filter(application__scheme=scheme).count() > 30
    # The new paths: granted without SIRET; closed after its advance only (the rest released); cancelled then paid
    # back; an older file close to its deadline; every date of the files in the past.
    granted = applications.get(state=ApplicationState.GRANTED, project_title__startswith="Friperie")
    assert granted.beneficiary_siret == "" and services.siret_problem(granted)
    movements = set(CreditMovement.objects.values_list("kind", flat=True))
    assert {
        MovementKind.RELEASE,
        MovementKind.CANCELLATION,
        MovementKind.RECOVERY,
        MovementKind.REDUCTION,
    } <= movements
    assert [d.application.project_title for d in services.deadlines_due()] == ["Laverie solidaire du Béthunois"]
    today = timezone.localdate()
    assert all(p.paid_on <= today for p in Payment.objects.all())
    assert all(s.date <= today for s in Session.objects.all())
    people = User.objects.filter(grant_applications__scheme=scheme).values_list("full_name", flat=True)
    assert not [name for name in people if "démo" in name or "Porteur" in name]


def test_the_structures_the_demo_creates_for_applicants_reach_the_search_index(demo):
    from essaim.core.models import SearchOutbox
    from essaim.directory.models import Structure

    load_demo_accounts(demo)
    load_demo_grants(territories=demo)
    created = set(Structure.objects.filter(slug__startswith="demo-aides-").values_list("id", flat=True))
    assert created
    waiting = set(SearchOutbox.objects.filter(model="directory.structure").values_list("object_id", flat=True))
    indexed = set()
    if not waiting:  # applied right after the commit: the index holds them
        from essaim.search.query import StructureSearch, search_structures

        indexed = set(search_structures(StructureSearch(ids=sorted(created), limit=100)).ids)
    assert created <= waiting | indexed
