"""Writes and RGPD requests on accounts."""

from django.db import transaction
from django.utils import timezone

from essaim.accounts.models import User
from essaim.core.models import AccessRecord


@transaction.atomic
def user_verify_email(*, user: User) -> None:
    """Marks the person's address as verified and primary: demo accounts, accounts made by the server's operator
    (who vouches for the address). Everyone else confirms theirs through the link mailed at sign-up."""
    from allauth.account.models import EmailAddress

    email = user.email.lower()
    EmailAddress.objects.filter(user=user, primary=True).exclude(email=email).update(primary=False)
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})


def user_update_profile(*, user: User, full_name: str) -> User:
    user.full_name = " ".join(full_name.split())
    user.save(update_fields=["full_name"])
    return user


def _iso(value):
    return value.isoformat() if value else None


def user_export_data(*, user: User) -> dict:
    """What the accounts app keeps about a person, for the right of access (RGPD art. 15 and 20): the account, its
    addresses, its roles. The web layer adds what "Mon espace" shows (``essaim.www.accounts.space``)."""
    from allauth.account.models import EmailAddress

    return {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "full_name": user.full_name,
            "date_joined": user.date_joined.isoformat(),
            "last_login": _iso(user.last_login),
            "is_network_admin": user.is_network_admin,
            "terms_accepted_at": _iso(user.terms_accepted_at),
            "terms_version": user.terms_version,
        },
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=user).order_by("email")
        ],
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
        # The lists of people and exports this person opened or downloaded (the audit trail kept about them).
        "access_records": [
            {
                "at": record.created_at.isoformat(),
                "action": record.get_action_display(),
                "data": record.label,
                "detail": record.detail,
            }
            for record in AccessRecord.objects.filter(user=user)
        ],
    }


@transaction.atomic
def user_erase(*, user: User) -> None:
    """Erases a person's account and what hangs on it (roles, addresses, claims); the right to erasure (RGPD art.
    17). Records the territory must keep (grant files, events proposed) are detached from the person, not deleted."""
    user.delete()
