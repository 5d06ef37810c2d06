"""A territory with its communes and scheme, the people around a file, and a helper that brings an application to
any state through the real services."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from essaim.grants import services
from essaim.grants.demo import DEMO_PDF
from essaim.grants.enums import (
    ApplicationState,
    Assessment,
    DecisionOutcome,
    DocumentKind,
    FundingKind,
    GrantForm,
    Opinion,
    PaymentKind,
    SessionKind,
)
from essaim.territories.models import TerritoryCommune
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.directory.factories import luhn_siret
from tests.grants.factories import BudgetEnvelopeFactory, SchemeFactory
from tests.territories.factories import CommuneFactory, TerritoryFactory

PDF = DEMO_PDF  # a real PDF: uploads are parsed
DELIBERATION_DAY = datetime.date(2026, 3, 12)
EXAMINATION = {
    "ess_status": Assessment.MET,
    "territory": Assessment.MET,
    "jobs": Assessment.MET,
    "investment": Assessment.MET,
    "financing": Assessment.MET,
    "documents": Assessment.MET,
    "conclusion": "Favorable.",
}


class World:
    """Everything a grant test needs, built once per test."""

    def __init__(self):
        self.territory = TerritoryFactory()
        self.commune = CommuneFactory()
        TerritoryCommune.objects.create(territory=self.territory, commune=self.commune)
        self.outside = CommuneFactory()
        self.scheme = SchemeFactory(territory=self.territory)
        self.envelope = BudgetEnvelopeFactory(scheme=self.scheme, year=2026, credits=Decimal("40000.00"))
        self.applicant = UserFactory()
        self.other_applicant = UserFactory()
        self.officer = MembershipFactory(territory=self.territory).user
        self.member = MembershipFactory(territory=self.territory, commission=True).user
        self.absent_member = MembershipFactory(territory=self.territory, commission=True).user
        self.other_territory = TerritoryFactory()
        self.foreign_officer = MembershipFactory(territory=self.other_territory).user
        self.foreign_member = MembershipFactory(territory=self.other_territory, commission=True).user
        self._n = 0

    def draft(self, *, applicant=None, fte="2", investment="10000", budget="50000", complete=True):
        applicant = applicant or self.applicant
        application = services.application_create(scheme=self.scheme, applicant=applicant, form=GrantForm.START)
        if not complete:
            return application
        self._n += 1
        application = services.application_save_step(
            application=application,
            by=applicant,
            step="structure",
            values={
                "new_structure_name": f"Ressourcerie {self._n}",
                "new_structure_family": "association",
                "new_structure_siret": luhn_siret("999900011", self._n),
                "new_structure_commune": self.commune,
            },
        )
        application = services.application_save_step(
            application=application,
            by=applicant,
            step="projet",
            values={
                "project_title": f"Ressourcerie {self._n}",
                "project_summary": "Collecte et revente d'objets.",
                "project_commune": self.commune,
                "project_budget": Decimal(budget),
            },
        )
        application = services.application_save_step(
            application=application,
            by=applicant,
            step="emplois",
            values={"fte_created": Decimal(fte), "jobs_description": "Deux valoristes."},
        )
        application = services.application_save_step(
            application=application,
            by=applicant,
            step="investissement",
            values={"investment_excl_vat": Decimal(investment), "investment_description": "Camion."},
        )
        rest = Decimal(budget) - application.computed_amount
        services.application_set_funding(
            application=application,
            by=applicant,
            lines=[{"kind": FundingKind.OWN, "funder": "Fonds propres", "amount": rest, "is_secured": True}],
        )
        services.document_add(
            application=application,
            by=applicant,
            kind=DocumentKind.STATUTES,
            upload=SimpleUploadedFile("statuts.pdf", PDF, content_type="application/pdf"),
        )
        application.refresh_from_db()
        return application

    def commission(self, applications, members=None):
        session = services.session_create(
            scheme=self.scheme,
            kind=SessionKind.COMMISSION,
            date=datetime.date(2026, 3, 1),
            place="",
            members=[self.member] if members is None else members,
            by=self.officer,
        )
        services.session_set_agenda(session=session, applications=applications)
        return session

    def bureau(self, applications):
        session = services.session_create(
            scheme=self.scheme,
            kind=SessionKind.BUREAU,
            date=DELIBERATION_DAY,
            place="",
            members=[],
            by=self.officer,
        )
        services.session_set_agenda(session=session, applications=applications)
        return session

    def at(self, state, **kwargs):
        """An application brought to ``state`` by the services, as people would."""
        application = self.draft(**kwargs)
        if state == ApplicationState.DRAFT:
            return application
        services.application_submit(application=application, by=application.applicant, attested=True)
        if state == ApplicationState.SUBMITTED:
            return _fresh(application)
        if state == ApplicationState.WITHDRAWN:
            services.application_withdraw(application=application, by=application.applicant)
            return _fresh(application)
        services.application_officer_transition(application=application, by=self.officer, name="start_review")
        if state == ApplicationState.UNDER_REVIEW:
            return _fresh(application)
        if state == ApplicationState.INCOMPLETE:
            services.application_officer_transition(
                application=application, by=self.officer, name="request_pieces", comment="Le RIB manque."
            )
            return _fresh(application)
        if state == ApplicationState.NO_FURTHER_ACTION:
            services.application_officer_transition(
                application=application, by=self.officer, name="drop", comment="Hors champ."
            )
            return _fresh(application)
        services.examination_save(application=application, by=self.officer, values=EXAMINATION)
        services.application_officer_transition(application=application, by=self.officer, name="mark_ready")
        if state == ApplicationState.READY_FOR_COMMISSION:
            return _fresh(application)
        application = _fresh(application)
        session = self.commission([application])
        services.session_record_opinions(
            session=session,
            by=self.officer,
            entries=[
                {
                    "application": application,
                    "opinion": Opinion.FAVOURABLE,
                    "proposed_amount": application.computed_amount,
                }
            ],
        )
        if state == ApplicationState.COMMISSION_REVIEWED:
            return _fresh(application)
        application = _fresh(application)
        bureau = self.bureau([application])
        refused = state == ApplicationState.REFUSED
        services.decision_record(
            session=bureau,
            by=self.officer,
            application=application,
            outcome=DecisionOutcome.REFUSED if refused else DecisionOutcome.GRANTED,
            amount=None if refused else application.computed_amount,
            deliberation_number=f"B2026-{application.pk:03d}",
            deliberation_date=DELIBERATION_DAY,
        )
        if state in (ApplicationState.GRANTED, ApplicationState.REFUSED):
            return _fresh(application)
        services.agreement_sign(
            application=application, by=self.officer, signed_on=datetime.date(2026, 3, 20), reference="C-1"
        )
        if state == ApplicationState.AGREEMENT_SIGNED:
            return _fresh(application)
        application = _fresh(application)
        half = (application.granted_amount / 2).quantize(Decimal("0.01"))
        services.payment_record(
            application=application,
            by=self.officer,
            kind=PaymentKind.ADVANCE,
            amount=half,
            paid_on=datetime.date(2026, 4, 1),
        )
        if state == ApplicationState.IN_PAYMENT:
            return _fresh(application)
        services.balance_justify(
            application=application,
            by=application.applicant,
            fte_achieved=application.fte_created,
            upload=SimpleUploadedFile("emplois.pdf", PDF, content_type="application/pdf"),
        )
        services.payment_record(
            application=application,
            by=self.officer,
            kind=PaymentKind.BALANCE,
            amount=application.granted_amount - half,
            paid_on=datetime.date(2026, 10, 1),
        )
        services.application_officer_transition(application=application, by=self.officer, name="close")
        return _fresh(application)


def _fresh(application):
    application.refresh_from_db()
    return application


@pytest.fixture
def world(db):
    return World()
