"""Instruction: assignment, the examination grid, the officers' transitions, messages."""

from django.core.exceptions import ValidationError
from django.db import transaction

from essaim.grants.enums import (
    AccessAction,
    Actor,
)
from essaim.grants.models import (
    Application,
    Examination,
    Message,
)
from essaim.grants.services.common import _locked, _mail, absolute_url, access_log
from essaim.grants.services.money import application_cancel, application_close
from essaim.grants.workflow import TRANSITIONS, TransitionError, transition_fire


@transaction.atomic
def application_assign(*, application: Application, by, officer) -> Application:
    from essaim.grants.perms import is_instructor

    application = _locked(application)
    if officer is not None and not is_instructor(officer, application.scheme.territory):
        raise ValidationError("Cette personne n'instruit pas les demandes de ce territoire.")
    application.assigned_to = officer
    application.save(update_fields=["assigned_to", "updated_at"])
    access_log(application=application, user=by, action=AccessAction.CHANGE, detail="affectation")
    return application


@transaction.atomic
def examination_save(*, application: Application, by, values: dict) -> Examination:
    application = _locked(application)
    examination, _ = Examination.objects.get_or_create(application=application)
    for name, value in values.items():
        setattr(examination, name, value)
    examination.updated_by = by
    examination.save()
    access_log(application=application, user=by, action=AccessAction.CHANGE, detail="grille d'instruction")
    return examination


@transaction.atomic
def application_officer_transition(*, application: Application, by, name: str, comment: str = "") -> Application:
    """start_review, request_pieces, mark_ready, close, cancel or drop, with the checks each needs (closing and
    cancelling give the unpaid balance back to the year's credits: ``services.money``)."""
    if name == "close":
        return application_close(application=application, by=by, comment=comment)
    if name == "cancel":
        application = application_cancel(application=application, by=by, comment=comment)
        _mail(
            application,
            to_applicant=True,
            subject="La subvention accordée à votre projet est annulée",
            template="grants/mail/state_changed.txt",
            comment=comment,
            url=absolute_url(application.get_absolute_url()),
        )
        return application
    application = _locked(application)
    if name == "mark_ready":
        examination = Examination.objects.filter(application=application).first()
        if examination is None or not examination.is_complete:
            raise TransitionError(
                "Complétez la grille d'instruction (chaque critère et la conclusion) avant d'inscrire la demande "
                "pour la commission."
            )
    transition_fire(application=application, name=name, actor=Actor.OFFICER, by=by, comment=comment)
    if name == "request_pieces":
        Message.objects.create(
            application=application, author=by, from_officer=True, is_request_for_pieces=True, body=comment
        )
        _mail(
            application,
            to_applicant=True,
            subject="Des pièces manquent à votre demande",
            template="grants/mail/pieces_requested.txt",
            body=comment,
            url=absolute_url(application.get_absolute_url()),
        )
    elif name == "drop":
        _mail(
            application,
            to_applicant=True,
            subject="Votre demande est classée sans suite",
            template="grants/mail/state_changed.txt",
            comment=comment,
            url=absolute_url(application.get_absolute_url()),
        )
    access_log(application=application, user=by, action=AccessAction.CHANGE, detail=TRANSITIONS[name].log_label)
    return application


@transaction.atomic
def message_send(*, application: Application, by, body: str, from_officer: bool) -> Message:
    body = (body or "").strip()
    if not body:
        raise ValidationError("Le message est vide.")
    message = Message.objects.create(application=application, author=by, from_officer=from_officer, body=body)
    _mail(
        application,
        to_applicant=from_officer,
        subject="Nouveau message sur la demande",
        template="grants/mail/message.txt",
        message=message,
        url=absolute_url(application.get_absolute_url() if from_officer else application.get_review_url()),
    )
    return message


# Sittings -------------------------------------------------------------------------------------------------------
