"""The membership's pages: public pages show only members who agreed to appear; joining, the members' space, the
profile, renewal, sponsoring; the facilitators' approvals and export; the admins' settings and charter; creating a
club."""

import csv
import datetime
import io

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from essaim.club.enums import ClubRole, ClubStatus, MemberStatus, PracticeStatus
from essaim.club.models import Club, ClubStaff, Member
from tests.accounts.factories import MembershipFactory
from tests.agenda.factories import SessionFactory
from tests.club.factories import (
    CharterAcceptanceFactory,
    CharterVersionFactory,
    ClubStaffFactory,
    MeetingFactory,
    MemberFactory,
    PracticeSheetFactory,
    SkillFactory,
    facilitator,
    member_user,
)
from tests.club.factories_membership import claimant, club_with_territory, structure_in
from tests.directory.factories import SectorFactory

pytestmark = pytest.mark.django_db


def test_the_club_page_shows_appearing_members_status_charter_and_next_meeting(client):
    club, commune = club_with_territory(status=ClubStatus.ASSOCIATION, rna="W623000417")
    shown = MemberFactory(club=club, structure__name="Maison de la poésie", founder=True)
    MemberFactory(club=club, structure__name="Discrète", show_publicly=False)
    MemberFactory(club=club, structure__name="Candidate", status=MemberStatus.CANDIDATE)
    meeting = MeetingFactory(club=club, theme="Aide au recrutement")
    SessionFactory(event=meeting.event, start=timezone.now() + datetime.timedelta(days=20))
    response = client.get(reverse("club:club", args=[club.slug]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "W623000417" in page
    assert shown.structure.name in page
    assert "Discrète" not in page
    assert "Candidate" not in page
    assert "Aide au recrutement" in page
    assert response.context["active_count"] == 2
    assert [m.pk for m in response.context["members"]] == [shown.pk]
    assert reverse("club:join", args=[club.slug]) in page


def test_the_members_page_and_the_api_hide_who_chose_not_to_appear(client):
    club, _ = club_with_territory()
    visible = MemberFactory(club=club)
    MemberFactory(club=club, show_publicly=False)
    MemberFactory(club=club, status=MemberStatus.LAPSED)
    response = client.get(reverse("club:members", args=[club.slug]))
    assert [m.pk for m in response.context["members"]] == [visible.pk]


def test_the_skills_directory_filters_by_skill_sector_commune_and_text(client):
    club, commune = club_with_territory()
    compta = SkillFactory(name="Comptabilité", slug="comptabilite")
    graph = SkillFactory(name="Graphisme", slug="graphisme")
    culture = SectorFactory(slug="culture", name="Culture")
    a = MemberFactory(club=club, structure=structure_in(commune, name="Atelier A"), offer_summary="Prêt de salle")
    a.skills.add(compta)
    a.structure.sectors.add(culture)
    b = MemberFactory(club=club, structure__name="Bureau B")
    b.skills.add(graph)
    url = reverse("club:skills", args=[club.slug])
    assert [m.pk for m in client.get(url, {"skill": compta.pk}).context["members"]] == [a.pk]
    assert [m.pk for m in client.get(url, {"sector": culture.pk}).context["members"]] == [a.pk]
    assert [m.pk for m in client.get(url, {"commune": commune.pk}).context["members"]] == [a.pk]
    assert [m.pk for m in client.get(url, {"q": "graph"}).context["members"]] == [b.pk]
    assert [m.pk for m in client.get(url, {"q": "salle"}).context["members"]] == [a.pk]
    assert len(client.get(url).context["members"]) == 2
    assert client.get(url, {"skill": "999999"}).status_code == 400


def test_the_charter_page_shows_the_current_version_and_the_history(client):
    club, _ = club_with_territory()
    CharterVersionFactory(club=club, number=2, text="Texte deux.", summary_of_changes="Devenir une association.")
    response = client.get(reverse("club:charter", args=[club.slug]))
    assert response.context["current_version"].number == 2
    assert [v.number for v in response.context["history"]] == [1]
    assert "Devenir une association." in response.content.decode()


def test_the_index_lists_the_clubs_by_territory(client):
    club, _ = club_with_territory()
    other, _ = club_with_territory()
    response = client.get(reverse("club:index"))
    assert response.status_code == 200
    names = [c.pk for _, clubs in response.context["groups"] for c in clubs]
    assert sorted(names) == sorted([club.pk, other.pk])


def test_join_without_a_managed_structure_explains_how_to_claim_one(client):
    club, commune = club_with_territory()
    user, _ = member_user()  # a person of another club
    client.force_login(user)
    response = client.get(reverse("club:join", args=[club.slug]))
    assert response.status_code == 200
    assert response.context["form"] is None
    assert reverse("directory:list") in response.content.decode()


def test_joining_prefills_the_sponsor_and_creates_a_candidacy(client, django_capture_on_commit_callbacks):
    club, commune = club_with_territory()
    facilitator(club)
    _, sponsor = member_user(club)
    user, structure = claimant(commune)
    client.force_login(user)
    url = reverse("club:join", args=[club.slug])
    response = client.get(url, {"structure": structure.slug, "parrain": sponsor.pk})
    assert response.context["form"].initial == {"structure": structure.pk, "sponsor": sponsor.pk}
    refused = client.post(url, {"structure": structure.pk, "sponsor": sponsor.pk})
    assert refused.status_code == 400
    assert "acceptez la charte" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            url, {"structure": structure.pk, "sponsor": sponsor.pk, "motivation": "Coopérer", "accept_charter": "on"}
        )
    assert done.status_code == 302
    member = Member.objects.get(club=club, structure=structure)
    assert (member.status, member.sponsor_id) == (MemberStatus.CANDIDATE, sponsor.pk)
    assert len(mail.outbox) == 2
    space = client.get(reverse("club:space", args=[club.slug]))
    assert space.status_code == 200
    assert [m.pk for m in space.context["mine"]] == [member.pk]


def test_the_space_shows_the_charter_banner_and_renewal_to_the_member(client):
    club, _ = club_with_territory()
    today = timezone.localdate()
    user, member = member_user(club, expires_on=today + datetime.timedelta(days=20))
    CharterVersionFactory(club=club, number=2)
    client.force_login(user)
    response = client.get(reverse("club:space", args=[club.slug]))
    assert [m.pk for m in response.context["to_accept"]] == [member.pk]
    assert reverse("club:renew", args=[club.slug, member.pk]) in response.content.decode()
    client.post(reverse("club:charter_accept", args=[club.slug]), {"member": member.pk})
    assert member.charter_acceptances.filter(version__number=2).count() == 1
    assert client.get(reverse("club:space", args=[club.slug])).context["to_accept"] == []
    client.post(reverse("club:renew", args=[club.slug, member.pk]))
    member.refresh_from_db()
    assert member.expires_on == member.next_expiry(today + datetime.timedelta(days=20))


def test_the_profile_saves_skills_and_people(client):
    club, _ = club_with_territory()
    user, member = member_user(club)
    colleague = member_user()[0]
    client.force_login(user)
    url = reverse("club:profile", args=[club.slug, member.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"action": "profile", "new_skills": "Graphisme, Comptabilité", "offer_summary": "Salle"})
    member.refresh_from_db()
    assert sorted(member.skills.values_list("name", flat=True)) == ["Comptabilité", "Graphisme"]
    assert member.show_publicly is False
    client.post(url, {"action": "add_person", "person-email": colleague.email})
    assert member.people.count() == 2
    bad = client.post(url, {"action": "add_person", "person-email": "nobody@nowhere.example"})
    assert bad.status_code == 400
    person = member.people.get(user=colleague)
    client.post(url, {"action": "remove_person", "person": person.pk})
    assert member.people.count() == 1


def test_sponsoring_searches_the_territory_and_mails_the_contact(client, django_capture_on_commit_callbacks):
    club, commune = club_with_territory()
    user, member = member_user(club)
    target = structure_in(commune, name="Ressourcerie du Béthunois")
    structure_in(commune, name="Autre chose")
    client.force_login(user)
    url = reverse("club:sponsor", args=[club.slug])
    response = client.get(url, {"q": "ressourcerie"})
    assert [s.pk for s in response.context["results"]] == [target.pk]
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {"structure": target.pk, "email": "contact@ressourcerie.example"})
    assert done.status_code == 302
    assert [m.to for m in mail.outbox] == [["contact@ressourcerie.example"]]


