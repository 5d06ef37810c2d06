"""Who may do what with a territory. Plain functions; each docstring gives the business reason."""

from essaim.accounts.enums import Role
from essaim.accounts.models import Membership


def role_in(user, territory_id):
    """The person's role in a territory, or None (anonymous, inactive, no role there). The roles are read once per
    request and kept on the user (``_essaim_roles``), shared by every capability's permissions."""
    if not (user and user.is_authenticated and user.is_active):
        return None
    cache = getattr(user, "_essaim_roles", None)
    if cache is None:
        cache = dict(Membership.objects.filter(user=user).values_list("territory_id", "role"))
        user._essaim_roles = cache
    return cache.get(territory_id)


def _role(user, territory):
    return role_in(user, territory.pk)


def can_edit_territory(user, territory) -> bool:
    """The territory's ESS officers and admins keep its public content (identity, contacts, budgets, policy) up to
    date; the network admin may step in for any member territory. Nobody edits another territory's content."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_network_admin or _role(user, territory) in (Role.OFFICER, Role.ADMIN)


def can_manage_staff(user, territory) -> bool:
    """Only the territory's admin (the lead officer) gives and withdraws roles in that territory; the network admin
    may do it for any territory, e.g. to appoint a territory's first admin."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_network_admin or _role(user, territory) == Role.ADMIN


def can_inherit_policy(user, territory) -> bool:
    """Taking over a predecessor's whole policy (axes, action sheets, indicators and their history) reshapes the
    territory's plan of action in one go: it is the territory admin's decision (the lead officer), or the network
    admin's when stepping in. Officers edit the policy sheet by sheet but do not take it over wholesale."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_network_admin or _role(user, territory) == Role.ADMIN


def can_create_territory(user) -> bool:
    """Adding a member territory to the network directory is the network admin's job."""
    return user.is_authenticated and user.is_active and user.is_network_admin


def editable_territories(user):
    """The territories a person may edit, for their back-office dashboard."""
    from essaim.territories.models import Territory

    if not user.is_authenticated or not user.is_active:
        return Territory.objects.none()
    if user.is_network_admin:
        return Territory.objects.all()
    return Territory.objects.filter(
        memberships__user=user, memberships__role__in=[Role.OFFICER, Role.ADMIN]
    ).distinct()


def can_view_dashboards(user, territory) -> bool:
    """The territory's dashboards (grants and credits, agenda and attendance, directory figures) are read by its
    officers and admin, and by its elected members (élu·es), who answer for the policy before the council but
    change nothing; the network admin reads every member territory's. Elected members see beneficiaries' names,
    never their personal data: the pages they read show aggregates and names only."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_network_admin or _role(user, territory) in (Role.OFFICER, Role.ADMIN, Role.ELECTED)


def is_elected(user, territory) -> bool:
    """An elected member of the territory: read-only, on dashboards only."""
    return _role(user, territory) == Role.ELECTED


def dashboard_territories(user):
    """The territories whose dashboards a person reads."""
    from essaim.territories.models import Territory

    if not user.is_authenticated or not user.is_active:
        return Territory.objects.none()
    if user.is_network_admin:
        return Territory.objects.all()
    return Territory.objects.filter(
        memberships__user=user, memberships__role__in=[Role.OFFICER, Role.ADMIN, Role.ELECTED]
    ).distinct()
