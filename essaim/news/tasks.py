"""Mails of the newsletter, sent through django-tasks: the confirmation of a subscription (double opt-in) and the
issues, in batches.

An issue goes out in batches of ``ESSAIM_NEWSLETTER_BATCH`` addresses, one task per batch, each batch enqueuing the
next one until none is left. The first batch writes one ``Delivery`` row per confirmed subscriber, under a unique
constraint on (issue, address digest); each row is claimed by a conditional UPDATE (pending → sending) before its
mail leaves. So a task run twice, or two workers on the same issue, never send one issue twice to one address.
Every issue carries the unsubscribe link and the ``List-Unsubscribe`` / ``List-Unsubscribe-Post`` headers (RFC 8058).
Arguments are primary keys and strings, so that any backend serialises them."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from essaim.agenda.models import Session
from essaim.news.enums import DeliveryStatus, IssueStatus
from essaim.news.models import Delivery, Issue, Subscriber
from essaim.news.services.newsletter import address_digest, confirm_days


def batch_size() -> int:
    return max(1, int(getattr(settings, "ESSAIM_NEWSLETTER_BATCH", 200)))


def unsubscribe_url(subscriber, site_url: str) -> str:
    return site_url + reverse("news:unsubscribe", kwargs={"token": subscriber.token})


@task()
def send_confirmation(subscriber_id: int, site_url: str = "") -> bool:
    """Mails the link that confirms a subscription (nothing is sent to an address already confirmed or gone)."""
    subscriber = Subscriber.objects.select_related("territory").filter(pk=subscriber_id).first()
    if subscriber is None or subscriber.confirmed_at:
        return False
    context = {
        "subscriber": subscriber,
        "territory": subscriber.territory,
        "confirm_url": site_url + reverse("news:confirm", kwargs={"token": subscriber.token}),
        "days": confirm_days(),
        "site_name": settings.ESSAIM_SITE_NAME,
        "site_url": site_url,
    }
    subject = f"Confirmez votre abonnement à la lettre de {subscriber.territory.name}"
    message = EmailMultiAlternatives(
        subject=subject, body=render_to_string("news/mail/confirm.txt", context), to=[subscriber.email]
    )
    message.attach_alternative(render_to_string("news/mail/confirm.html", context), "text/html")
    message.send()
    return True


def issue_context(issue: Issue, site_url: str) -> dict:
    """What an issue shows (its preview and its mails): the introduction, the chosen items still published, the
    chosen events still published with their next session."""
    from essaim.news.markdown import plain_text, render_markdown

    items = list(issue.items.published().order_by("-published_on", "pk"))
    events = []
    now = timezone.now()
    for event in issue.events.published().order_by("pk"):
        session = Session.objects.filter(event=event).upcoming(now).order_by("start").first()
        events.append({"event": event, "session": session})
    events.sort(key=lambda row: (row["session"] is None, row["session"].start if row["session"] else now))
    return {
        "issue": issue,
        "territory": issue.territory,
        "introduction_html": render_markdown(issue.introduction),
        "introduction_text": plain_text(issue.introduction),
        "items": items,
        "events": events,
        "site_url": site_url,
        "site_name": settings.ESSAIM_SITE_NAME,
    }


def issue_message(issue: Issue, subscriber, context: dict, connection=None) -> EmailMultiAlternatives:
    link = unsubscribe_url(subscriber, context["site_url"])
    context = {**context, "unsubscribe_url": link}
    message = EmailMultiAlternatives(
        subject=issue.subject,
        body=render_to_string("news/mail/issue.txt", context),
        to=[subscriber.email],
        headers={"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
        connection=connection,
    )
    message.attach_alternative(render_to_string("news/mail/issue.html", context), "text/html")
    return message


def _start(issue: Issue) -> None:
    """The first batch: the issue is « en cours d'envoi » and every confirmed subscriber gets its delivery row (a
    second run adds none: the unique constraint ignores them)."""
    claimed = Issue.objects.filter(pk=issue.pk, status=IssueStatus.QUEUED).update(
        status=IssueStatus.SENDING, updated_at=timezone.now()
    )
    if not claimed:
        return
    rows = [
        Delivery(issue=issue, subscriber_id=pk, address_digest=address_digest(email))
        for pk, email in Subscriber.objects.confirmed().filter(territory=issue.territory_id).values_list("pk", "email")
    ]
    Delivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)


def _finish(issue: Issue) -> None:
    counts = Delivery.objects.filter(issue=issue).aggregate(
        total=Count("pk"),
        sent=Count("pk", filter=Q(status=DeliveryStatus.SENT)),
        failed=Count("pk", filter=Q(status=DeliveryStatus.FAILED)),
    )
    Issue.objects.filter(pk=issue.pk, status=IssueStatus.SENDING).update(
        status=IssueStatus.SENT,
        sent_at=timezone.now(),
        recipients_count=counts["total"],
        sent_count=counts["sent"],
        failed_count=counts["failed"],
        updated_at=timezone.now(),
    )


@task()
def send_issue_batch(issue_id: int, site_url: str = "") -> int:
    """Sends the next batch of an issue; enqueues the following batch, or closes the issue with its counts. Returns
    how many mails this batch sent."""
    issue = Issue.objects.select_related("territory").filter(pk=issue_id).first()
    if issue is None or issue.status in (IssueStatus.DRAFT, IssueStatus.SENT):
        return 0
    _start(issue)
    pending = list(
        Delivery.objects.filter(issue=issue, status=DeliveryStatus.PENDING)
        .select_related("subscriber")
        .order_by("pk")[: batch_size()]
    )
    sent = 0
    if pending:
        context = issue_context(issue, site_url)
        connection = get_connection()
        with connection:
            for delivery in pending:
                claimed = Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.PENDING).update(
                    status=DeliveryStatus.SENDING, updated_at=timezone.now()
                )
                if not claimed:
                    continue  # another run took it
                if delivery.subscriber is None:  # unsubscribed since the issue was queued
                    Delivery.objects.filter(pk=delivery.pk).delete()
                    continue
                try:
                    issue_message(issue, delivery.subscriber, context, connection=connection).send()
                except Exception:  # noqa: BLE001 -- one refused address must not stop the issue
                    status = DeliveryStatus.FAILED
                else:
                    status, sent = DeliveryStatus.SENT, sent + 1
                Delivery.objects.filter(pk=delivery.pk).update(
                    status=status, sent_at=timezone.now() if status == DeliveryStatus.SENT else None
                )
        Issue.objects.filter(pk=issue.pk).update(
            sent_count=Delivery.objects.filter(issue=issue, status=DeliveryStatus.SENT).count(),
            failed_count=Delivery.objects.filter(issue=issue, status=DeliveryStatus.FAILED).count(),
        )
    if Delivery.objects.filter(issue=issue, status=DeliveryStatus.PENDING).exists():
        send_issue_batch.enqueue(issue.pk, site_url)
    else:
        _finish(issue)
    return sent
