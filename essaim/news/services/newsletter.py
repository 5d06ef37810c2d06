"""Writes of the newsletter: subscription with double opt-in, confirmation, one-click unsubscription, erasure and
expiry of unconfirmed addresses; issues written, then queued for the worker, which sends them in batches
(``essaim.news.tasks``).

Personal data are minimised: a subscriber is an address, the consent's text and date, and the date of
confirmation. Unsubscribing deletes the row; the deliveries of past issues keep their status, not the address."""

import datetime
import hashlib
import hmac

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from essaim.news.enums import IssueStatus
from essaim.news.models import Delivery, Issue, Subscriber

CONSENT_TEXT = (
    "J'accepte de recevoir par courriel la lettre d'information de {territory}. Mon adresse ne sert qu'à cet envoi, "
    "n'est transmise à personne, et je peux me désinscrire à tout moment par le lien de chaque lettre."
)


def confirm_days() -> int:
    """How long a confirmation link holds; an address not confirmed by then is deleted."""
    return int(getattr(settings, "ESSAIM_NEWSLETTER_CONFIRM_DAYS", 7))


def consent_text(territory) -> str:
    return CONSENT_TEXT.format(territory=territory.name)


def address_digest(email: str) -> str:
    """An HMAC of the address: what a delivery keeps to refuse a second sending to the same address, without the
    address itself."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, email.strip().lower().encode(), hashlib.sha256).hexdigest()


def _site(site_url: str) -> str:
    from essaim.core.links import site_url as public_site_url

    return public_site_url(site_url or None)


@transaction.atomic
def subscription_request(*, territory, email: str, site_url: str = "") -> Subscriber:
    """Records the consent of an address and mails it the confirmation link (double opt-in). Asked again for an
    address waiting for confirmation: the consent's date is renewed and the link mailed again; for a confirmed
    address: nothing changes and nothing is mailed (the page says the same in every case, so that nobody learns
    whether an address is subscribed)."""
    from essaim.news import tasks

    email = email.strip().lower()
    now = timezone.now()
    subscriber = Subscriber.objects.select_for_update().filter(territory=territory, email=email).first()
    created = False
    if subscriber is None:
        try:
            with transaction.atomic():
                subscriber = Subscriber.objects.create(
                    territory=territory, email=email, consent_text=consent_text(territory), consented_at=now
                )
            created = True
        except IntegrityError:  # the same address asked at the same moment (news_subscriber_unique): take its row
            subscriber = Subscriber.objects.select_for_update().get(territory=territory, email=email)
    if subscriber.confirmed_at:
        return subscriber
    if not created:
        subscriber.consent_text = consent_text(territory)
        subscriber.consented_at = now
        subscriber.save(update_fields=["consent_text", "consented_at", "updated_at"])
    pk, root = subscriber.pk, _site(site_url)
    transaction.on_commit(lambda: tasks.send_confirmation.enqueue(pk, root))
    return subscriber


def is_expired(subscriber: Subscriber, now=None) -> bool:
    now = now or timezone.now()
    return not subscriber.confirmed_at and subscriber.consented_at < now - datetime.timedelta(days=confirm_days())


@transaction.atomic
def subscription_confirm(*, token: str) -> Subscriber | None:
    """Confirms the address of this link; None for an unknown link or one past its time (the address, never
    confirmed, is then deleted). Confirming twice is harmless."""
    subscriber = Subscriber.objects.select_for_update().filter(token=token).select_related("territory").first()
    if subscriber is None:
        return None
    if is_expired(subscriber):
        subscriber.delete()
        return None
    if not subscriber.confirmed_at:
        subscriber.confirmed_at = timezone.now()
        subscriber.save(update_fields=["confirmed_at", "updated_at"])
    return subscriber


def _delete(subscribers) -> int:
    ids = list(subscribers.values_list("pk", flat=True))
    Delivery.objects.filter(subscriber_id__in=ids).update(address_digest=None, subscriber=None)
    deleted, _ = Subscriber.objects.filter(pk__in=ids).delete()
    return deleted


@transaction.atomic
def unsubscribe(*, token: str):
    """Deletes the subscription of this link (one click, no login): returns its territory, or None when the link is
    unknown (already used: the address is already gone)."""
    subscriber = Subscriber.objects.filter(token=token).select_related("territory").first()
    if subscriber is None:
        return None
    territory = subscriber.territory
    _delete(Subscriber.objects.filter(pk=subscriber.pk))
    return territory


@transaction.atomic
def subscriptions_erase(*, email: str) -> int:
    """Deletes every subscription of an address (a person's erasure)."""
    return _delete(Subscriber.objects.filter(email__iexact=email.strip()))


@transaction.atomic
def subscribers_expire(*, now=None, dry_run: bool = False) -> int:
    """Deletes the addresses never confirmed within ``confirm_days()``; returns how many."""
    now = now or timezone.now()
    stale = Subscriber.objects.pending().filter(consented_at__lt=now - datetime.timedelta(days=confirm_days()))
    return stale.count() if dry_run else _delete(stale)


class IssueError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@transaction.atomic
def issue_save(
    *, territory, by, subject: str, introduction: str, items=(), events=(), issue: Issue | None = None
) -> Issue:
    """Writes a draft issue of ``territory`` from its published items and published events."""
    if issue is None:
        issue = Issue(territory=territory, created_by=by)
    elif not issue.is_draft:
        raise IssueError("Cette lettre est déjà partie : elle ne se modifie plus.")
    issue.subject = subject
    issue.introduction = introduction
    issue.save()
    issue.items.set(list(items))
    issue.events.set(list(events))
    return issue


@transaction.atomic
def issue_queue(*, issue: Issue, by, site_url: str = "") -> Issue:
    """Hands a draft issue to the worker (status « en file d'attente »), which sends it in batches. Only once: a
    second click finds it queued already."""
    from essaim.news import tasks

    if not issue.items.exists() and not issue.events.exists() and not issue.introduction.strip():
        raise IssueError("Cette lettre est vide : ajoutez une introduction, une actualité ou un événement.")
    claimed = Issue.objects.filter(pk=issue.pk, status=IssueStatus.DRAFT).update(
        status=IssueStatus.QUEUED, queued_at=timezone.now(), updated_at=timezone.now()
    )
    if not claimed:
        raise IssueError("Cette lettre est déjà en cours d'envoi ou envoyée.")
    issue.refresh_from_db()
    pk, root = issue.pk, _site(site_url)
    transaction.on_commit(lambda: tasks.send_issue_batch.enqueue(pk, root))
    return issue
