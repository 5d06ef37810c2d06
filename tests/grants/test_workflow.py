"""The workflow: only the transitions of the table, each by its actor, each logged with who, when and a comment."""

import pytest
from django.db import transaction

from essaim.grants.enums import Actor, ApplicationState
from essaim.grants.models import Application, Transition
from essaim.grants.workflow import TRANSITIONS, TransitionError, allowed, transition_fire

S = ApplicationState
EXPECTED = {
    "submit": ({S.DRAFT}, S.SUBMITTED),
    "start_review": ({S.SUBMITTED}, S.UNDER_REVIEW),
    "request_pieces": ({S.UNDER_REVIEW}, S.INCOMPLETE),
    "resubmit": ({S.INCOMPLETE}, S.SUBMITTED),
    "mark_ready": ({S.UNDER_REVIEW}, S.READY_FOR_COMMISSION),
    "give_opinion": ({S.READY_FOR_COMMISSION}, S.COMMISSION_REVIEWED),
    "postpone": ({S.READY_FOR_COMMISSION}, S.READY_FOR_COMMISSION),
    "grant": ({S.COMMISSION_REVIEWED}, S.GRANTED),
    "refuse": ({S.COMMISSION_REVIEWED}, S.REFUSED),
    "sign_agreement": ({S.GRANTED}, S.AGREEMENT_SIGNED),
    "record_payment": ({S.AGREEMENT_SIGNED, S.IN_PAYMENT}, S.IN_PAYMENT),
    "close": ({S.IN_PAYMENT}, S.CLOSED),
    "add_siret": (
        {S.SUBMITTED, S.UNDER_REVIEW, S.INCOMPLETE, S.READY_FOR_COMMISSION, S.COMMISSION_REVIEWED, S.GRANTED},
        None,
    ),
    "justify": ({S.AGREEMENT_SIGNED, S.IN_PAYMENT}, None),
    "revise_amount": ({S.AGREEMENT_SIGNED, S.IN_PAYMENT}, None),
    "cancel": ({S.GRANTED, S.AGREEMENT_SIGNED, S.IN_PAYMENT}, S.CANCELLED),
    "recover": ({S.IN_PAYMENT, S.CLOSED, S.CANCELLED}, None),
    "withdraw": ({S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.INCOMPLETE, S.READY_FOR_COMMISSION}, S.WITHDRAWN),
    "drop": (
        {S.SUBMITTED, S.UNDER_REVIEW, S.INCOMPLETE, S.READY_FOR_COMMISSION, S.COMMISSION_REVIEWED},
        S.NO_FURTHER_ACTION,
    ),
}


def test_the_table_is_exactly_the_path_of_the_issue():
    assert {name: (set(spec.sources), spec.target) for name, spec in TRANSITIONS.items()} == EXPECTED


def test_terminal_states_have_no_way_out():
    for state in (S.REFUSED, S.WITHDRAWN, S.NO_FURTHER_ACTION):
        assert not [spec for spec in TRANSITIONS.values() if state in spec.sources]
    for state in (S.CLOSED, S.CANCELLED):  # money paid may still come back (reversement), nothing else
        assert [spec.name for spec in TRANSITIONS.values() if state in spec.sources] == ["recover"]


def test_every_transition_has_a_french_label_for_the_history():
    for spec in TRANSITIONS.values():
        assert spec.log_label and "_" not in spec.log_label and spec.log_label[0].isupper()


