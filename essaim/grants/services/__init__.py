"""Writes on grant applications. Every state change goes through ``workflow.transition_fire``; every service that
can race with another locks the rows it reads (``select_for_update(of=("self",))`` in ``transaction.atomic()``).

A package, one module per stage; callers keep writing ``services.application_submit(...)``."""

from essaim.grants.services.applicant import (
    ATTESTATION,
    application_compute,
    application_create,
    application_save_step,
    application_set_funding,
    application_submit,
    application_withdraw,
    document_add,
    document_delete,
    financing_gap,
    simulate,
    submission_problems,
)
from essaim.grants.services.common import STEP_NAMES, STEPS, absolute_url, access_log, check_dates
from essaim.grants.services.deadlines import deadline_of, deadlines_due, reminders_send
from essaim.grants.services.instruction import (
    application_assign,
    application_officer_transition,
    examination_save,
    message_send,
)
from essaim.grants.services.money import (
    advance_suggestion,
    agreement_sign,
    application_add_siret,
    application_cancel,
    application_close,
    balance_justify,
    balance_suggestion,
    envelope_save,
    payment_record,
    recovery_record,
    revised_amount,
    siret_from_directory,
    siret_problem,
)
from essaim.grants.services.sittings import (
    decision_record,
    session_create,
    session_record_decisions,
    session_record_opinions,
    session_set_agenda,
)

__all__ = [
    "ATTESTATION",
    "STEPS",
    "STEP_NAMES",
    "absolute_url",
    "access_log",
    "advance_suggestion",
    "agreement_sign",
    "application_add_siret",
    "application_assign",
    "application_cancel",
    "application_close",
    "application_compute",
    "application_create",
    "application_officer_transition",
    "application_save_step",
    "application_set_funding",
    "application_submit",
    "application_withdraw",
    "balance_justify",
    "balance_suggestion",
    "check_dates",
    "deadline_of",
    "deadlines_due",
    "decision_record",
    "document_add",
    "document_delete",
    "envelope_save",
    "examination_save",
    "financing_gap",
    "message_send",
    "payment_record",
    "recovery_record",
    "reminders_send",
    "revised_amount",
    "session_create",
    "session_record_decisions",
    "session_record_opinions",
    "session_set_agenda",
    "simulate",
    "siret_from_directory",
    "siret_problem",
    "submission_problems",
]
