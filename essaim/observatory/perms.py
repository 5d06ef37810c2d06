"""Who may see and do what in the observatory. Plain functions; each docstring gives the business reason.

The figures are public aggregates (never a person): anyone reads them. The yearly evaluation is the territory's
own work before the elected members vote on it: its team writes it, its admin validates it, its elected members
read it; nobody of another territory does any of these."""

from essaim.accounts.enums import Role
from essaim.territories.perms import role_in

TEAM_ROLES = (Role.OFFICER, Role.ADMIN)


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def can_read_figures(user, territory) -> bool:
    """The observatory is public: figures are aggregates with their definitions and sources, open data."""
    return True


def can_manage_figures(user, territory) -> bool:
    """The territory's officers and admin enter the figures Essaim cannot compute (total employment) and freeze a
    year on demand; the network admin may step in, as for the territory's content."""
    if not _active(user):
        return False
    return user.is_network_admin or role_in(user, territory.pk) in TEAM_ROLES


def can_write_evaluation(user, territory) -> bool:
    """The territory's officers and admin write the fiches' evaluations (what was done, the axes de progrès)."""
    return _active(user) and role_in(user, territory.pk) in TEAM_ROLES


def can_validate_evaluation(user, territory) -> bool:
    """Only the territory admin (the lead officer) validates an evaluation before it goes to the elected members."""
    return _active(user) and role_in(user, territory.pk) == Role.ADMIN


def can_read_evaluation(user, territory) -> bool:
    """The team, and the territory's elected members who vote on it, read the evaluation and its report."""
    return _active(user) and role_in(user, territory.pk) in (*TEAM_ROLES, Role.ELECTED)
