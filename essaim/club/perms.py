"""Who may see and do what in the club. Plain functions; each docstring gives the business reason.

The club is a private circle inside a public showcase: its public page, the members who agreed to appear, their
skills, the public offers, the published practice sheets and the calls are for everyone; the members' space,
meetings, minutes, the board's members-only listings and the joint answers' workspaces are for the people of active
member structures (and the club's staff). A joint answer's workspace is for its accepted partners only (and the
club's facilitators when its lead allows). The territory's officers and admin are the club's admins by right. Pages
answer 404 to whoever may not see them, whatever the id they type.

Roles are read once per request and cached on the user (``_club_roles``)."""

from essaim.accounts.enums import Role
from essaim.club.enums import ClubRole, MemberStatus, PartnerStatus, PracticeStatus
from essaim.territories.perms import role_in

TEAM_ROLES = (Role.OFFICER, Role.ADMIN)


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


_territory_role = role_in  # the roles read once a request, shared with the other capabilities


def _roles(user) -> dict:
    """{club_id: {"staff": role or None, "members": {member_id: status}}} for the person, read once a request."""
    cache = getattr(user, "_club_roles", None)
    if cache is None:
        from essaim.club.models import ClubStaff, MemberPerson

        cache = {}
        for club_id, role in ClubStaff.objects.filter(user=user).values_list("club_id", "role"):
            cache.setdefault(club_id, {"staff": None, "members": {}})["staff"] = role
        rows = MemberPerson.objects.filter(user=user).values_list("member__club_id", "member_id", "member__status")
        for club_id, member_id, status in rows:
            cache.setdefault(club_id, {"staff": None, "members": {}})["members"][member_id] = status
        user._club_roles = cache
    return cache


def forget(user) -> None:
    """Drop the cached roles (after a service changed them within the same request)."""
    for name in ("_club_roles",):
        if hasattr(user, name):
            delattr(user, name)


def is_team(user, club) -> bool:
    """The territory's ESS officers and its admin run the clubs of their territory."""
    return _territory_role(user, club.territory_id) in TEAM_ROLES


def staff_role(user, club):
    """``admin``, ``facilitator`` or None. The territory's team counts as admin."""
    if not _active(user):
        return None
    if is_team(user, club):
        return ClubRole.ADMIN
    return _roles(user).get(club.pk, {}).get("staff")


def can_facilitate(user, club) -> bool:
    """Approve candidates, publish minutes and practice sheets, post calls, run meetings: facilitators and admins."""
    return staff_role(user, club) in (ClubRole.FACILITATOR, ClubRole.ADMIN)


def can_administer(user, club) -> bool:
    """The club's status, its bureau, the charter's versions and who facilitates: the club's admins (and the
    territory's team)."""
    return staff_role(user, club) == ClubRole.ADMIN


def member_ids(user, club, *, statuses=(MemberStatus.ACTIVE,)) -> set[int]:
    """The member structures of the club the person acts for, in the given statuses."""
    if not _active(user):
        return set()
    members = _roles(user).get(club.pk, {}).get("members", {})
    return {member_id for member_id, status in members.items() if status in statuses}


def is_member(user, club) -> bool:
    """A person of an active member structure: the members' space, meetings, minutes, members-only listings."""
    return bool(member_ids(user, club))


def can_enter(user, club) -> bool:
    """The members' space: active members and the club's staff."""
    return is_member(user, club) or can_facilitate(user, club)


def acts_for(user, member) -> bool:
    """The person speaks for this member structure (edits its club profile, posts its listings, books for it)."""
    if not _active(user):
        return False
    return member.pk in _roles(user).get(member.club_id, {}).get("members", {})


def can_see_meeting(user, meeting) -> bool:
    """A meeting (an agenda event restricted to members) is seen by the club's members and staff; a guest reaches
    it only through their invitation's link (checked by the view, not here)."""
    return can_enter(user, meeting.club)


def can_see_minutes(user, meeting) -> bool:
    """Minutes are published to members after the meeting; the staff reads them before, while writing them."""
    if can_facilitate(user, meeting.club):
        return True
    return meeting.minutes_published and is_member(user, meeting.club)


def can_see_listing(user, listing) -> bool:
    """A public listing of an appearing member is for everyone; the others for members and staff."""
    if listing.show_publicly and listing.member.show_publicly and listing.member.status == MemberStatus.ACTIVE:
        return True
    return can_enter(user, listing.club)


def can_edit_listing(user, listing) -> bool:
    return acts_for(user, listing.member) or can_facilitate(user, listing.club)


def answer_partner(user, answer):
    """The person's accepted partnership in the joint answer, or None."""
    if not _active(user):
        return None
    mine = member_ids(user, answer.call.club)
    for partner in answer.partners.all():
        if partner.member_id in mine and partner.status == PartnerStatus.ACCEPTED:
            return partner
    return None


def can_see_answer(user, answer) -> bool:
    """A joint answer's workspace: its accepted partners; the club's facilitators only if the lead allows it. An
    invited partner sees the invitation (title, lead, call), not the workspace: ``can_answer_invitation``."""
    if answer_partner(user, answer) is not None:
        return True
    return answer.facilitators_can_see and can_facilitate(user, answer.call.club)


def can_answer_invitation(user, answer) -> bool:
    mine = member_ids(user, answer.call.club)
    return any(p.member_id in mine and p.status == PartnerStatus.INVITED for p in answer.partners.all())


def can_lead_answer(user, answer) -> bool:
    """Invite partners, split the budget, record the outcome, allow the facilitators: the lead member's people."""
    return answer.lead_id in member_ids(user, answer.call.club)


def can_see_practice(user, practice) -> bool:
    """A published sheet is public; a draft is its member's and the staff's."""
    if practice.status == PracticeStatus.PUBLISHED:
        return True
    return acts_for(user, practice.member) or can_facilitate(user, practice.club)


def can_edit_practice(user, practice) -> bool:
    if can_facilitate(user, practice.club):
        return True
    return practice.status != PracticeStatus.PUBLISHED and acts_for(user, practice.member)


# --- Membership ------------------------------------------------------------------------------------------------------


def can_create_club(user, territory) -> bool:
    """The territory's team opens a club for its territory (seed 004: the territory helps the ESS actors organise
    themselves); nobody else creates one."""
    return _territory_role(user, territory.pk) in TEAM_ROLES


def can_see_candidate(user, member) -> bool:
    """A candidacy (its motivation, its applicant) is read by the club's facilitators only: 404 for anybody else."""
    return can_facilitate(user, member.club)
