"""The application's workflow: the only transitions there are, who may fire them, and the log row each writes.

draft → submitted → under_review → (incomplete ↔ submitted again) → ready_for_commission → commission opinion
(favourable or unfavourable → commission_reviewed; postponed → stays ready for a later sitting) → Bureau decision
(granted or refused) → agreement signed → payments (in_payment) → closed. Also withdrawn (by the applicant, before
the commission's opinion), no further action (by the officers, before the Bureau's decision) and cancelled (a grant
annulled before it is closed). Some transitions leave the state as it is and only write their log row: adding the
SIRET, justifying the balance, revising the amount at the balance, a reversement.

No state changes anywhere else: services call ``transition_fire`` inside their transaction.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone

from essaim.grants.enums import Actor
from essaim.grants.enums import ApplicationState as S
from essaim.grants.models import Application, Transition

# The people who may fire a transition that both sides may fire (adding the SIRET, justifying the balance).
EITHER = (Actor.APPLICANT, Actor.OFFICER)
# The states from filing to the agreement, where a missing SIRET may be added.
BEFORE_AGREEMENT = (
    S.SUBMITTED,
    S.UNDER_REVIEW,
    S.INCOMPLETE,
    S.READY_FOR_COMMISSION,
    S.COMMISSION_REVIEWED,
    S.GRANTED,
)


@dataclass(frozen=True)
class TransitionSpec:
    """One transition: its code, the action's French label (a button), the states it starts from, the state it
    leads to (``None``: the file stays where it is, only the log row is written), who fires it, whether a
    comment is required, and how the file's history says it (``done``)."""

    name: str
    label: str
    sources: tuple[str, ...]
    target: str | None
    actor: str | tuple[str, ...]
    comment_required: bool = False
    done: str = ""

    @property
    def actors(self) -> tuple[str, ...]:
        return self.actor if isinstance(self.actor, tuple) else (self.actor,)

    @property
    def log_label(self) -> str:
        return self.done or self.label


