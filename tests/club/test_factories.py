"""The shared factories build consistent rows (every part's tests rely on them)."""

import pytest

from essaim.club import perms
from essaim.club.enums import MemberStatus
from tests.club.factories import (
    AnswerPartnerFactory,
    CharterAcceptanceFactory,
    JointAnswerFactory,
    ListingFactory,
    MeetingFactory,
    PracticeSheetFactory,
    SharedItemFactory,
    facilitator,
    member_user,
)

pytestmark = pytest.mark.django_db


def test_the_factories_build_one_club_per_chain():
    user, member = member_user()
    club = member.club
    assert perms.is_member(user, club) and perms.acts_for(user, member)
    assert ListingFactory(member=member).club == club
    assert SharedItemFactory(owner=member).club == club
    assert MeetingFactory(club=club).event.members_only
    assert PracticeSheetFactory(member=member).club == club
    assert CharterAcceptanceFactory(member=member).version.club == club
    answer = JointAnswerFactory(call__club=club, lead=member)
    assert list(answer.partners.values_list("member_id", flat=True)) == [member.pk]
    assert AnswerPartnerFactory(answer=answer).member.club == club
    assert perms.can_see_answer(user, answer)


def test_a_candidate_is_not_a_member_and_a_facilitator_enters_without_a_structure():
    user, member = member_user(status=MemberStatus.CANDIDATE)
    assert not perms.is_member(user, member.club) and not perms.can_enter(user, member.club)
    helper = facilitator(member.club)
    assert perms.can_enter(helper, member.club) and not perms.can_administer(helper, member.club)
