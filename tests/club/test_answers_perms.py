"""Who sees a joint answer's workspace: its accepted partners; the facilitators only when the lead allows; an invited
member sees the invitation only; a non-member, a member who is not a partner, a partner of another answer, get 404 on
every page and document of it. Only the lead invites, splits the budget and records the outcome."""

import pytest
from django.urls import reverse

from essaim.club.enums import AnswerStatus, PartnerStatus
from essaim.club.models import AnswerPartner, JointAnswer
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.club.factories import facilitator
from tests.club.factories_calls import consortium, document_of, task_of

pytestmark = pytest.mark.django_db


def _urls(c, document, task):
    slug, pk = c.club.slug, c.answer.pk
    lead_partner = AnswerPartner.objects.get(answer=c.answer, member=c.lead)
    gets = [
        reverse("club:answer", kwargs={"club": slug, "pk": pk}),
        reverse("club:answer_settings", kwargs={"club": slug, "pk": pk}),
        reverse("club:answer_document", kwargs={"club": slug, "pk": pk, "document": document.pk}),
    ]
    posts = [
        reverse("club:answer_invite", kwargs={"club": slug, "pk": pk}),
        reverse("club:answer_partner", kwargs={"club": slug, "pk": pk, "partner": lead_partner.pk}),
        reverse("club:answer_task_new", kwargs={"club": slug, "pk": pk}),
        reverse("club:answer_task", kwargs={"club": slug, "pk": pk, "task": task.pk}),
        reverse("club:answer_message", kwargs={"club": slug, "pk": pk}),
        reverse("club:answer_document_new", kwargs={"club": slug, "pk": pk}),
        reverse("club:answer_outcome", kwargs={"club": slug, "pk": pk}),
        reverse("club:answer_application", kwargs={"club": slug, "pk": pk}),
    ]
    return gets, posts


@pytest.fixture
def setup():
    c = consortium(title="Tiers-lieu partagé")
    return c, document_of(c.answer, c.lead_user), task_of(c.answer)


def _all_404(client, user, c, document, task):
    client.force_login(user)
    gets, posts = _urls(c, document, task)
    statuses = [client.get(url).status_code for url in gets] + [
        client.post(url, {"title": "x", "body": "x", "status": "submitted", "decision": "accept"}).status_code
        for url in posts
    ]
    return statuses


def test_a_non_member_gets_404_on_every_page_and_document_of_a_workspace(client, setup):
    c, document, task = setup
    statuses = _all_404(client, UserFactory(), c, document, task)
    assert statuses == [404] * 11
    assert c.answer.messages.count() == 0
    assert c.answer.tasks.count() == 1


def test_a_member_who_is_not_a_partner_gets_404_everywhere(client, setup):
    c, document, task = setup
    assert _all_404(client, c.outsider_user, c, document, task) == [404] * 11
    reply = reverse("club:answer_reply", kwargs={"club": c.club.slug, "pk": c.answer.pk})
    assert client.post(reply, {"decision": "accept"}).status_code == 404
    assert c.answer.partners.count() == 3


def test_a_partner_of_another_answer_never_sees_this_one(client, setup):
    c, document, task = setup
    other = consortium(club=c.club)
    assert _all_404(client, other.partner_user, c, document, task) == [404] * 11
    assert _all_404(client, other.lead_user, c, document, task) == [404] * 11


def test_an_answer_typed_under_another_club_is_404_even_for_its_partner(client, setup):
    c, _, _ = setup
    elsewhere = consortium()
    client.force_login(c.partner_user)
    url = reverse("club:answer", kwargs={"club": elsewhere.club.slug, "pk": c.answer.pk})
    assert client.get(url).status_code == 404


def test_an_invited_partner_sees_the_invitation_only(client, setup):
    c, document, task = setup
    client.force_login(c.invited_user)
    page = client.get(reverse("club:answer", kwargs={"club": c.club.slug, "pk": c.answer.pk}))
    assert page.status_code == 200
    assert [t.name for t in page.templates][0] == "club/calls/invitation.html"
    assert "Rédiger le budget" not in page.content.decode()
    gets, posts = _urls(c, document, task)
    assert [client.get(url).status_code for url in gets[1:]] == [404, 404]
    assert [client.post(url, {"body": "x"}).status_code for url in posts] == [404] * 8


def test_facilitators_see_the_workspace_only_when_the_lead_allows_and_never_write(client, setup):
    c, document, task = setup
    staff = facilitator(c.club)
    assert _all_404(client, staff, c, document, task) == [404] * 11
    JointAnswer.objects.filter(pk=c.answer.pk).update(facilitators_can_see=True)
    client.force_login(staff)
    gets, posts = _urls(c, document, task)
    assert client.get(gets[0]).status_code == 200
    assert client.get(gets[2]).status_code == 200
    assert client.get(gets[1]).status_code == 404
    assert [client.post(url, {"body": "x", "title": "x"}).status_code for url in posts] == [404] * 8
    assert c.answer.messages.count() == 0


def test_the_territory_officer_is_a_facilitator_and_needs_the_leads_leave_too(client, setup):
    c, document, task = setup
    officer = MembershipFactory(territory=c.club.territory).user
    client.force_login(officer)
    url = reverse("club:answer", kwargs={"club": c.club.slug, "pk": c.answer.pk})
    assert client.get(url).status_code == 404
    JointAnswer.objects.filter(pk=c.answer.pk).update(facilitators_can_see=True)
    assert client.get(url).status_code == 200


def test_a_partner_works_in_the_workspace_but_only_the_lead_invites_splits_and_records(client, setup):
    c, document, task = setup
    client.force_login(c.partner_user)
    gets, posts = _urls(c, document, task)
    assert client.get(gets[0]).status_code == 200
    assert client.get(gets[2]).status_code == 200
    lead_only = [posts[0], posts[1], posts[6], posts[7], gets[1]]
    assert [
        client.post(url, {"member": c.outsider_user.pk, "status": "submitted"}).status_code for url in lead_only
    ] == [404] * 5
    c.answer.refresh_from_db()
    assert c.answer.status == AnswerStatus.PREPARING
    assert c.answer.partners.filter(status=PartnerStatus.INVITED).count() == 1
    response = client.post(posts[4], {"body": "Je prends le budget."})
    assert response.status_code == 302
    assert c.answer.messages.count() == 1


def test_anonymous_people_are_sent_to_log_in(client, setup):
    c, _, _ = setup
    response = client.get(reverse("club:answer", kwargs={"club": c.club.slug, "pk": c.answer.pk}))
    assert response.status_code == 302
    assert "/compte/connexion/" in response["Location"]
