"""The club's side of a person's erasure (RGPD art. 17, ``essaim.accounts.services.user_erase``): the accounts app
knows nothing of the club, so the club listens. Their ties to the clubs go with the account (cascade); the offers and
needs whose contact they were are closed and their contact erased, so that no page keeps their name or address."""

from django.db.models.signals import pre_delete
from django.utils import timezone


def _forget_contact(sender, instance, **kwargs):
    from essaim.club.enums import ListingStatus
    from essaim.club.models import Listing

    if not instance.email:
        return
    for listing in Listing.objects.filter(contact_email__iexact=instance.email):
        Listing.objects.filter(pk=listing.pk).update(
            status=ListingStatus.CLOSED,
            contact_name="Personne anonymisée",
            contact_email=f"anonyme-{listing.pk}@anonyme.invalid",
            contact_phone="",
            updated_at=timezone.now(),
        )


def connect():
    from django.contrib.auth import get_user_model

    pre_delete.connect(_forget_contact, sender=get_user_model(), dispatch_uid="club_forget_contact")
