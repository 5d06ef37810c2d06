"""Who may write the news and send the newsletter. Plain functions; each docstring gives the business reason."""

from essaim.accounts.enums import Role
from essaim.territories.perms import role_in

WRITERS = (Role.OFFICER, Role.ADMIN)


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def can_write_news(user, territory) -> bool:
    """A territory's news and newsletter speak in its name: its ESS officers and its admin write, publish and send
    them; the network admin may step in. Nobody of another territory, no elected member, no structure's account."""
    if not _active(user):
        return False
    return user.is_network_admin or role_in(user, territory.pk) in WRITERS


def can_edit_item(user, item) -> bool:
    return can_write_news(user, item.territory)


def can_see_item(user, item) -> bool:
    """A published item is public; a draft (its preview) is seen by those who may edit it."""
    return item.is_published or can_edit_item(user, item)


def can_send_issue(user, issue) -> bool:
    return can_write_news(user, issue.territory)


def writable_territories(user):
    """The territories whose news a person writes, for the officers' page."""
    from essaim.territories.models import Territory

    if not _active(user):
        return Territory.objects.none()
    if user.is_network_admin:
        return Territory.objects.all()
    ids = [pk for pk, role in _roles(user).items() if role in WRITERS]
    return Territory.objects.filter(pk__in=ids)


def _roles(user) -> dict:
    role_in(user, None)  # fills the per-request cache
    return getattr(user, "_essaim_roles", {})