TRANSITIONS = {
    spec.name: spec
    for spec in [
        TransitionSpec(
            "submit", "Déposer la demande", (S.DRAFT,), S.SUBMITTED, Actor.APPLICANT, done="Demande déposée"
        ),
        TransitionSpec(
            "start_review",
            "Commencer l'instruction",
            (S.SUBMITTED,),
            S.UNDER_REVIEW,
            Actor.OFFICER,
            done="Instruction commencée",
        ),
        TransitionSpec(
            "request_pieces",
            "Demander des pièces manquantes",
            (S.UNDER_REVIEW,),
            S.INCOMPLETE,
            Actor.OFFICER,
            comment_required=True,
            done="Pièces demandées",
        ),
        TransitionSpec(
            "resubmit",
            "Déposer à nouveau la demande complétée",
            (S.INCOMPLETE,),
            S.SUBMITTED,
            Actor.APPLICANT,
            done="Demande complétée et déposée à nouveau",
        ),
        TransitionSpec(
            "mark_ready",
            "Inscrire pour la commission",
            (S.UNDER_REVIEW,),
            S.READY_FOR_COMMISSION,
            Actor.OFFICER,
            done="Inscrite pour la commission",
        ),
        TransitionSpec(
            "give_opinion",
            "Enregistrer l'avis de la commission",
            (S.READY_FOR_COMMISSION,),
            S.COMMISSION_REVIEWED,
            Actor.SESSION,
            done="Avis de la commission rendu",
        ),
        TransitionSpec(
            "postpone",
            "Ajourner à une prochaine commission",
            (S.READY_FOR_COMMISSION,),
            S.READY_FOR_COMMISSION,
            Actor.SESSION,
            done="Ajournée par la commission",
        ),
        TransitionSpec(
            "grant",
            "Accorder la subvention",
            (S.COMMISSION_REVIEWED,),
            S.GRANTED,
            Actor.SESSION,
            done="Subvention accordée par le Bureau",
        ),
        TransitionSpec(
            "refuse",
            "Refuser la subvention",
            (S.COMMISSION_REVIEWED,),
            S.REFUSED,
            Actor.SESSION,
            done="Subvention refusée par le Bureau",
        ),
        TransitionSpec(
            "add_siret",
            "Ajouter le SIRET du bénéficiaire",
            BEFORE_AGREEMENT,
            None,
            EITHER,
            done="SIRET du bénéficiaire ajouté",
        ),
        TransitionSpec(
            "sign_agreement",
            "Enregistrer la convention signée",
            (S.GRANTED,),
            S.AGREEMENT_SIGNED,
            Actor.OFFICER,
            done="Convention signée",
        ),
        TransitionSpec(
            "record_payment",
            "Enregistrer un versement",
            (S.AGREEMENT_SIGNED, S.IN_PAYMENT),
            S.IN_PAYMENT,
            Actor.OFFICER,
            done="Versement enregistré",
        ),
        TransitionSpec(
            "justify",
            "Déposer les justificatifs du solde",
            (S.AGREEMENT_SIGNED, S.IN_PAYMENT),
            None,
            EITHER,
            done="Justificatifs du solde déposés",
        ),
        TransitionSpec(
            "revise_amount",
            "Réviser le montant au vu des emplois créés",
            (S.AGREEMENT_SIGNED, S.IN_PAYMENT),
            None,
            Actor.OFFICER,
            comment_required=True,
            done="Montant révisé au vu des emplois créés",
        ),
        TransitionSpec(
            "close", "Clôturer le dossier", (S.IN_PAYMENT,), S.CLOSED, Actor.OFFICER, done="Dossier clôturé"
        ),
        TransitionSpec(
            "cancel",
            "Annuler la subvention",
            (S.GRANTED, S.AGREEMENT_SIGNED, S.IN_PAYMENT),
            S.CANCELLED,
            Actor.OFFICER,
            comment_required=True,
            done="Subvention annulée",
        ),
        TransitionSpec(
            "recover",
            "Enregistrer un reversement",
            (S.IN_PAYMENT, S.CLOSED, S.CANCELLED),
            None,
            Actor.OFFICER,
            comment_required=True,
            done="Reversement enregistré",
        ),
        TransitionSpec(
            "withdraw",
            "Retirer ma demande",
            (S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.INCOMPLETE, S.READY_FOR_COMMISSION),
            S.WITHDRAWN,
            Actor.APPLICANT,
            done="Demande retirée par le demandeur",
        ),
        TransitionSpec(
            "drop",
            "Classer sans suite",
            (S.SUBMITTED, S.UNDER_REVIEW, S.INCOMPLETE, S.READY_FOR_COMMISSION, S.COMMISSION_REVIEWED),
            S.NO_FURTHER_ACTION,
            Actor.OFFICER,
            comment_required=True,
            done="Demande classée sans suite",
        ),
    ]
}

# The transitions an officer fires from the application's page (the others have their own screens).
OFFICER_SIMPLE = ("start_review", "request_pieces", "mark_ready", "close", "cancel", "drop")


class TransitionError(ValidationError):
    """A transition that is not allowed from the current state, or by this actor, or without its comment."""


def allowed(application: Application, actor: str) -> list[TransitionSpec]:
    """The transitions this kind of actor may fire from the application's current state."""
    return [spec for spec in TRANSITIONS.values() if actor in spec.actors and application.state in spec.sources]


def transition_fire(*, application: Application, name: str, actor: str, by, comment: str = "") -> Transition:
    """Moves the application along one transition of the table and writes its log row.

    Must run inside the caller's ``transaction.atomic()`` with the application row locked (``select_for_update``):
    the state read here is the one that is changed.
    """
    spec = TRANSITIONS.get(name)
    if spec is None:
        raise TransitionError(f"Transition inconnue : {name}.")
    if actor not in spec.actors:
        raise TransitionError(f"« {spec.label} » n'est pas une action permise ici.")
    if application.state not in spec.sources:
        raise TransitionError(
            f"« {spec.label} » est impossible : la demande est à l'état « {application.get_state_display()} »."
        )
    comment = (comment or "").strip()
    if spec.comment_required and not comment:
        raise TransitionError(f"« {spec.label} » demande un commentaire.")
    source = application.state
    application.state = spec.target or source
    fields = ["state", "updated_at"]
    if name == "submit" and application.submitted_at is None:  # the first filing; a resubmission keeps its date
        application.submitted_at = timezone.now()
        fields.append("submitted_at")
    if name in ("grant", "refuse"):
        application.decided_at = timezone.now()
        fields.append("decided_at")
    application.save(update_fields=fields)
    return Transition.objects.create(
        application=application, name=name, from_state=source, to_state=application.state, by=by, comment=comment
    )
