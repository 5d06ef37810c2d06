"""Who may do what in the directory. Plain functions; each docstring gives the business reason."""

from essaim.accounts.enums import Role
from essaim.directory.enums import RequestStatus, Status
from essaim.territories.perms import _role


def _territories_of(structure):
    """The territories a structure belongs to follow from its commune (cached on the instance)."""
    cached = getattr(structure, "_essaim_territories", None)
    if cached is None:
        cached = list(structure.territories()) if structure.commune_id else []
        structure._essaim_territories = cached
    return cached


def can_moderate_structure(user, structure) -> bool:
    """The ESS officers and admins of a territory the structure lies in moderate its entry (publish, refuse,
    merge, accept claims); the network admin may step in anywhere. An officer never touches another territory's
    entries, and an entry with no commune is left to the network admin."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_network_admin:
        return True
    return any(_role(user, t) in (Role.OFFICER, Role.ADMIN) for t in _territories_of(structure))


def can_moderate_territory(user, territory) -> bool:
    """The moderation queue and the directory settings of a territory belong to its officers and admins."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_network_admin or _role(user, territory) in (Role.OFFICER, Role.ADMIN)


def is_owner(user, structure) -> bool:
    """A person whose claim on the structure an officer accepted speaks for it."""
    if not user.is_authenticated or not user.is_active:
        return False
    return structure.claims.filter(user=user, status=RequestStatus.APPROVED).exists()


def can_edit_structure(user, structure) -> bool:
    """The structure's own people keep its page up to date; its territory's officers can correct it. A merged
    or archived entry is frozen."""
    if structure.status == Status.ARCHIVED:
        return False
    return is_owner(user, structure) or can_moderate_structure(user, structure)


def can_view_structure(user, structure) -> bool:
    """Published entries are public; the others (pending, refused, archived) are seen by their moderators and
    their owners only."""
    if structure.status == Status.PUBLISHED:
        return True
    return can_moderate_structure(user, structure) or is_owner(user, structure)


def can_claim_structure(user, structure) -> bool:
    """Any signed-in person may ask to manage a published page that they do not manage yet."""
    return user.is_authenticated and structure.status == Status.PUBLISHED and not is_owner(user, structure)


def moderated_territories(user):
    """The territories whose moderation queue a person sees."""
    from essaim.territories.perms import editable_territories

    return editable_territories(user)
