"""Writes and RGPD requests on accounts."""

from django.db import transaction
from django.utils import timezone

from essaim.accounts.models import User


def user_export_data(*, user: User) -> dict:
    """Everything Essaim keeps about a person's account, for the right of access (RGPD art. 15 and 20)."""
    return {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "full_name": user.full_name,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "is_network_admin": user.is_network_admin,
        },
        "memberships": [
            {
                "territory": m.territory.name,
                "territory_siren": m.territory.siren,
                "role": m.role,
                "role_label": m.get_role_display(),
                "since": m.created_at.isoformat(),
            }
            for m in user.memberships.select_related("territory")
        ],
    }


@transaction.atomic
def user_erase(*, user: User) -> None:
    """Erases a person's account and what hangs on it (roles); the right to erasure (RGPD art. 17)."""
    from axes.models import AccessAttempt

    AccessAttempt.objects.filter(username__iexact=user.email).delete()
    user.delete()
