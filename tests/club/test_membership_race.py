"""Membership under concurrent requests, on SQLite (a file database, IMMEDIATE transactions) and PostgreSQL.

- Two people of a member removing each other at the same moment never leave the structure without anybody: the
  member's row is locked (``essaim.club.services.membership.member_person_remove``, listed in tests/test_guards.py's
  ``GUARDS``). Proven by tests/test_guards.py: with ``ESSAIM_TEST_GUARDS=off`` (``select_for_update`` a no-op,
  SQLite DEFERRED) both removals count two people and both delete, or SQLite's own lock breaks one: the test fails.
- Two facilitators deciding one candidacy at the same moment (approve and refuse) decide it once: a conditional
  UPDATE from the candidate state, which no setting removes (not a lock: not in test_guards.py).
- Two people applying for one structure at the same moment make one candidacy: the unique (club, structure)
  constraint."""

import time

import pytest
from django.core.exceptions import ValidationError

from essaim.club.enums import MemberStatus
from essaim.club.models import Member, MemberPerson
from essaim.club.services import membership as services
from tests.accounts.factories import UserFactory
from tests.club.factories import MemberPersonFactory, facilitator, member_user
from tests.club.factories_membership import club_with_territory
from tests.directory.factories import StructureClaimFactory, StructureFactory
from tests.races import run_together


def outcome(result):
    if isinstance(result, ValidationError):
        return "refused"
    if isinstance(result, Exception):
        return f"error: {result!r}"
    return "done"


@pytest.fixture
def slow_count(monkeypatch):
    """Widens the window between counting the people and deleting one."""
    original = services._people_count

    def count(member_id):
        found = original(member_id)
        time.sleep(0.3)
        return found

    monkeypatch.setattr(services, "_people_count", count)


@pytest.mark.django_db(transaction=True)
def test_two_people_removing_each_other_at_once_leave_one(slow_count):
    _, member = member_user()
    other = MemberPersonFactory(member=member)
    people = list(MemberPerson.objects.filter(member=member))
    assert other in people
    results = run_together(*(lambda p=p: services.member_person_remove(person=p) for p in people))
    assert sorted(outcome(r) for r in results) == ["done", "refused"]
    assert MemberPerson.objects.filter(member=member).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_facilitators_deciding_one_candidacy_at_once_decide_it_once():
    club, _ = club_with_territory()
    _, candidate = member_user(club, status=MemberStatus.CANDIDATE, joined_on=None, expires_on=None)
    first, second = facilitator(club), facilitator(club)
    results = run_together(
        lambda: services.member_approve(member=Member.objects.get(pk=candidate.pk), by=first),
        lambda: services.member_refuse(member=Member.objects.get(pk=candidate.pk), by=second, reason="Non."),
    )
    assert sorted(outcome(r) for r in results) == ["done", "refused"]
    candidate.refresh_from_db()
    assert candidate.status in (MemberStatus.ACTIVE, MemberStatus.REFUSED)
    assert (candidate.status == MemberStatus.ACTIVE) == (candidate.joined_on is not None)


@pytest.mark.django_db(transaction=True)
def test_two_people_applying_for_one_structure_at_once_make_one_candidacy():
    club, commune = club_with_territory()
    structure = StructureFactory(commune=commune)
    users = [UserFactory(), UserFactory()]
    for user in users:
        StructureClaimFactory(structure=structure, user=user, status="approved")
    results = run_together(
        *(
            lambda u=u: services.member_apply(club=club, structure=structure, user=u, accept_charter=True)
            for u in users
        )
    )
    assert sorted(outcome(r) for r in results) == ["done", "refused"]
    assert Member.objects.filter(club=club, structure=structure).count() == 1
