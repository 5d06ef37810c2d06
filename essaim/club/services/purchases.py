"""Services of the group purchases: a member proposes (title, unit, estimated unit price, minimum quantity,
deadline); the others join with a quantity, change or remove their line until the deadline (one line per member:
constraint ``purchase_line_once_per_member``); the proposer closes or cancels it."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from essaim.club import perms
from essaim.club.enums import PurchaseStatus
from essaim.club.models import GroupPurchase, PurchaseLine

MAX_QUANTITY = 100_000


@transaction.atomic
def purchase_create(
    *,
    member,
    by,
    title,
    description="",
    unit_label="unité",
    unit_price=None,
    minimum_quantity=None,
    deadline,
    today=None,
) -> GroupPurchase:
    today = today or timezone.localdate()
    if not member.is_active or not perms.acts_for(by, member):
        raise ValidationError("Seule une personne d'une structure membre du club peut proposer un achat groupé.")
    if not (title or "").strip():
        raise ValidationError({"title": "Donnez un titre à l'achat."})
    if deadline < today:
        raise ValidationError({"deadline": "La date limite est déjà passée."})
    if unit_price is not None and unit_price < 0:
        raise ValidationError({"unit_price": "Le prix ne peut pas être négatif."})
    return GroupPurchase.objects.create(
        club=member.club,
        proposer=member,
        title=title.strip(),
        description=description,
        unit_label=(unit_label or "unité").strip(),
        unit_price=unit_price,
        minimum_quantity=minimum_quantity or None,
        deadline=deadline,
    )


def is_open(purchase, today=None) -> bool:
    today = today or timezone.localdate()
    return purchase.status == PurchaseStatus.OPEN and purchase.deadline >= today


def _check_open(purchase, today):
    if purchase.status != PurchaseStatus.OPEN:
        raise ValidationError("Cet achat groupé n'est plus ouvert aux participations.")
    if purchase.deadline < today:
        raise ValidationError("La date limite des participations est passée.")


def line_set(*, purchase, member, by, quantity: int, today=None) -> PurchaseLine | None:
    """Joins with a quantity, or changes one's line; a quantity of 0 removes it. Until the deadline only."""
    today = today or timezone.localdate()
    if member.club_id != purchase.club_id or not member.is_active or not perms.acts_for(by, member):
        raise ValidationError("Seule une personne d'une structure membre du club peut participer.")
    if quantity is None or quantity < 0 or quantity > MAX_QUANTITY:
        raise ValidationError({"quantity": f"Indiquez une quantité entre 0 et {MAX_QUANTITY}."})
    _check_open(purchase, today)
    if quantity == 0:
        PurchaseLine.objects.filter(purchase=purchase, member=member).delete()
        return None
    try:
        with transaction.atomic():
            line, _ = PurchaseLine.objects.update_or_create(
                purchase=purchase, member=member, defaults={"quantity": quantity, "by": by}
            )
    except IntegrityError:  # two clicks at once: the other created the line, update it
        line = PurchaseLine.objects.get(purchase=purchase, member=member)
        line.quantity, line.by = quantity, by
        line.save(update_fields=["quantity", "by", "updated_at"])
    return line


@transaction.atomic
def purchase_set_status(*, purchase, by, status: str) -> GroupPurchase:
    """The proposer's people (or the staff) close it (the order goes ahead) or cancel it."""
    if status not in (PurchaseStatus.CLOSED, PurchaseStatus.CANCELLED):
        raise ValidationError("Statut inconnu.")
    if not (perms.acts_for(by, purchase.proposer) or perms.can_facilitate(by, purchase.club)):
        raise ValidationError("Seule la structure qui propose l'achat peut le clore ou l'annuler.")
    if purchase.status != PurchaseStatus.OPEN:
        raise ValidationError("Cet achat groupé est déjà clos ou annulé.")
    GroupPurchase.objects.filter(pk=purchase.pk).update(status=status, updated_at=timezone.now())
    purchase.status = status
    return purchase


def totals(purchase) -> dict:
    """The total quantity, the estimated amount and whether the minimum is reached."""
    total = purchase.lines.aggregate(total=Sum("quantity"))["total"] or 0
    amount = (purchase.unit_price or Decimal(0)) * total if purchase.unit_price is not None else None
    minimum = purchase.minimum_quantity
    return {
        "quantity": total,
        "amount": amount,
        "minimum_reached": minimum is None or total >= minimum,
        "missing": max((minimum or 0) - total, 0),
    }
