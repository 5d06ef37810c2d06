"""The newsletter: double opt-in, expiry of unconfirmed addresses, one-click unsubscription (RFC 8058), erasure and
export of a person's subscriptions."""

import datetime
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from essaim.accounts.services import user_erase
from essaim.news.models import Delivery, Subscriber
from essaim.news.services.newsletter import subscribers_expire, subscription_confirm, subscription_request
from essaim.www.accounts.space import export_for
from tests.accounts.factories import UserFactory
from tests.news.factories import IssueFactory, SubscriberFactory
from tests.territories.factories import TerritoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ternois(db):
    return TerritoryFactory(slug="ternois", name="Pays du Ternois")


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Runs what the services hand to ``transaction.on_commit`` (the mails' tasks) when the block ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _subscribe(client, territory, email="lectrice@ternois.example", consent="on"):
    data = {"email": email}
    if consent:
        data["consent"] = consent
    return client.post(reverse("news:subscribe", args=[territory.slug]), data)


def _link(message, name):
    match = re.search(r"https?://\S+/actualites/lettre/" + name + r"/[\w-]+/", message.body)
    assert match is not None, message.body
    return match.group(0)


def test_subscribing_records_the_consent_and_mails_the_confirmation_link(client, ternois, commit):
    with commit():
        response = _subscribe(client, ternois, email="Lectrice@Ternois.example")
    assert response.status_code == 200
    assert "Vérifiez votre messagerie" in response.content.decode()
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "lectrice@ternois.example"
    assert subscriber.confirmed_at is None
    assert "Pays du Ternois" in subscriber.consent_text
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lectrice@ternois.example"]
    assert message.subject == "Confirmez votre abonnement à la lettre de Pays du Ternois"
    assert _link(message, "confirmer").endswith(f"/actualites/lettre/confirmer/{subscriber.token}/")
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f"/actualites/lettre/confirmer/{subscriber.token}/" in html


def test_the_consent_box_is_required_and_the_address_kept(client, ternois):
    response = _subscribe(client, ternois, consent="")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Cochez la case pour donner votre accord." in html
    assert 'value="lectrice@ternois.example"' in html
    assert Subscriber.objects.count() == 0
    assert len(mail.outbox) == 0


def test_a_confirmed_address_is_not_mailed_again_and_the_page_says_the_same(client, ternois, commit):
    SubscriberFactory(territory=ternois, email="deja@ternois.example")
    with commit():
        response = _subscribe(client, ternois, email="deja@ternois.example")
    assert response.status_code == 200
    assert "Vérifiez votre messagerie" in response.content.decode()
    assert len(mail.outbox) == 0
    assert Subscriber.objects.count() == 1


def test_the_confirmation_link_asks_then_confirms(client, ternois, commit):
    with commit():
        _subscribe(client, ternois)
    url = _link(mail.outbox[0], "confirmer")
    path = url.split("://", 1)[1].split("/", 1)[1]
    page = client.get("/" + path)
    assert page.status_code == 200
    assert Subscriber.objects.get().confirmed_at is None  # a mail scanner following the link confirms nothing
    done = client.post("/" + path)
    assert done.status_code == 200
    assert "Abonnement confirmé" in done.content.decode()
    assert Subscriber.objects.get().confirmed_at is not None


def test_an_unknown_confirmation_link_gets_a_french_page(client):
    response = client.get(reverse("news:confirm", args=["inconnu"]))
    assert response.status_code == 404
    assert "Ce lien de confirmation n'est plus valable" in response.content.decode()


def test_an_expired_link_confirms_nothing_and_deletes_the_address(ternois, settings):
    settings.ESSAIM_NEWSLETTER_CONFIRM_DAYS = 7
    subscriber = SubscriberFactory(
        territory=ternois, pending=True, consented_at=timezone.now() - datetime.timedelta(days=8)
    )
    assert subscription_confirm(token=subscriber.token) is None
    assert Subscriber.objects.count() == 0


def test_unconfirmed_addresses_expire_after_the_delay(ternois):
    old = timezone.now() - datetime.timedelta(days=8)
    SubscriberFactory(territory=ternois, pending=True, consented_at=old)
    fresh = SubscriberFactory(territory=ternois, pending=True)
    confirmed = SubscriberFactory(territory=ternois, consented_at=old)
    assert subscribers_expire(dry_run=True) == 1
    assert Subscriber.objects.count() == 3
    call_command("news_expire_subscribers")
    assert set(Subscriber.objects.values_list("pk", flat=True)) == {fresh.pk, confirmed.pk}


def test_asking_again_renews_the_consent_and_mails_the_link_again(ternois, commit):
    old = timezone.now() - datetime.timedelta(days=3)
    subscriber = SubscriberFactory(territory=ternois, pending=True, consented_at=old, email="a@ternois.example")
    with commit():
        subscription_request(territory=ternois, email="A@ternois.example")
    subscriber.refresh_from_db()
    assert subscriber.consented_at > old
    assert len(mail.outbox) == 1


def test_the_subscription_form_is_rate_limited(client, ternois, settings):
    settings.ESSAIM_NEWSLETTER_RATE_LIMIT = 2
    assert _subscribe(client, ternois, email="un@ternois.example").status_code == 200
    assert _subscribe(client, ternois, email="deux@ternois.example").status_code == 200
    refused = _subscribe(client, ternois, email="trois@ternois.example")
    assert refused.status_code == 429
    assert "Trop de demandes depuis votre connexion" in refused.content.decode()
    assert Subscriber.objects.count() == 2


def test_one_click_unsubscribe_is_a_post_without_csrf(ternois):
    subscriber = SubscriberFactory(territory=ternois)
    client = Client(enforce_csrf_checks=True)
    url = reverse("news:unsubscribe", args=[subscriber.token])
    page = client.get(url)
    assert page.status_code == 200
    assert Subscriber.objects.count() == 1
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "Vous êtes désinscrit·e" in response.content.decode()
    assert Subscriber.objects.count() == 0
    again = client.post(url)
    assert again.status_code == 200


def test_unsubscribing_keeps_the_counts_not_the_address(ternois):
    subscriber = SubscriberFactory(territory=ternois)
    issue = IssueFactory(territory=ternois, status="sent", sent_count=1)
    Delivery.objects.create(issue=issue, subscriber=subscriber, address_digest="ab" * 32, status="sent")
    Client().post(reverse("news:unsubscribe", args=[subscriber.token]))
    delivery = Delivery.objects.get()
    assert delivery.subscriber is None
    assert delivery.address_digest is None
    issue.refresh_from_db()
    assert issue.sent_count == 1


def test_a_persons_erasure_removes_their_subscriptions(ternois):
    user = UserFactory(email="marie@ternois.example")
    SubscriberFactory(territory=ternois, email="marie@ternois.example")
    SubscriberFactory(territory=TerritoryFactory(), email="MARIE@ternois.example", pending=True)
    other = SubscriberFactory(territory=ternois, email="paul@ternois.example")
    user_erase(user=user)
    assert list(Subscriber.objects.values_list("pk", flat=True)) == [other.pk]


def test_the_export_lists_the_subscriptions(ternois):
    user = UserFactory(email="marie@ternois.example")
    SubscriberFactory(territory=ternois, email="marie@ternois.example", consent_text="J'accepte.")
    rows = export_for(user)["lettres"]
    assert len(rows) == 1
    assert rows[0]["territory"] == "Pays du Ternois"
    assert rows[0]["consent_text"] == "J'accepte."
    assert rows[0]["confirmed_at"] is not None


def test_my_space_shows_the_subscription_with_its_unsubscribe_link(client, ternois):
    user = UserFactory(email="marie@ternois.example")
    subscriber = SubscriberFactory(territory=ternois, email="marie@ternois.example")
    client.force_login(user)
    html = client.get(reverse("accounts:profile")).content.decode()
    assert "Lettre de Pays du Ternois" in html
    assert reverse("news:unsubscribe", args=[subscriber.token]) in html


def test_the_same_address_asked_at_the_same_moment_takes_the_row_the_other_request_wrote(ternois, monkeypatch):
    """Two requests for a new address: the second one read no row, then its creation meets the unique constraint
    (the first one wrote the row meanwhile) and it takes that row instead of failing."""
    from django.db.models import QuerySet

    SubscriberFactory(territory=ternois, email="meme@adresse.example")  # the other request's row, confirmed
    real_first, reads = QuerySet.first, []

    def first_read_sees_nothing(queryset):
        reads.append(queryset.model)
        return None if len(reads) == 1 else real_first(queryset)

    monkeypatch.setattr(QuerySet, "first", first_read_sees_nothing)
    subscriber = subscription_request(territory=ternois, email="Meme@Adresse.example")
    assert (subscriber.email, Subscriber.objects.filter(territory=ternois).count()) == ("meme@adresse.example", 1)
    assert subscriber.confirmed_at is not None  # the other request's row, left as it is
