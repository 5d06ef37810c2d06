"""Calls for projects relayed to the club (seed 004: "répondre en équipe à des appels à projets").

A facilitator publishes a call; on publication the people of the active members whose structure's sectors meet the
call's themes (every active member when the call has none) are told of it by mail, once: the task claims the call
by a conditional UPDATE of ``notified_at``, so a second enqueue, a retry or an edit never sends it again."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from essaim.club import perms
from essaim.club.enums import MemberStatus
from essaim.club.models import Call, MemberPerson

FIELDS = ("title", "funder", "description", "amount", "amount_note", "deadline", "url")


def _check(*, club, by, data: dict) -> None:
    if not perms.can_facilitate(by, club):
        raise ValidationError("Seul·es les animateur·rices du club publient les appels à projets.")
    if not (data.get("title") or "").strip():
        raise ValidationError("Donnez un titre à l'appel.")
    if not (data.get("funder") or "").strip():
        raise ValidationError("Indiquez le financeur.")
    if data.get("amount") is not None and data["amount"] < 0:
        raise ValidationError("Le montant ne peut pas être négatif.")
    if not isinstance(data.get("deadline"), datetime.date):
        raise ValidationError("Indiquez la date limite de dépôt.")


@transaction.atomic
def call_publish(*, club, by, sectors=(), site_url: str = "", **data) -> Call:
    """Publishes a call for the club's members and queues the mail to the members whose sectors it meets."""
    from essaim.club.tasks import calls as tasks

    _check(club=club, by=by, data=data)
    call = Call(club=club, published_by=by, **{name: data.get(name, "") for name in FIELDS if name in data})
    call.title = call.title.strip()
    call.funder = call.funder.strip()
    call.save()
    call.sectors.set(sectors)
    pk = call.pk
    transaction.on_commit(lambda: tasks.send_call_notice.enqueue(pk, site_url))
    return call


@transaction.atomic
def call_update(*, call: Call, by, sectors=None, **data) -> Call:
    """Edits a call; the members already told are not told again."""
    _check(club=call.club, by=by, data={**{name: getattr(call, name) for name in FIELDS}, **data})
    for name in FIELDS:
        if name in data:
            value = data[name]
            setattr(call, name, "" if value is None and name != "amount" else value)
    call.save()
    if sectors is not None:
        call.sectors.set(sectors)
    return call


def call_recipients(call: Call) -> list[str]:
    """The addresses of the people of the club's active members whose structure works in one of the call's
    themes (all active members when the call has none), each once, in a stable order."""
    people = MemberPerson.objects.filter(
        member__club_id=call.club_id, member__status=MemberStatus.ACTIVE, user__is_active=True
    )
    sector_ids = list(call.sectors.values_list("pk", flat=True))
    if sector_ids:
        people = people.filter(member__structure__sectors__in=sector_ids)
    return sorted({email for email in people.values_list("user__email", flat=True) if email})


def call_claim_notice(call_id: int, now=None) -> bool:
    """Marks the call as notified if nobody did yet (a conditional UPDATE: one sender wins)."""
    return bool(Call.objects.filter(pk=call_id, notified_at__isnull=True).update(notified_at=now or timezone.now()))


def calls_open(club, today=None):
    today = today or timezone.localdate()
    return club.calls.filter(deadline__gte=today).order_by("deadline", "pk")


def calls_past(club, today=None):
    today = today or timezone.localdate()
    return club.calls.filter(deadline__lt=today).order_by("-deadline", "-pk")