@pytest.mark.parametrize("name", sorted(TRANSITIONS))
def test_every_transition_fires_from_its_sources_only_and_logs_who_when_and_comment(world, name):
    spec = TRANSITIONS[name]
    application = world.draft(complete=False)
    for state in S.values:
        Application.objects.filter(pk=application.pk).update(state=state)
        application.refresh_from_db()
        before = Transition.objects.count()
        with transaction.atomic():
            if state in spec.sources:
                log = transition_fire(
                    application=application, name=name, actor=spec.actors[0], by=world.officer, comment="Motif."
                )
                target = spec.target or state  # None: the file stays where it is, only the log is written
                assert application.state == target
                assert Application.objects.get(pk=application.pk).state == target
                assert (log.name, log.from_state, log.to_state, log.by, log.comment) == (
                    name,
                    state,
                    target,
                    world.officer,
                    "Motif.",
                )
                assert log.created_at is not None
            else:
                with pytest.raises(TransitionError, match="impossible"):
                    transition_fire(application=application, name=name, actor=spec.actors[0], by=world.officer)
                assert Application.objects.get(pk=application.pk).state == state
                assert Transition.objects.count() == before


@pytest.mark.parametrize("name", sorted(TRANSITIONS))
def test_a_transition_fired_by_the_wrong_actor_is_refused(world, name):
    spec = TRANSITIONS[name]
    application = world.draft(complete=False)
    Application.objects.filter(pk=application.pk).update(state=next(iter(spec.sources)))
    application.refresh_from_db()
    for actor in set(Actor.values) - set(spec.actors):
        with pytest.raises(TransitionError, match="n'est pas une action permise"):
            transition_fire(application=application, name=name, actor=actor, by=world.officer, comment="x")


def test_comment_is_required_to_ask_for_pieces_or_drop(world):
    application = world.at(S.UNDER_REVIEW)
    for name in ("request_pieces", "drop"):
        with pytest.raises(TransitionError, match="demande un commentaire"):
            transition_fire(application=application, name=name, actor=Actor.OFFICER, by=world.officer, comment="  ")


def test_unknown_transition_is_refused(world):
    application = world.draft(complete=False)
    with pytest.raises(TransitionError, match="inconnue"):
        transition_fire(application=application, name="teleport", actor=Actor.OFFICER, by=world.officer)


def test_allowed_lists_what_an_actor_may_do_from_the_current_state(world):
    application = world.at(S.UNDER_REVIEW)
    assert {spec.name for spec in allowed(application, Actor.OFFICER)} == {
        "request_pieces",
        "mark_ready",
        "drop",
        "add_siret",
    }
    assert {spec.name for spec in allowed(application, Actor.APPLICANT)} == {"withdraw", "add_siret"}


def test_the_whole_path_leaves_one_log_row_per_step_in_order(world):
    application = world.at(S.CLOSED)
    names = list(application.transitions.values_list("name", flat=True))
    assert names == [
        "submit",
        "start_review",
        "mark_ready",
        "give_opinion",
        "grant",
        "sign_agreement",
        "record_payment",
        "justify",
        "record_payment",
        "close",
    ]
    assert application.submitted_at is not None and application.decided_at is not None


def test_incomplete_goes_back_to_submitted_and_through_review_again(world):
    from essaim.grants import services

    application = world.at(S.INCOMPLETE)
    services.application_submit(application=application, by=world.applicant, attested=True)
    application.refresh_from_db()
    assert application.state == S.SUBMITTED
    services.application_officer_transition(application=application, by=world.officer, name="start_review")
    application.refresh_from_db()
    assert application.state == S.UNDER_REVIEW
    assert list(application.transitions.values_list("name", flat=True)) == [
        "submit",
        "start_review",
        "request_pieces",
        "resubmit",
        "start_review",
    ]


def _at(world, state):
    """A file put in ``state`` directly (the table, not the services, is under test)."""
    application = world.draft(complete=False)
    Application.objects.filter(pk=application.pk).update(state=state)
    application.refresh_from_db()
    return application


