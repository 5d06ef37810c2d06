"""Who may see and do what in the support capability. Plain functions; each docstring gives the business reason.

A project holds personal data and private notes: the territory's team (officers and admin) sees its territory's
projects; a partner's adviser sees only the projects referred to their partner; the holder sees their own project
without the team's notes. Nobody else — not another territory's officers, not the network admin, whatever the id
they type."""

from essaim.accounts.enums import Role
from essaim.territories.perms import role_in

TEAM_ROLES = (Role.OFFICER, Role.ADMIN)


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


_role = role_in  # the roles read once a request, shared with the other capabilities


def partner_ids(user) -> set[int]:
    """The partners a person advises for (cached on the user for the request)."""
    if not _active(user):
        return set()
    cache = getattr(user, "_support_partners", None)
    if cache is None:
        from essaim.support.models import PartnerAdviser

        cache = set(
            PartnerAdviser.objects.filter(user=user, partner__active=True).values_list("partner_id", flat=True)
        )
        user._support_partners = cache
    return cache


def is_team(user, territory) -> bool:
    """The territory's ESS officers and its admin run its permanences and follow its projects."""
    return _role(user, territory.pk) in TEAM_ROLES


def is_partner_adviser(user) -> bool:
    return bool(partner_ids(user))


def can_manage_support(user, territory) -> bool:
    """Motifs, opening ranges, absences, the officers' board and figures: the territory's team."""
    return is_team(user, territory)


def can_handle_booking(user, booking) -> bool:
    """A booking is handled (seen, no-show, excused, cancelled, opened as a project) by the territory's team or by
    the adviser who holds the slot (a partner's adviser receiving at a territory's permanence)."""
    if not _active(user):
        return False
    return booking.adviser_id == user.pk or _role(user, booking.territory_id) in TEAM_ROLES


def is_referred_partner(user, project) -> bool:
    """A partner's adviser reaches a project once it was referred to their partner (the referral may be closed since:
    they keep reading what they worked on)."""
    ids = partner_ids(user)
    return bool(ids) and project.referrals.filter(partner_id__in=ids).exists()


def can_view_project(user, project) -> bool:
    """The whole record (notes and documents included): the territory's team and the partner it was referred to."""
    if not _active(user):
        return False
    return _role(user, project.territory_id) in TEAM_ROLES or is_referred_partner(user, project)


def can_edit_project(user, project) -> bool:
    """Stage, needs, next steps, referrals and closure are the territory's team's; a partner writes notes and
    moves its referral, not the project itself."""
    return _role(user, project.territory_id) in TEAM_ROLES


def can_write_note(user, project) -> bool:
    return can_view_project(user, project)


def is_holder(user, project) -> bool:
    """The holder sees their own project (stage, next steps shared with them, bookings, applications), never the
    notes: by their account, or by their confirmed e-mail when the project was opened before they had one."""
    if not _active(user):
        return False
    if project.holder_id is not None:
        return project.holder_id == user.pk
    return bool(project.holder_email) and project.holder_email.lower() == user.email.lower()


def can_move_referral(user, referral) -> bool:
    """A referral's status is moved by the partner it was sent to (accept, decline, close)."""
    return referral.partner_id in partner_ids(user)


def can_withdraw_referral(user, referral) -> bool:
    """The team that referred a project may close a referral left unanswered (abandoned at D+45) or sent by mistake."""
    return _role(user, referral.project.territory_id) in TEAM_ROLES


def is_adviser_of(user, territory) -> bool:
    """A person who receives at the territory's permanences (an officer or a partner's adviser with an opening
    range there) sees their own bookings, marks them, and subscribes to them."""
    if not _active(user):
        return False
    from essaim.support.models import OpeningRange

    return OpeningRange.objects.filter(territory=territory, adviser=user).exists()


def can_see_advice_day(user, territory) -> bool:
    """The day and week of bookings: the team sees every adviser of the territory, an adviser their own."""
    return is_team(user, territory) or is_adviser_of(user, territory)
