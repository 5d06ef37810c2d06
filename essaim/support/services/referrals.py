"""Referrals of a project to a partner (BGE, the CAE, Pas-de-Calais Actif…): creation by the territory's team,
moves through the workflow table (``essaim.support.workflow``), each one logged in ``ReferralTransition``.

Both functions lock the referral's row (``select_for_update(of=("self",))`` in ``transaction.atomic()``): a partner
accepting while the team withdraws gives one move and one clear error, never two log rows from the same status."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from essaim.support import perms
from essaim.support.enums import REFERRAL_CLOSED, ReferralStatus
from essaim.support.models import Partner, Project, Referral, ReferralTransition
from essaim.support.workflow import PARTNER, SYSTEM, TEAM, WorkflowError, find_move


@transaction.atomic
def referral_create(*, project: Project, partner: Partner, by, message: str = "") -> Referral:
    """Refers an open project to an active partner of its territory (one open referral per partner), logs the
    creation and tells the partner's advisers by mail."""
    from essaim.support.nudges import mail_referral_new

    project = Project.objects.select_for_update(of=("self",)).select_related("territory").get(pk=project.pk)
    if not project.is_open:
        raise WorkflowError("Ce projet est clos : rouvrez-le avant de l'orienter vers un partenaire.")
    if partner.territory_id != project.territory_id or not partner.active:
        raise WorkflowError("Ce partenaire n'est pas un partenaire actif de ce territoire.")
    if project.referrals.filter(partner=partner, status__in=(ReferralStatus.QUO, ReferralStatus.TAKING_CARE)).exists():
        raise WorkflowError(f"Ce projet est déjà orienté vers {partner.name} : l'orientation est en cours.")
    now = timezone.now()
    try:
        with transaction.atomic():
            referral = Referral.objects.create(
                project=project,
                partner=partner,
                message=message.strip(),
                created_by=by,
                status=ReferralStatus.QUO,
                status_changed_at=now,
            )
    except IntegrityError as exc:  # a concurrent referral to the same partner won the race
        raise WorkflowError(f"Ce projet est déjà orienté vers {partner.name} : l'orientation est en cours.") from exc
    ReferralTransition.objects.create(
        referral=referral, from_status="", to_status=ReferralStatus.QUO, by=by, comment=referral.message
    )
    Project.objects.filter(pk=project.pk).update(updated_at=now)
    mail_referral_new(referral)
    return referral


def _actors(user, referral) -> list[str]:
    actors = []
    if perms.can_move_referral(user, referral):
        actors.append(PARTNER)
    if perms.can_withdraw_referral(user, referral):
        actors.append(TEAM)
    return actors


@transaction.atomic
def referral_move(*, referral: Referral, to_status: str, by, comment: str = "", system: bool = False) -> Referral:
    """Moves the referral to ``to_status`` if the workflow allows it to ``by`` (the partner's adviser, or the team
    for a withdrawal; ``system`` for the closure of the project), logs the move and tells the team when the partner
    decided. Raises ``WorkflowError`` (French) for an illegal move or a missing reason."""
    from essaim.support.nudges import mail_referral_moved

    referral = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("project__territory", "project__referent", "partner")
        .get(pk=referral.pk)
    )
    actors = [SYSTEM] if system else _actors(by, referral)
    if not actors:
        raise WorkflowError("Vous ne pouvez pas changer l'état de cette orientation.")
    move = find_move(referral, to_status=to_status, actors=actors)
    comment = (comment or "").strip()
    if move.comment_required and not comment:
        raise WorkflowError(f"{move.comment_label} Une raison est nécessaire.")
    if move.actor == PARTNER and not referral.project.is_open:
        raise WorkflowError("Le projet est clos : son orientation ne peut plus changer d'état.")
    now = timezone.now()
    from_status = referral.status
    referral.status = move.target
    referral.status_changed_at = now
    if move.target == ReferralStatus.TAKING_CARE:
        referral.closed_at = None
        if move.actor == PARTNER:
            referral.taken_by = by
            referral.first_contact_at = referral.first_contact_at or now
    elif move.target in REFERRAL_CLOSED:
        referral.closed_at = now
    referral.save()
    transition = ReferralTransition.objects.create(
        referral=referral, from_status=from_status, to_status=move.target, by=by, comment=comment
    )
    Project.objects.filter(pk=referral.project_id).update(updated_at=now)
    if move.actor == PARTNER:
        mail_referral_moved(referral, transition)
    return referral
