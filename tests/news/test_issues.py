"""Newsletter issues: composed by an officer, sent in batches by the worker, never twice to one address, with the
one-click unsubscribe headers; the sending status and counts per issue."""

from unittest import mock

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse

from essaim.news.enums import DeliveryStatus, IssueStatus
from essaim.news.models import Delivery, Issue
from essaim.news.services.newsletter import IssueError, issue_queue
from essaim.news.tasks import send_issue_batch
from tests.accounts.factories import MembershipFactory
from tests.agenda.factories import EventFactory, SessionFactory
from tests.news.factories import IssueFactory, NewsItemFactory, SubscriberFactory
from tests.territories.factories import TerritoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def issue(db):
    """An issue of the Ternois with one item and one upcoming event; 3 confirmed subscribers, 1 waiting for
    confirmation, and 1 subscriber of another territory."""
    ternois = TerritoryFactory(slug="ternois", name="Pays du Ternois")
    item = NewsItemFactory(territory=ternois, title="Une quarantaine de producteurs locaux")
    event = EventFactory(territory=ternois, title="Marché des producteurs")
    SessionFactory(event=event)
    issue = IssueFactory(territory=ternois, subject="La lettre de novembre")
    issue.items.set([item])
    issue.events.set([event])
    for n in range(3):
        SubscriberFactory(territory=ternois, email=f"abonne{n}@ternois.example")
    SubscriberFactory(territory=ternois, pending=True, email="attente@ternois.example")
    SubscriberFactory(email="ailleurs@autre.example")
    return issue


def _queue(issue, commit):
    with commit():
        issue_queue(issue=issue, by=None, site_url="https://ess.example")
    issue.refresh_from_db()
    return issue


def test_an_issue_goes_to_the_confirmed_subscribers_of_its_territory_only(issue, commit):
    issue = _queue(issue, commit)
    assert sorted(m.to[0] for m in mail.outbox) == [
        "abonne0@ternois.example",
        "abonne1@ternois.example",
        "abonne2@ternois.example",
    ]
    assert issue.status == IssueStatus.SENT
    assert (issue.recipients_count, issue.sent_count, issue.failed_count) == (3, 3, 0)
    assert issue.sent_at is not None


def test_every_mail_carries_the_one_click_unsubscribe_headers_and_link(issue, commit):
    _queue(issue, commit)
    assert len(mail.outbox) == 3
    message = next(m for m in mail.outbox if m.to == ["abonne0@ternois.example"])
    token = issue.territory.subscribers.get(email="abonne0@ternois.example").token
    link = f"https://ess.example/actualites/lettre/desinscription/{token}/"
    assert message.extra_headers["List-Unsubscribe"] == f"<{link}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in message.body
    assert "Une quarantaine de producteurs locaux" in message.body
    assert "Marché des producteurs" in message.body
    html, _ = message.alternatives[0]
    assert f'href="{link}"' in html


def test_batches_send_everything_once(issue, commit, settings):
    settings.ESSAIM_NEWSLETTER_BATCH = 2
    from essaim.news import tasks

    with mock.patch.object(tasks, "get_connection", wraps=tasks.get_connection) as connection:
        issue = _queue(issue, commit)
    assert connection.call_count == 2  # one connection per batch: 2 addresses, then 1
    assert len(mail.outbox) == 3
    assert issue.sent_count == 3


def test_the_task_run_twice_never_sends_twice(issue, commit):
    issue = _queue(issue, commit)
    assert len(mail.outbox) == 3
    # A duplicate job (a retry, a second worker): the issue is queued again as if nothing had happened.
    Issue.objects.filter(pk=issue.pk).update(status=IssueStatus.QUEUED)
    assert send_issue_batch.call(issue.pk, "https://ess.example") == 0
    assert len(mail.outbox) == 3
    assert Delivery.objects.filter(issue=issue).count() == 3
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENT
    assert issue.sent_count == 3


def test_one_address_cannot_have_two_deliveries_of_one_issue(issue):
    Delivery.objects.create(issue=issue, address_digest="a" * 64)
    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.create(issue=issue, address_digest="a" * 64)


def test_a_refused_address_is_counted_as_failed_and_the_others_go(issue, commit):
    from django.core.mail import EmailMultiAlternatives

    real_send = EmailMultiAlternatives.send

    def send(message, *args, **kwargs):
        if message.to == ["abonne1@ternois.example"]:
            raise OSError("boîte refusée")
        return real_send(message, *args, **kwargs)

    with mock.patch.object(EmailMultiAlternatives, "send", send):
        issue = _queue(issue, commit)
    assert len(mail.outbox) == 2
    assert (issue.status, issue.sent_count, issue.failed_count) == (IssueStatus.SENT, 2, 1)
    assert Delivery.objects.filter(issue=issue, status=DeliveryStatus.FAILED).count() == 1


def test_an_issue_is_queued_once(issue, commit):
    _queue(issue, commit)
    with pytest.raises(IssueError):
        issue_queue(issue=issue, by=None)


def test_an_empty_issue_is_refused(db):
    empty = IssueFactory(introduction="")
    with pytest.raises(IssueError):
        issue_queue(issue=empty, by=None)
    empty.refresh_from_db()
    assert empty.status == IssueStatus.DRAFT


def test_an_officer_composes_previews_and_sends_an_issue(client, issue, commit):
    officer = MembershipFactory(territory=issue.territory).user
    client.force_login(officer)
    item = issue.items.get()
    event = issue.events.get()
    response = client.post(
        reverse("news:issue_new", args=["ternois"]),
        {
            "subject": "La lettre de décembre",
            "introduction": "Bonne lecture **à tous**.",
            "items": [item.pk],
            "events": [event.pk],
        },
    )
    assert response.status_code == 302
    new = Issue.objects.get(subject="La lettre de décembre")
    preview = client.get(reverse("news:issue", args=[new.pk]))
    html = preview.content.decode()
    assert "<strong>à tous</strong>" in html
    assert "Envoyer à 3\u00a0adresses abonnées" in html
    with commit():
        client.post(reverse("news:issue_send", args=[new.pk]))
    new.refresh_from_db()
    assert new.status == IssueStatus.SENT
    assert len(mail.outbox) == 3
    status = client.get(reverse("news:issue", args=[new.pk])).content.decode()
    assert "3\u00a0envois réussis, 0\u00a0échec" in status


def test_an_officer_of_another_territory_cannot_see_or_send_the_issue(client, issue):
    client.force_login(MembershipFactory(territory=TerritoryFactory()).user)
    assert client.get(reverse("news:issue", args=[issue.pk])).status_code == 403
    assert client.post(reverse("news:issue_send", args=[issue.pk])).status_code == 403
    assert client.get(reverse("news:issues", args=["ternois"])).status_code == 403
    issue.refresh_from_db()
    assert issue.status == IssueStatus.DRAFT
    assert len(mail.outbox) == 0
