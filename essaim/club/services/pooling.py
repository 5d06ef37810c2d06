"""Services of the board of offers and needs: post, edit, close or mark a listing as filled (*pourvue*), put a need
and an offer in touch (a ``Match``, once per pair, both contacts mailed), follow categories and the weekly digest.
Keyword-only, atomic, French ``ValidationError``; views never write the models directly."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from essaim.club import perms
from essaim.club.enums import ListingCategory, ListingKind, ListingStatus
from essaim.club.models import CategorySubscription, Listing, Match

LISTING_FIELDS = (
    "kind",
    "category",
    "title",
    "description",
    "commune",
    "available_from",
    "available_until",
    "is_free",
    "price",
    "price_note",
    "contact_name",
    "contact_email",
    "contact_phone",
    "show_publicly",
)
DIGEST_EVERY = datetime.timedelta(days=7)


def _clean(data: dict) -> dict:
    values = {name: data[name] for name in LISTING_FIELDS if name in data}
    if values.get("kind") not in ListingKind.values:
        raise ValidationError({"kind": "Choisissez offre ou besoin."})
    if values.get("category") not in ListingCategory.values:
        raise ValidationError({"category": "Choisissez une catégorie."})
    start, end = values.get("available_from"), values.get("available_until")
    if start and end and end < start:
        raise ValidationError({"available_until": "La fin de la disponibilité précède son début."})
    if values.get("is_free", True):
        values["price"] = None
    elif values.get("price") is not None and values["price"] < 0:
        raise ValidationError({"price": "Le prix ne peut pas être négatif."})
    if not (values.get("title") or "").strip():
        raise ValidationError({"title": "Donnez un titre."})
    return values


@transaction.atomic
def listing_create(*, member, by, data: dict) -> Listing:
    """A person of an active member posts an offer or a need for their structure."""
    if not member.is_active or not perms.acts_for(by, member):
        raise ValidationError("Seule une personne d'une structure membre du club peut publier pour elle.")
    listing = Listing(club=member.club, member=member, posted_by=by, **_clean(data))
    listing.full_clean(exclude=["posted_by", "commune"])
    listing.save()
    return listing


@transaction.atomic
def listing_update(*, listing, by, data: dict) -> Listing:
    if not perms.can_edit_listing(by, listing):
        raise ValidationError("Vous ne pouvez pas modifier cette annonce.")
    listing = Listing.objects.get(pk=listing.pk)
    for name, value in _clean(data).items():
        setattr(listing, name, value)
    listing.full_clean(exclude=["posted_by", "commune"])
    listing.save()
    return listing


@transaction.atomic
def listing_set_status(*, listing, by, status: str) -> Listing:
    """Close a listing, mark it filled (« pourvue »), or open it again: its member's people and the staff."""
    if status not in ListingStatus.values:
        raise ValidationError("Statut inconnu.")
    if not perms.can_edit_listing(by, listing):
        raise ValidationError("Vous ne pouvez pas modifier cette annonce.")
    Listing.objects.filter(pk=listing.pk).update(status=status, updated_at=timezone.now())
    listing.status = status
    return listing


def match_create(*, need, offer, by, note: str = "", site_url: str = "") -> Match:
    """Puts a need and an offer in touch: recorded once per pair (constraint ``listing_match_once``), both contacts
    mailed after the commit. A person of either member, or the staff, may do it."""
    if need.kind != ListingKind.NEED or offer.kind != ListingKind.OFFER:
        raise ValidationError("Une mise en relation relie un besoin et une offre.")
    if need.club_id != offer.club_id or need.member_id == offer.member_id:
        raise ValidationError("Ces deux annonces ne peuvent pas être mises en relation.")
    club = need.club
    if not (perms.acts_for(by, need.member) or perms.acts_for(by, offer.member) or perms.can_facilitate(by, club)):
        raise ValidationError("Seules les structures concernées peuvent les mettre en relation.")
    if need.status != ListingStatus.OPEN or offer.status != ListingStatus.OPEN:
        raise ValidationError("L'une des deux annonces n'est plus ouverte.")
    try:
        with transaction.atomic():
            match = Match.objects.create(need=need, offer=offer, by=by, note=(note or "")[:500])
            transaction.on_commit(lambda: _mail_match(match.pk, site_url))
    except IntegrityError:
        raise ValidationError("Ces deux annonces sont déjà mises en relation.") from None
    return match


def _mail_match(match_id: int, site_url: str) -> None:
    from essaim.club.tasks.pooling import send_match_mail

    send_match_mail.enqueue(match_id, site_url)


@transaction.atomic
def subscriptions_set(*, club, user, categories) -> list[str]:
    """The categories a person of an active member follows (all others unfollowed). Returns them, sorted."""
    if not perms.is_member(user, club):
        raise ValidationError("Seules les personnes des structures membres peuvent s'abonner.")
    wanted = set(categories)
    unknown = wanted - set(ListingCategory.values)
    if unknown:
        raise ValidationError("Catégorie inconnue.")
    CategorySubscription.objects.filter(club=club, user=user).exclude(category__in=wanted).delete()
    have = set(CategorySubscription.objects.filter(club=club, user=user).values_list("category", flat=True))
    now = timezone.now()
    CategorySubscription.objects.bulk_create(
        [CategorySubscription(club=club, user=user, category=c, last_digest_at=now) for c in sorted(wanted - have)],
        ignore_conflicts=True,
    )
    return sorted(wanted)


def digest_claim(*, subscription_ids, previous, now) -> bool:
    """Claims a person's subscriptions of one club for this week's digest by a conditional UPDATE of
    ``last_digest_at``: two runs of the command at once never both send it."""
    qs = CategorySubscription.objects.filter(pk__in=subscription_ids)
    if previous is None:
        qs = qs.filter(last_digest_at__isnull=True)
    else:
        qs = qs.filter(last_digest_at=previous)
    return qs.update(last_digest_at=now) == len(subscription_ids)


def digests_send(*, now=None, site_url: str = "") -> int:
    """The daily job: each person gets, at most once a week per club, the listings posted in the categories they
    follow since their last digest (nothing new → no mail, and the week is not spent). Returns the mails queued."""
    from essaim.club.tasks.pooling import send_digest

    now = now or timezone.now()
    due = CategorySubscription.objects.filter(user__is_active=True).exclude(last_digest_at__gt=now - DIGEST_EVERY)
    groups: dict = {}
    for sub in due.order_by("user_id", "club_id", "pk"):
        groups.setdefault((sub.user_id, sub.club_id), []).append(sub)
    sent = 0
    for (user_id, club_id), subs in groups.items():
        previous = min((s.last_digest_at for s in subs), default=None, key=lambda d: d or now - DIGEST_EVERY)
        since = previous or now - DIGEST_EVERY
        if any(s.last_digest_at != subs[0].last_digest_at for s in subs):
            # Subscriptions added at different times: align them on the oldest first.
            CategorySubscription.objects.filter(pk__in=[s.pk for s in subs]).update(last_digest_at=previous)
            for s in subs:
                s.last_digest_at = previous
        listing_ids = list(
            Listing.objects.open()
            .filter(
                club_id=club_id, category__in=[s.category for s in subs], created_at__gt=since, created_at__lte=now
            )
            .exclude(posted_by_id=user_id)
            .values_list("pk", flat=True)[:50]
        )
        if not listing_ids:
            continue
        if not digest_claim(subscription_ids=[s.pk for s in subs], previous=previous, now=now):
            continue
        send_digest.enqueue(user_id, club_id, listing_ids, site_url)
        sent += 1
    return sent