def test_a_facilitator_approves_a_candidate_and_exports_the_members(client):
    club, commune = club_with_territory()
    helper = facilitator(club)
    active = MemberFactory(club=club)
    CharterAcceptanceFactory(member=active, version=club.current_charter())
    candidate = MemberFactory(club=club, candidate=True)
    client.force_login(helper)
    manage = client.get(reverse("club:manage", args=[club.slug]))
    assert [m.pk for m in manage.context["candidates"]] == [candidate.pk]
    assert [m.pk for m in manage.context["members"]] == [active.pk]
    assert manage.context["members"][0].last_version == 1
    url = reverse("club:candidate", args=[club.slug, candidate.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"action": "refuse", "reason": ""}).status_code == 400
    client.post(url, {"action": "approve"})
    candidate.refresh_from_db()
    assert candidate.status == MemberStatus.ACTIVE
    export = client.get(reverse("club:membership_export", args=[club.slug]))
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 3
    assert rows[0][0] == "structure"


def test_an_admin_sets_the_association_bureau_staff_and_a_new_charter(client):
    club, _ = club_with_territory()
    admin = ClubStaffFactory(club=club, role=ClubRole.ADMIN).user
    person, _ = member_user(club)
    client.force_login(admin)
    url = reverse("club:settings", args=[club.slug])
    base = {"action": "settings", "name": club.name, "membership_months": 12, "status": "association"}
    refused = client.post(url, {**base, "rna": ""})
    assert refused.status_code == 400
    client.post(url, {**base, "rna": "W623000417", "association_since": "2026-06-01"})
    club.refresh_from_db()
    assert (club.status, club.rna) == (ClubStatus.ASSOCIATION, "W623000417")
    client.post(url, {"action": "seat", "seat-role": "president", "seat-person_name": "Anne Wallart"})
    assert list(club.bureau.values_list("person_name", flat=True)) == ["Anne Wallart"]
    client.post(url, {"action": "staff", "staff-email": person.email, "staff-role": "facilitator"})
    assert ClubStaff.objects.filter(club=club, user=person).count() == 1
    new = client.post(
        reverse("club:charter_new", args=[club.slug]),
        {"text": "Nouveau texte", "summary_of_changes": "Tout.", "adopted_on": "2026-06-01"},
    )
    assert new.status_code == 302
    assert club.current_charter().number == 2


