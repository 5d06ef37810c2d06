"""The calls' demo on a club built by factories: an open call with a joint answer in progress (lead, two accepted
partners, one invited, tasks with one late, a budget split, messages, a PDF), a past call with a won answer linked to
the grants demo's application when it exists; a second run changes nothing; no mail."""

import datetime

import pytest
from django.utils import timezone

from essaim.club.demo.calls import WON_TITLE, load_demo_calls
from essaim.club.enums import AnswerStatus, PartnerStatus
from essaim.club.models import AnswerDocument, AnswerMessage, AnswerPartner, AnswerTask, Call, JointAnswer
from essaim.grants.enums import DevelopmentCase, GrantForm
from essaim.grants.services.applicant import application_create
from tests.accounts.factories import UserFactory
from tests.club.factories import ClubFactory, member_user
from tests.grants.factories import SchemeFactory

pytestmark = pytest.mark.django_db


def _counts():
    return [m.objects.count() for m in (Call, JointAnswer, AnswerPartner, AnswerTask, AnswerMessage, AnswerDocument)]


def test_the_demo_builds_an_answer_in_progress_and_a_won_one_and_runs_twice(mailoutbox):
    club = ClubFactory()
    for _ in range(10):
        member_user(club)
    today = timezone.localdate()
    assert load_demo_calls(club=club, today=today) == {"answers": 2}
    first = _counts()
    assert load_demo_calls(club=club, today=today) == {"answers": 2}
    assert _counts() == first
    assert first == [2, 2, 6, 5, 3, 1]
    open_call = Call.objects.get(deadline__gte=today)
    assert open_call.deadline == today + datetime.timedelta(days=24)
    assert open_call.notified_at is not None
    answer = JointAnswer.objects.get(call=open_call)
    statuses = sorted(answer.partners.values_list("status", flat=True))
    assert statuses == sorted([PartnerStatus.ACCEPTED] * 3 + [PartnerStatus.INVITED])
    late = [t for t in answer.tasks.all() if t.done_at is None and t.due_on < today]
    assert len(late) == 1
    assert answer.tasks.filter(done_at__isnull=False).count() == 2
    assert all(t.owner is not None for t in answer.tasks.all())
    won = JointAnswer.objects.get(title=WON_TITLE)
    assert (won.status, won.grant_application) == (AnswerStatus.WON, None)
    assert mailoutbox == []


def test_the_won_answer_is_linked_to_the_grants_demo_application_when_it_exists():
    club = ClubFactory()
    users = [member_user(club) for _ in range(4)]
    scheme = SchemeFactory(territory=club.territory)
    application = application_create(
        scheme=scheme, applicant=UserFactory(), form=GrantForm.DEVELOPMENT, development_case=DevelopmentCase.POOLING
    )
    application.project_title = WON_TITLE
    application.structure = users[2][1].structure
    application.save()
    load_demo_calls(club=club, today=timezone.localdate())
    won = JointAnswer.objects.get(title=WON_TITLE)
    assert won.grant_application == application
    assert won.lead == users[2][1]


def test_the_demo_needs_two_members_and_says_it_made_nothing_otherwise():
    club = ClubFactory()
    member_user(club)
    assert load_demo_calls(club=club, today=timezone.localdate()) == {"answers": 0}
    assert Call.objects.count() == 0