@pytest.mark.parametrize(
    ("name", "actor", "comment", "message"),
    [
        ("teleport", Actor.OFFICER, "", "Transition inconnue : teleport."),
        ("start_review", Actor.APPLICANT, "", "« Commencer l'instruction » n'est pas une action permise ici."),
        (
            "mark_ready",
            Actor.OFFICER,
            "",
            "« Inscrire pour la commission » est impossible : la demande est à l'état « déposée ».",
        ),
        ("drop", Actor.OFFICER, " \n ", "« Classer sans suite » demande un commentaire."),
    ],
)
def test_the_refusals_say_why_in_french_and_change_nothing(world, name, actor, comment, message):
    application = _at(world, S.SUBMITTED)
    with pytest.raises(TransitionError) as excinfo:
        transition_fire(application=application, name=name, actor=actor, by=world.officer, comment=comment)
    assert excinfo.value.messages == [message]
    assert Application.objects.get(pk=application.pk).state == S.SUBMITTED
    assert not Transition.objects.exists()


@pytest.mark.parametrize(("given", "logged"), [("", ""), (None, ""), ("  Dossier complet.\n", "Dossier complet.")])
def test_the_log_keeps_the_comment_trimmed_and_nothing_when_there_is_none(world, given, logged):
    application = _at(world, S.SUBMITTED)
    log = transition_fire(
        application=application, name="start_review", actor=Actor.OFFICER, by=world.officer, comment=given
    )
    assert Transition.objects.get(pk=log.pk).comment == logged


def test_a_transition_without_a_comment_logs_an_empty_one(world):
    application = _at(world, S.SUBMITTED)
    transition_fire(application=application, name="start_review", actor=Actor.OFFICER, by=world.officer)
    assert Transition.objects.get(application=application).comment == ""


def test_a_transition_writes_the_state_and_never_what_someone_else_saved_meanwhile(world):
    application = _at(world, S.SUBMITTED)
    Application.objects.filter(pk=application.pk).update(project_title="Titre corrigé")
    transition_fire(application=application, name="start_review", actor=Actor.OFFICER, by=world.officer)
    saved = Application.objects.get(pk=application.pk)
    assert (saved.state, saved.project_title) == (S.UNDER_REVIEW, "Titre corrigé")


def test_filing_dates_the_file_once_and_resubmitting_keeps_the_first_date(world):
    application = _at(world, S.DRAFT)
    assert application.submitted_at is None
    transition_fire(application=application, name="submit", actor=Actor.APPLICANT, by=world.applicant)
    filed_at = Application.objects.get(pk=application.pk).submitted_at
    assert filed_at is not None
    for name, actor in (("start_review", Actor.OFFICER), ("request_pieces", Actor.OFFICER)):
        transition_fire(application=application, name=name, actor=actor, by=world.officer, comment="Le RIB manque.")
    transition_fire(application=application, name="resubmit", actor=Actor.APPLICANT, by=world.applicant)
    saved = Application.objects.get(pk=application.pk)
    assert (saved.state, saved.submitted_at) == (S.SUBMITTED, filed_at)


def test_a_draft_withdrawn_was_never_filed(world):
    application = _at(world, S.DRAFT)
    transition_fire(application=application, name="withdraw", actor=Actor.APPLICANT, by=world.applicant)
    saved = Application.objects.get(pk=application.pk)
    assert (saved.state, saved.submitted_at) == (S.WITHDRAWN, None)


@pytest.mark.parametrize(("name", "target"), [("grant", S.GRANTED), ("refuse", S.REFUSED)])
def test_the_bureau_decision_dates_the_file(world, name, target):
    application = _at(world, S.COMMISSION_REVIEWED)
    assert application.decided_at is None
    transition_fire(application=application, name=name, actor=Actor.SESSION, by=world.officer)
    saved = Application.objects.get(pk=application.pk)
    assert saved.state == target
    assert saved.decided_at is not None


@pytest.mark.parametrize("name", ["give_opinion", "postpone"])
def test_the_commission_opinion_leaves_the_file_undecided(world, name):
    application = _at(world, S.READY_FOR_COMMISSION)
    transition_fire(application=application, name=name, actor=Actor.SESSION, by=world.officer)
    assert Application.objects.get(pk=application.pk).decided_at is None
