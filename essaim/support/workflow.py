"""The workflow of a referral to a partner (Conseillers-Entreprises' statuses), as one table of named moves.

quo → taking care (the partner accepts) | not for me (declines, a reason required) | not reachable;
taking care → done | done without help | not reachable. A closed referral may be reopened (back to taking care) by
its partner within ``REOPEN_DAYS`` days of its closure; the team that referred the project may withdraw a referral
left at quo (it is closed "without help", a reason required); closing a project closes its open referrals the same
way (``system``). No status changes anywhere else: ``essaim.support.services.referrals.referral_move`` applies a
move of this table and logs it in ``ReferralTransition``.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone

from essaim.support.enums import REFERRAL_CLOSED, ReferralStatus

REOPEN_DAYS = 30

PARTNER = "partner"
TEAM = "team"
SYSTEM = "system"


class WorkflowError(ValidationError):
    """An illegal move, with a French message a person can read."""


@dataclass(frozen=True)
class Move:
    name: str
    label: str
    sources: tuple[str, ...]
    target: str
    actor: str
    comment_required: bool = False
    comment_label: str = "Commentaire"


MOVES = [
    Move("accept", "Prendre en charge", (ReferralStatus.QUO,), ReferralStatus.TAKING_CARE, PARTNER),
    Move(
        "decline",
        "Refuser : ce n'est pas pour nous",
        (ReferralStatus.QUO,),
        ReferralStatus.NOT_FOR_ME,
        PARTNER,
        comment_required=True,
        comment_label="Pourquoi refusez-vous cette orientation ?",
    ),
    Move(
        "unreachable",
        "Porteur injoignable",
        (ReferralStatus.QUO, ReferralStatus.TAKING_CARE),
        ReferralStatus.NOT_REACHABLE,
        PARTNER,
    ),
    Move("done", "Clôturer : aide apportée", (ReferralStatus.TAKING_CARE,), ReferralStatus.DONE, PARTNER),
    Move(
        "done_no_help",
        "Clôturer sans aide",
        (ReferralStatus.TAKING_CARE,),
        ReferralStatus.DONE_NO_HELP,
        PARTNER,
    ),
    Move("reopen", "Reprendre le suivi", REFERRAL_CLOSED, ReferralStatus.TAKING_CARE, PARTNER),
    Move(
        "withdraw",
        "Retirer l'orientation",
        (ReferralStatus.QUO,),
        ReferralStatus.DONE_NO_HELP,
        TEAM,
        comment_required=True,
        comment_label="Pourquoi retirez-vous cette orientation ?",
    ),
    Move(
        "close_with_project",
        "Clôturée avec le projet",
        (ReferralStatus.QUO, ReferralStatus.TAKING_CARE),
        ReferralStatus.DONE_NO_HELP,
        SYSTEM,
    ),
]
MOVES_BY_NAME = {move.name: move for move in MOVES}


def status_label(status: str) -> str:
    return ReferralStatus(status).label if status in ReferralStatus.values else status


def can_reopen(referral, now: datetime.datetime | None = None) -> bool:
    """A partner may take back a referral it closed, for ``REOPEN_DAYS`` days (a holder who calls back)."""
    if referral.status not in REFERRAL_CLOSED or referral.closed_at is None:
        return False
    return (now or timezone.now()) - referral.closed_at <= datetime.timedelta(days=REOPEN_DAYS)


def allowed(referral, actor: str, now: datetime.datetime | None = None) -> list[Move]:
    """The moves ``actor`` may make on the referral now (what the pages offer as buttons)."""
    moves = [m for m in MOVES if m.actor == actor and referral.status in m.sources]
    return [m for m in moves if m.name != "reopen" or can_reopen(referral, now)]


def find_move(referral, *, to_status: str, actors: list[str], now: datetime.datetime | None = None) -> Move:
    """The move that takes the referral to ``to_status`` for one of ``actors``, or a ``WorkflowError`` saying why
    not, in French."""
    if to_status not in ReferralStatus.values:
        raise WorkflowError("Cet état d'orientation n'existe pas.")
    for actor in actors:
        for move in MOVES:
            if move.actor != actor or move.target != to_status or referral.status not in move.sources:
                continue
            if move.name == "reopen" and not can_reopen(referral, now):
                raise WorkflowError(
                    f"Cette orientation est close depuis plus de {REOPEN_DAYS} jours : elle ne peut plus être "
                    "reprise. Demandez à l'équipe du territoire une nouvelle orientation."
                )
            return move
    raise WorkflowError(
        f"Une orientation à l'état « {status_label(referral.status)} » ne peut pas passer à l'état "
        f"« {status_label(to_status)} »."
    )
