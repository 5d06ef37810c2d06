"""The membership's demo on a directory built by factories: the club, its charter versions, 22 active members (18
founders), the lapsed one, the sponsored candidate, the accounts; a second run changes nothing."""

import pytest
from django.core import mail
from django.utils import timezone

from essaim.club.demo.membership import load_demo_membership
from essaim.club.enums import ClubStatus, MemberStatus
from essaim.club.models import CharterAcceptance, Member, MemberPerson
from essaim.club.services.membership import claimed_structures
from essaim.directory.models import Structure
from tests.accounts.factories import UserFactory
from tests.directory.factories import StructureFactory, territory_with_commune

pytestmark = pytest.mark.django_db


@pytest.fixture
def territory_with_structures():
    territory, commune = territory_with_commune()
    territory.slug = "bethune-bruay"
    territory.save()
    StructureFactory(commune=commune, slug="maison-de-la-poesie", name="Maison de la poésie")
    StructureFactory(commune=commune, slug="l-effet-deco", name="L'Effet déco")
    for n in range(26):
        StructureFactory(commune=commune, name=f"Structure {n:02d}")
    UserFactory(email="structure@essaim.example")
    return territory


def _snapshot():
    return sorted(Member.objects.values_list("structure_id", "status", "expires_on", "founder", "updated_at"))


def test_the_demo_builds_the_club_of_seed_004_and_a_second_run_changes_nothing(territory_with_structures):
    today = timezone.localdate()
    result = load_demo_membership(territories={"cabbalr": territory_with_structures}, today=today)
    club = result["club"]
    assert result["members"] == 22
    assert club.status == ClubStatus.ASSOCIATION
    assert club.rna.startswith("W")
    assert list(club.charter_versions.order_by("number").values_list("number", flat=True)) == [1, 2]
    active = Member.objects.filter(club=club, status=MemberStatus.ACTIVE)
    assert active.count() == 22
    assert active.filter(founder=True).count() == 18
    assert active.filter(structure__slug="maison-de-la-poesie", founder=True).count() == 1
    assert Member.objects.filter(club=club, status=MemberStatus.LAPSED).count() == 1
    candidate = Member.objects.get(club=club, status=MemberStatus.CANDIDATE)
    assert candidate.sponsor.structure.slug == "maison-de-la-poesie"
    assert active.exclude(charter_acceptances__version__number=2).count() == 3
    soon = active.filter(expires_on__lte=today + timezone.timedelta(days=30)).count()
    assert soon == 3
    assert club.bureau.count() == 4
    emails = [email for email, _ in result["accounts"]]
    assert "animation.club@essaim.example" in emails
    assert "candidat.club@essaim.example" in emails
    assert MemberPerson.objects.filter(user__email="structure@essaim.example", member__club=club).count() == 1
    applicant = UserFactory._meta.model.objects.get(email="candidat.club@essaim.example")
    joinable = claimed_structures(applicant, club).exclude(club_memberships__club=club)
    assert joinable.count() == 1
    assert len(mail.outbox) == 0

    before = (_snapshot(), CharterAcceptance.objects.count(), MemberPerson.objects.count(), Structure.objects.count())
    again = load_demo_membership(territories={"cabbalr": territory_with_structures}, today=today)
    after = (_snapshot(), CharterAcceptance.objects.count(), MemberPerson.objects.count(), Structure.objects.count())
    assert again["club"].pk == club.pk
    assert after == before


def test_the_demo_never_breaks_on_a_small_directory():
    territory, commune = territory_with_commune()
    for _ in range(5):
        StructureFactory(commune=commune)
    result = load_demo_membership(territories={"cabbalr": territory}, today=timezone.localdate())
    assert result["members"] == 5
