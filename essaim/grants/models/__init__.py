"""Schemes, their versioned rule and yearly credits, applications and their whole path to the last payment.

A package (one module per stage); everything is importable from ``essaim.grants.models`` as before, and the
migrations' references (``_new_reference``, ``document_path``, ``validate_scheme_slug``) stay valid."""

from essaim.grants.models.applications import (
    Application,
    ApplicationDocument,
    ApplicationQuerySet,
    Examination,
    FundingLine,
    Message,
    Transition,
    _new_reference,
    document_path,
)
from essaim.grants.models.common import RESERVED_SLUGS, YEAR_VALIDATORS, ZERO, money, validate_scheme_slug
from essaim.grants.models.payments import AccessLog, Agreement, CreditMovement, DeadlineReminder, Payment
from essaim.grants.models.schemes import (
    BudgetEnvelope,
    BudgetEnvelopeQuerySet,
    OpenPeriod,
    RuleVersion,
    Scheme,
    SchemeQuerySet,
)
from essaim.grants.models.sittings import CommissionOpinion, Decision, Session, SessionItem, SessionQuerySet

__all__ = [
    "RESERVED_SLUGS",
    "YEAR_VALIDATORS",
    "ZERO",
    "AccessLog",
    "Agreement",
    "Application",
    "ApplicationDocument",
    "ApplicationQuerySet",
    "BudgetEnvelope",
    "BudgetEnvelopeQuerySet",
    "CommissionOpinion",
    "CreditMovement",
    "DeadlineReminder",
    "Decision",
    "Examination",
    "FundingLine",
    "Message",
    "OpenPeriod",
    "Payment",
    "RuleVersion",
    "Scheme",
    "SchemeQuerySet",
    "Session",
    "SessionItem",
    "SessionQuerySet",
    "Transition",
    "_new_reference",
    "document_path",
    "money",
    "validate_scheme_slug",
]
