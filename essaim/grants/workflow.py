"""The application's workflow: the only transitions there are, who may fire them, and the log row each writes.

draft → submitted → under_review → (incomplete ↔ submitted again) → ready_for_commission → commission opinion
(favourable or unfavourable → commission_reviewed; postponed → stays ready for a later sitting) → Bureau decision
(granted or refused) → agreement signed → payments (in_payment) → closed. Also withdrawn (by the applicant, before
the commission's opinion) and no further action (by the officers, before the Bureau's decision).

No state changes anywhere else: services call ``transition_fire`` inside their transaction.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone

from essaim.grants.enums import Actor
from essaim.grants.enums import ApplicationState as S
from essaim.grants.models import Application, Transition


@dataclass(frozen=True)
class TransitionSpec:
    name: str
    label: str
    sources: tuple[str, ...]
    target: str
    actor: str
    comment_required: bool = False


TRANSITIONS = {
    spec.name: spec
    for spec in [
        TransitionSpec("submit", "Déposer la demande", (S.DRAFT,), S.SUBMITTED, Actor.APPLICANT),
        TransitionSpec("start_review", "Commencer l'instruction", (S.SUBMITTED,), S.UNDER_REVIEW, Actor.OFFICER),
        TransitionSpec(
            "request_pieces",
            "Demander des pièces manquantes",
            (S.UNDER_REVIEW,),
            S.INCOMPLETE,
            Actor.OFFICER,
            comment_required=True,
        ),
        TransitionSpec(
            "resubmit", "Déposer à nouveau la demande complétée", (S.INCOMPLETE,), S.SUBMITTED, Actor.APPLICANT
        ),
        TransitionSpec(
            "mark_ready", "Inscrire pour la commission", (S.UNDER_REVIEW,), S.READY_FOR_COMMISSION, Actor.OFFICER
        ),
        TransitionSpec(
            "give_opinion",
            "Enregistrer l'avis de la commission",
            (S.READY_FOR_COMMISSION,),
            S.COMMISSION_REVIEWED,
            Actor.SESSION,
        ),
        TransitionSpec(
            "postpone",
            "Ajourner à une prochaine commission",
            (S.READY_FOR_COMMISSION,),
            S.READY_FOR_COMMISSION,
            Actor.SESSION,
        ),
        TransitionSpec("grant", "Accorder la subvention", (S.COMMISSION_REVIEWED,), S.GRANTED, Actor.SESSION),
        TransitionSpec("refuse", "Refuser la subvention", (S.COMMISSION_REVIEWED,), S.REFUSED, Actor.SESSION),
        TransitionSpec(
            "sign_agreement", "Enregistrer la convention signée", (S.GRANTED,), S.AGREEMENT_SIGNED, Actor.OFFICER
        ),
        TransitionSpec(
            "record_payment",
            "Enregistrer un versement",
            (S.AGREEMENT_SIGNED, S.IN_PAYMENT),
            S.IN_PAYMENT,
            Actor.OFFICER,
        ),
        TransitionSpec(
            "close", "Clôturer le dossier", (S.IN_PAYMENT,), S.CLOSED, Actor.OFFICER, comment_required=False
        ),
        TransitionSpec(
            "withdraw",
            "Retirer ma demande",
            (S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.INCOMPLETE, S.READY_FOR_COMMISSION),
            S.WITHDRAWN,
            Actor.APPLICANT,
        ),
        TransitionSpec(
            "drop",
            "Classer sans suite",
            (S.SUBMITTED, S.UNDER_REVIEW, S.INCOMPLETE, S.READY_FOR_COMMISSION, S.COMMISSION_REVIEWED),
            S.NO_FURTHER_ACTION,
            Actor.OFFICER,
            comment_required=True,
        ),
    ]
}

# The transitions an officer fires from the application's page (the others have their own screens).
OFFICER_SIMPLE = ("start_review", "request_pieces", "mark_ready", "close", "drop")


class TransitionError(ValidationError):
    """A transition that is not allowed from the current state, or by this actor, or without its comment."""


def allowed(application: Application, actor: str) -> list[TransitionSpec]:
    """The transitions this kind of actor may fire from the application's current state."""
    return [spec for spec in TRANSITIONS.values() if spec.actor == actor and application.state in spec.sources]


def transition_fire(*, application: Application, name: str, actor: str, by, comment: str = "") -> Transition:
    """Moves the application along one transition of the table and writes its log row.

    Must run inside the caller's ``transaction.atomic()`` with the application row locked (``select_for_update``):
    the state read here is the one that is changed.
    """
    spec = TRANSITIONS.get(name)
    if spec is None:
        raise TransitionError(f"Transition inconnue : {name}.")
    if spec.actor != actor:
        raise TransitionError(f"« {spec.label} » n'est pas une action permise ici.")
    if application.state not in spec.sources:
        raise TransitionError(
            f"« {spec.label} » est impossible : la demande est à l'état « {application.get_state_display()} »."
        )
    comment = (comment or "").strip()
    if spec.comment_required and not comment:
        raise TransitionError(f"« {spec.label} » demande un commentaire.")
    source = application.state
    application.state = spec.target
    fields = ["state", "updated_at"]
    if name in ("submit", "resubmit") and application.submitted_at is None:
        application.submitted_at = timezone.now()
        fields.append("submitted_at")
    if name in ("grant", "refuse"):
        application.decided_at = timezone.now()
        fields.append("decided_at")
    application.save(update_fields=fields)
    return Transition.objects.create(
        application=application, name=name, from_state=source, to_state=spec.target, by=by, comment=comment
    )
