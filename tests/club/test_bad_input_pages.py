"""No input makes a server error on the club's pages for members, facilitators and admins: every form of each page
is posted with each of the values that broke pages once (NUL, dates out of range, ids beyond the database's
integers, text for numbers, very long text). The public pages are fuzzed with the others' in
tests/www/test_fuzz_pages.py; these need a login, so they are listed there as not public."""

import re

import pytest
from django.urls import reverse

from essaim.club.enums import ClubRole
from essaim.club.models import AnswerMessage, BureauSeat
from tests.club.factories import ClubStaffFactory, SharedItemFactory
from tests.club.factories_calls import consortium, task_of
from tests.club.factories_meetings import meeting_with_session
from tests.club.factories_pooling import GroupPurchaseFactory

pytestmark = pytest.mark.django_db

NASTY = ["\x00", "9999-12-31", "0001-01-01", "1" * 40, "-5", "nan", "", "<script>", "é" * 3000]
FORM = re.compile(r'<form[^>]*method="post"[^>]*>(.*?)</form>', re.S)


def forms_of(html):
    """Each POST form of a page: its field names and its hidden ``action``, if any."""
    found = []
    for form in FORM.findall(html):
        names = set(re.findall(r'name="([^"]+)"', form)) - {"csrfmiddlewaretoken", "action"}
        action = re.search(r'name="action" value="([^"]+)"', form)
        found.append((names, action.group(1) if action else None))
    return found


def assert_no_server_error(client, urls):
    posted = 0
    for url in urls:
        page = client.get(url)
        assert page.status_code == 200, (url, page.status_code)
        for names, action in forms_of(page.content.decode()):
            for value in NASTY:
                data = dict.fromkeys(names, value)
                if action:
                    data["action"] = action
                response = client.post(url, data)
                assert response.status_code < 500, (url, action, value[:20], response.status_code)
                posted += 1
    return posted


def test_the_members_facilitators_and_admins_pages_answer_any_input_without_a_server_error(client):
    world = consortium()
    club, member = world.club, world.lead
    task_of(world.answer)
    AnswerMessage.objects.create(answer=world.answer, author=None, body="Écrit par un compte supprimé depuis.")
    item = SharedItemFactory(owner=member)
    purchase = GroupPurchaseFactory(proposer=member)
    meeting = meeting_with_session(club, days=-3)
    slug = club.slug
    client.force_login(world.lead_user)
    posted = assert_no_server_error(
        client,
        [
            reverse("club:profile", args=[slug, member.pk]),
            reverse("club:item", args=[slug, item.pk]),
            reverse("club:items", args=[slug]),
            reverse("club:purchase", args=[slug, purchase.pk]),
            reverse("club:purchases", args=[slug]),
            reverse("club:listing_new", args=[slug]),
            reverse("club:subscriptions", args=[slug]),
            reverse("club:practice_new", args=[slug]),
            reverse("club:sponsor", args=[slug]),
            reverse("club:answer", args=[slug, world.answer.pk]),
            reverse("club:meeting", args=[slug, meeting.pk]),
        ],
    )
    admin = ClubStaffFactory(club=club, role=ClubRole.ADMIN).user
    BureauSeat.objects.create(club=club, role="president", person_name="Présidente fictive")
    client.force_login(admin)
    posted += assert_no_server_error(
        client,
        [
            reverse("club:manage", args=[slug]),
            reverse("club:settings", args=[slug]),
            reverse("club:charter_new", args=[slug]),
            reverse("club:meeting_new", args=[slug]),
            reverse("club:meeting_edit", args=[slug, meeting.pk]),
            reverse("club:meeting_minutes", args=[slug, meeting.pk]),
            reverse("club:call_new", args=[slug]),
        ],
    )
    assert posted > 150  # the pages' forms were found and posted, not skipped
