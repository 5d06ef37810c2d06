"""The membership's services: joining (with the charter and a sponsor), the facilitators' decision, renewal and
the daily run, charter versions, the member's profile and people, the club's settings and staff."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from essaim.club.enums import ClubRole, ClubStatus, MemberStatus
from essaim.club.models import CharterAcceptance, Member, MemberPerson, Renewal, Skill
from essaim.club.services import membership as services
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.club.factories import (
    ClubStaffFactory,
    MemberFactory,
    MemberPersonFactory,
    SkillFactory,
    facilitator,
    member_user,
)
from tests.club.factories_membership import claimant, club_with_territory, structure_in
from tests.directory.factories import StructureClaimFactory, StructureFactory

pytestmark = pytest.mark.django_db


def test_a_person_who_manages_a_structure_applies_with_a_sponsor_and_facilitators_and_sponsor_are_told(
    django_capture_on_commit_callbacks,
):
    club, commune = club_with_territory()
    helper = facilitator(club)
    sponsor_user, sponsor = member_user(club)
    user, structure = claimant(commune)
    with django_capture_on_commit_callbacks(execute=True):
        member = services.member_apply(
            club=club, structure=structure, user=user, motivation="Coopérer.", sponsor=sponsor, accept_charter=True
        )
    assert member.status == MemberStatus.CANDIDATE
    assert member.sponsor == sponsor
    assert list(member.people.values_list("user_id", flat=True)) == [user.pk]
    assert list(member.charter_acceptances.values_list("version__number", flat=True)) == [1]
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([helper.email, sponsor_user.email])


def test_applying_needs_the_charter_accepted_and_a_claimed_structure_of_the_territory():
    club, commune = club_with_territory()
    user, structure = claimant(commune)
    with pytest.raises(ValidationError, match="acceptez la charte"):
        services.member_apply(club=club, structure=structure, user=user, accept_charter=False)
    elsewhere = StructureFactory()  # a commune outside the territory
    StructureClaimFactory(structure=elsewhere, user=user, status="approved")
    with pytest.raises(ValidationError, match="Vous ne gérez pas"):
        services.member_apply(club=club, structure=elsewhere, user=user, accept_charter=True)
    unclaimed = structure_in(commune)
    with pytest.raises(ValidationError, match="Vous ne gérez pas"):
        services.member_apply(club=club, structure=unclaimed, user=user, accept_charter=True)
    assert Member.objects.count() == 0


def test_a_structure_already_candidate_or_member_cannot_apply_again_but_a_refused_one_can():
    club, commune = club_with_territory()
    user, structure = claimant(commune)
    member = services.member_apply(club=club, structure=structure, user=user, accept_charter=True)
    with pytest.raises(ValidationError, match="déjà une candidature"):
        services.member_apply(club=club, structure=structure, user=user, accept_charter=True)
    services.member_refuse(member=member, by=facilitator(club), reason="Hors du champ de l'ESS.")
    again = services.member_apply(club=club, structure=structure, user=user, accept_charter=True)
    assert again.pk == member.pk
    assert again.status == MemberStatus.CANDIDATE
    assert again.refusal_reason == ""


def test_approval_sets_the_dates_from_the_membership_length_and_is_decided_once(django_capture_on_commit_callbacks):
    club, commune = club_with_territory(membership_months=12)
    user, structure = claimant(commune)
    member = services.member_apply(club=club, structure=structure, user=user, accept_charter=True)
    helper = facilitator(club)
    today = datetime.date(2027, 3, 15)
    with django_capture_on_commit_callbacks(execute=True):
        services.member_approve(member=member, by=helper, today=today)
    member.refresh_from_db()
    assert (member.status, member.joined_on, member.expires_on) == (
        MemberStatus.ACTIVE,
        today,
        datetime.date(2028, 3, 15),
    )
    assert [m.to for m in mail.outbox] == [[user.email]]
    assert "Bienvenue" in mail.outbox[0].subject
    with pytest.raises(ValidationError, match="déjà été traitée"):
        services.member_approve(member=member, by=helper, today=today)
    with pytest.raises(ValidationError, match="déjà été traitée"):
        services.member_refuse(member=member, by=helper, reason="Non.")


def test_a_refusal_needs_a_reason_that_is_mailed(django_capture_on_commit_callbacks):
    club, commune = club_with_territory()
    user, structure = claimant(commune)
    member = services.member_apply(club=club, structure=structure, user=user, accept_charter=True)
    with pytest.raises(ValidationError, match="motif"):
        services.member_refuse(member=member, by=facilitator(club), reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        services.member_refuse(member=member, by=facilitator(club), reason="Structure hors du territoire.")
    assert len(mail.outbox) == 1
    assert "Structure hors du territoire." in mail.outbox[0].body


def test_renewal_opens_sixty_days_before_the_end_and_adds_a_year_from_the_expiry():
    today = timezone.localdate()
    user, member = member_user(expires_on=today + datetime.timedelta(days=90))
    with pytest.raises(ValidationError, match="60 jours"):
        services.member_renew(member=member, by=user, today=today)
    member.expires_on = today + datetime.timedelta(days=20)
    member.save()
    renewal = services.member_renew(member=member, by=user, today=today)
    member.refresh_from_db()
    assert member.expires_on == member.next_expiry(today + datetime.timedelta(days=20))  # no day lost
    assert member.expires_on > today + datetime.timedelta(days=360)
    assert renewal.valid_until == member.expires_on
    assert Renewal.objects.filter(member=member).count() == 1


def test_a_lapsed_member_renews_from_today_and_becomes_active_again():
    today = timezone.localdate()
    user, member = member_user(status=MemberStatus.LAPSED, expires_on=today - datetime.timedelta(days=40))
    services.member_renew(member=member, by=user, today=today)
    member.refresh_from_db()
    assert member.status == MemberStatus.ACTIVE
    assert member.expires_on == member.next_expiry(today)


def test_a_second_renewal_read_before_the_first_is_refused():
    today = timezone.localdate()
    user, member = member_user(expires_on=today + datetime.timedelta(days=10))
    stale = Member.objects.get(pk=member.pk)
    services.member_renew(member=member, by=user, today=today)
    with pytest.raises(ValidationError, match="vient d'être renouvelée"):
        services.member_renew(member=stale, by=user, today=today)
    assert Renewal.objects.filter(member=member).count() == 1


def test_the_daily_run_reminds_once_and_lapses_the_expired(django_capture_on_commit_callbacks):
    today = timezone.localdate()
    club, _ = club_with_territory()
    soon = MemberPersonFactory(member=MemberFactory(club=club, expires_on=today + datetime.timedelta(days=25)))
    MemberPersonFactory(member=MemberFactory(club=club, expires_on=today + datetime.timedelta(days=45)))
    gone = MemberFactory(club=club, expires_on=today - datetime.timedelta(days=1))
    first = services.renewals_run(today=today)
    assert first == {"reminded": 1, "lapsed": 1}
    assert [m.to for m in mail.outbox] == [[soon.user.email]]
    gone.refresh_from_db()
    assert gone.status == MemberStatus.LAPSED
    assert services.renewals_run(today=today) == {"reminded": 0, "lapsed": 0}
    assert len(mail.outbox) == 1


def test_a_new_charter_version_is_numbered_by_the_service_and_asks_members_again(
    django_capture_on_commit_callbacks,
):
    club, _ = club_with_territory()
    accepted = MemberPersonFactory(member=MemberFactory(club=club))
    other = MemberPersonFactory(member=MemberFactory(club=club))
    MemberPersonFactory(member=MemberFactory(club=club, status=MemberStatus.CANDIDATE))
    with pytest.raises(ValidationError, match="ce qui change"):
        services.charter_version_create(club=club, text="Texte.", adopted_on=timezone.localdate())
    with django_capture_on_commit_callbacks(execute=True):
        version = services.charter_version_create(
            club=club, text="Texte v2.", adopted_on=timezone.localdate(), summary_of_changes="L'association."
        )
    assert version.number == 2
    assert club.current_charter() == version
    assert sorted(m.to[0] for m in mail.outbox) == sorted([accepted.user.email, other.user.email])
    services.charter_accept(member=accepted.member, version=version, by=accepted.user)
    services.charter_accept(member=accepted.member, version=version, by=accepted.user)
    assert CharterAcceptance.objects.filter(member=accepted.member, version=version).count() == 1


def test_the_profile_takes_skills_from_the_vocabulary_and_new_ones_typed():
    user, member = member_user()
    known = SkillFactory(name="Comptabilité associative", slug="comptabilite-associative")
    services.member_profile_update(
        member=member,
        skills=[known],
        new_skills=["comptabilité associative", "Graphisme"],
        offer_summary="Prêt de salle.",
        show_publicly=False,
        by=user,
    )
    member.refresh_from_db()
    assert sorted(member.skills.values_list("name", flat=True)) == ["Comptabilité associative", "Graphisme"]
    assert Skill.objects.count() == 2
    assert (member.offer_summary, member.show_publicly) == ("Prêt de salle.", False)


def test_a_colleague_is_added_by_email_and_the_last_person_is_never_removed():
    user, member = member_user()
    colleague = UserFactory()
    person = services.member_person_add(member=member, email=colleague.email.upper(), function="Trésorier")
    with pytest.raises(ValidationError, match="déjà"):
        services.member_person_add(member=member, email=colleague.email)
    with pytest.raises(ValidationError, match="Aucun compte"):
        services.member_person_add(member=member, email="personne@inconnue.example")
    services.member_person_remove(person=person)
    last = MemberPerson.objects.get(member=member)
    with pytest.raises(ValidationError, match="au moins une personne"):
        services.member_person_remove(person=last)
    assert MemberPerson.objects.filter(member=member).count() == 1


def test_an_association_needs_a_valid_rna_and_never_goes_back_to_informal():
    club, _ = club_with_territory()
    common = {"name": club.name, "description": "", "email": "", "membership_months": 12}
    with pytest.raises(ValidationError, match="RNA"):
        services.club_update(club=club, status=ClubStatus.ASSOCIATION, rna="", **common)
    with pytest.raises(ValidationError, match="W suivi de 9 chiffres"):
        services.club_update(club=club, status=ClubStatus.ASSOCIATION, rna="W12", **common)
    services.club_update(
        club=club,
        status=ClubStatus.ASSOCIATION,
        rna="w623000417",
        association_since=datetime.date(2026, 1, 5),
        **common,
    )
    club.refresh_from_db()
    assert (club.status, club.rna) == (ClubStatus.ASSOCIATION, "W623000417")
    with pytest.raises(ValidationError, match="ne redevient pas"):
        services.club_update(club=club, status=ClubStatus.INFORMAL, **common)


def test_a_facilitator_is_a_member_s_person_or_an_officer_of_the_territory():
    club, _ = club_with_territory()
    person, _ = member_user(club)
    officer = MembershipFactory(territory=club.territory).user
    stranger = UserFactory()
    assert services.staff_add(club=club, email=person.email).role == ClubRole.FACILITATOR
    assert services.staff_add(club=club, email=officer.email, role=ClubRole.ADMIN).role == ClubRole.ADMIN
    with pytest.raises(ValidationError, match="Seule une personne"):
        services.staff_add(club=club, email=stranger.email)
    assert club.staff.count() == 2


def test_a_bureau_exists_only_for_an_association():
    club, _ = club_with_territory()
    with pytest.raises(ValidationError, match="association"):
        services.bureau_seat_set(club=club, role="president", person_name="Anne Wallart")
    club.status, club.rna = ClubStatus.ASSOCIATION, "W623000417"
    club.save()
    services.bureau_seat_set(club=club, role="president", person_name="Anne Wallart")
    services.bureau_seat_set(club=club, role="president", person_name="Paul Wallart")
    assert list(club.bureau.values_list("person_name", flat=True)) == ["Paul Wallart"]


def test_a_sponsor_invitation_mails_the_join_link_with_the_sponsor(django_capture_on_commit_callbacks):
    club, commune = club_with_territory()
    user, sponsor = member_user(club)
    structure = structure_in(commune)
    with django_capture_on_commit_callbacks(execute=True):
        services.sponsor_invite(sponsor=sponsor, structure=structure, email="contact@asso.example", by=user)
    assert [m.to for m in mail.outbox] == [["contact@asso.example"]]
    assert f"parrain={sponsor.pk}" in mail.outbox[0].body
    assert f"structure={structure.slug}" in mail.outbox[0].body
    with pytest.raises(ValidationError, match="déjà membre"):
        services.sponsor_invite(sponsor=sponsor, structure=sponsor.structure, email="x@asso.example", by=user)


def test_the_club_staff_of_a_club_is_not_an_admin_of_it():
    club, _ = club_with_territory()
    staff = ClubStaffFactory(club=club)
    from essaim.club import perms

    assert perms.can_facilitate(staff.user, club)
    assert not perms.can_administer(staff.user, club)


def test_the_club_renewals_command_reports_what_it_did():
    from io import StringIO

    from django.core.management import call_command

    today = timezone.localdate()
    MemberPersonFactory(member=MemberFactory(expires_on=today + datetime.timedelta(days=5)))
    MemberFactory(expires_on=today - datetime.timedelta(days=3))
    out = StringIO()
    call_command("club_renewals", stdout=out)
    assert "1 rappel(s) de renouvellement envoyé(s), 1 adhésion(s) passée(s) à renouveler." in out.getvalue()
    out = StringIO()
    call_command("club_renewals", stdout=out)
    assert "0 rappel(s) de renouvellement envoyé(s), 0 adhésion(s)" in out.getvalue()