def test_the_territory_s_team_creates_a_club(client):
    club, _ = club_with_territory()
    officer = MembershipFactory(territory=club.territory).user
    client.force_login(officer)
    url = reverse("club:create", args=[club.territory.slug])
    assert client.get(url).status_code == 200
    response = client.post(url, {"name": "Club des entrepreneurs de l'ESS"})
    assert response.status_code == 302
    assert Club.objects.filter(territory=club.territory).count() == 2


def test_the_management_page_leads_the_facilitators_to_what_waits_for_them(client):
    club = MemberFactory().club
    helper = facilitator(club)
    waiting = PracticeSheetFactory(member=MemberFactory(club=club), status=PracticeStatus.SUBMITTED)
    PracticeSheetFactory(member=MemberFactory(club=club))  # a draft: not theirs yet
    client.force_login(helper)
    page = client.get(reverse("club:manage", args=[club.slug])).content.decode()
    assert page.count("/gestion/pratiques/") == 1
    assert reverse("club:practice_review", args=[club.slug, waiting.pk]) in page
    assert reverse("club:meeting_new", args=[club.slug]) in page and reverse("club:call_new", args=[club.slug]) in page


def test_the_space_shows_the_next_meeting_and_the_invitations_waiting(client):
    from tests.club.factories import AnswerPartnerFactory, JointAnswerFactory

    user, member = member_user()
    club = member.club
    past, coming = MeetingFactory(club=club, theme="Passée"), MeetingFactory(club=club, theme="Aide au recrutement")
    SessionFactory(
        event=past.event,
        start=timezone.now() - datetime.timedelta(days=20),
        end=timezone.now() - datetime.timedelta(days=20, hours=-2),
    )
    SessionFactory(event=coming.event)
    answer = JointAnswerFactory(call__club=club, title="Tiers-lieu partagé")
    AnswerPartnerFactory(answer=answer, member=member, status="invited")
    client.force_login(user)
    page = client.get(reverse("club:space", args=[club.slug])).content.decode()
    assert "Aide au recrutement" in page and "Passée" not in page and "pas encore inscrit" in page
    assert reverse("club:answer", args=[club.slug, answer.pk]) in page and "Tiers-lieu partagé" in page


def test_a_member_leaves_the_club_after_confirming_and_disappears_from_the_public_pages(client):
    user, member = member_user()
    club = member.club
    url = reverse("club:profile", args=[club.slug, member.pk])
    client.force_login(user)
    client.post(url, {"action": "leave"})  # not confirmed: nothing happens
    member.refresh_from_db()
    assert member.status == MemberStatus.ACTIVE
    response = client.post(url, {"action": "leave", "confirm": "on"})
    assert response.status_code == 302 and response["Location"] == reverse("club:club", args=[club.slug])
    member.refresh_from_db()
    assert member.status == MemberStatus.LEFT and member.left_on == timezone.localdate()
    assert "a quitté le club" in client.get(response["Location"]).content.decode()  # said once, on the club's page
    assert member.structure.display_name not in client.get(reverse("club:members", args=[club.slug])).content.decode()
    assert client.get(url).status_code == 404  # no profile left to edit


def test_the_club_page_shows_its_figures_with_their_definitions(client):
    user, member = member_user()
    MemberFactory(club=member.club, joined_on=timezone.localdate().replace(month=1, day=1))
    page = client.get(reverse("club:club", args=[member.club.slug])).content.decode()
    assert "Le club en chiffres" in page and "Structures devenues membres dans" in page
    table = page[page.index("<caption>Activité du club") : page.index("</table>", page.index("<caption>Activité"))]
    assert table.count("<tr>") == 12  # the years' row and eleven figures
    assert "/api/v1/club/indicators?club=" in page
