"""The calls for projects: the public list (open calls by deadline, then past ones), a call's page (« Répondre
ensemble » and the person's own joint answers for a member, nothing of the others'), the facilitators' form, and the
notice of a new call to the members whose sectors it meets — once."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from essaim.club.enums import MemberStatus
from essaim.club.models import Call
from essaim.club.tasks.calls import send_call_notice
from tests.accounts.factories import UserFactory
from tests.club.factories import CallFactory, ClubFactory, facilitator, member_user
from tests.club.factories_calls import consortium
from tests.directory.factories import SectorFactory

pytestmark = pytest.mark.django_db


def test_the_list_shows_open_calls_by_deadline_then_past_ones(client):
    club = ClubFactory()
    today = timezone.localdate()
    late = CallFactory(club=club, title="Dans deux mois", deadline=today + datetime.timedelta(days=60))
    soon = CallFactory(club=club, title="Dans une semaine", deadline=today + datetime.timedelta(days=7))
    past = CallFactory(club=club, title="Clos", deadline=today - datetime.timedelta(days=7))
    CallFactory(title="Autre club")
    page = client.get(reverse("club:calls", kwargs={"club": club.slug}))
    assert page.status_code == 200
    assert page.context["open_calls"] == [soon, late]
    assert page.context["past_calls"] == [past]
    assert "Autre club" not in page.content.decode()


def test_a_visitor_reads_a_call_but_no_answer_button(client):
    club = ClubFactory()
    call = CallFactory(club=club, amount=Decimal("50000"), url="https://region.example/aap")
    page = client.get(reverse("club:call", kwargs={"club": club.slug, "pk": call.pk}))
    assert page.status_code == 200
    assert page.context["can_answer"] is False
    assert reverse("club:answer_new", kwargs={"club": club.slug, "pk": call.pk}) not in page.content.decode()
    assert "https://region.example/aap" in page.content.decode()


def test_a_member_sees_respond_together_and_only_the_answers_it_takes_part_in(client):
    c = consortium(title="Notre réponse")
    other = consortium(club=c.club, title="Réponse des autres", call=c.answer.call)
    client.force_login(c.partner_user)
    page = client.get(reverse("club:call", kwargs={"club": c.club.slug, "pk": c.answer.call.pk}))
    assert page.context["can_answer"] is True
    assert page.context["my_answers"] == [c.answer]
    assert "Réponse des autres" not in page.content.decode()
    assert other.answer.pk != c.answer.pk


def test_a_call_of_another_club_is_404(client):
    call = CallFactory()
    assert client.get(reverse("club:call", kwargs={"club": ClubFactory().slug, "pk": call.pk})).status_code == 404


def test_only_facilitators_post_calls(client):
    club = ClubFactory()
    url = reverse("club:call_new", kwargs={"club": club.slug})
    member, _ = member_user(club)
    for user in (UserFactory(), member):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"title": "x", "funder": "y", "deadline": "2030-01-01"}).status_code == 404
    assert Call.objects.count() == 0


def test_a_facilitator_publishes_a_call_and_the_matching_members_are_told_once(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    club = ClubFactory()
    reuse = SectorFactory(slug="reemploi", name="Réemploi")
    culture = SectorFactory(slug="culture", name="Culture")
    _, reuse_member = member_user(club)
    reuse_member.structure.sectors.add(reuse)
    _, culture_member = member_user(club)
    culture_member.structure.sectors.add(culture)
    _, lapsed = member_user(club, status=MemberStatus.LAPSED)
    lapsed.structure.sectors.add(reuse)
    client.force_login(facilitator(club))
    deadline = timezone.localdate() + datetime.timedelta(days=30)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("club:call_new", kwargs={"club": club.slug}),
            {
                "title": "Coopérer pour le réemploi",
                "funder": "Région Hauts-de-France",
                "amount": "40000",
                "deadline": deadline.isoformat(),
                "url": "https://region.example/aap",
                "sectors": [reuse.pk],
            },
        )
    call = Call.objects.get()
    assert response.status_code == 302
    assert call.notified_at is not None
    assert [m.to for m in mailoutbox] == [[reuse_member.people.get().user.email]]
    assert "Coopérer pour le réemploi" in mailoutbox[0].subject
    assert reverse("club:call", kwargs={"club": club.slug, "pk": call.pk}) in mailoutbox[0].body
    assert send_call_notice.call(call.pk) == 0
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("club:call_edit", kwargs={"club": club.slug, "pk": call.pk}),
            {"title": "Coopérer (modifié)", "funder": "Région", "deadline": deadline.isoformat()},
        )
    call.refresh_from_db()
    assert call.title == "Coopérer (modifié)"
    assert list(call.sectors.all()) == []
    assert len(mailoutbox) == 1


def test_a_call_without_theme_is_sent_to_every_active_member(mailoutbox, django_capture_on_commit_callbacks):
    from essaim.club.services.calls import call_publish

    club = ClubFactory()
    users = [member_user(club)[0] for _ in range(3)]
    member_user(club, status=MemberStatus.CANDIDATE)
    with django_capture_on_commit_callbacks(execute=True):
        call_publish(
            club=club, by=facilitator(club), title="Fondation", funder="Fondation", deadline=timezone.localdate()
        )
    assert sorted(m.to[0] for m in mailoutbox) == sorted(u.email for u in users)


def test_the_call_form_keeps_what_was_typed(client):
    club = ClubFactory()
    client.force_login(facilitator(club))
    response = client.post(
        reverse("club:call_new", kwargs={"club": club.slug}), {"title": "Gardé", "funder": "", "amount": "-5"}
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"funder", "amount", "deadline"}
    assert 'value="Gardé"' in response.content.decode()
    assert Call.objects.count() == 0


def test_the_list_and_the_api_cost_the_same_queries_for_one_call_or_ten(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    club = ClubFactory()
    sector = SectorFactory(slug="theme-compte", name="Thème compté")

    def cost(url, params=None):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, params or {}).status_code == 200
        return len(queries)

    CallFactory(club=club).sectors.add(sector)
    page, api = reverse("club:calls", kwargs={"club": club.slug}), "/api/v1/club/calls"
    one = (cost(page), cost(api, {"club": club.slug}))
    for _ in range(9):
        CallFactory(club=club).sectors.add(sector)
    assert (cost(page), cost(api, {"club": club.slug})) == one
