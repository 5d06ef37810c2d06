"""Querysets of the club."""

from django.db import models

from essaim.club.enums import ListingStatus, MemberStatus


class MemberQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=MemberStatus.ACTIVE)

    def public(self):
        """What the public pages and the API show: active members who agreed to appear."""
        return self.active().filter(show_publicly=True)


class ListingQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=ListingStatus.OPEN)

    def public(self):
        """Offers and needs a visitor may read: open, shown publicly, by an active member who agreed to appear."""
        return self.open().filter(show_publicly=True, member__status=MemberStatus.ACTIVE, member__show_publicly=True)
