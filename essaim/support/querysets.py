"""Reads of the support capability, as queryset methods (services write, these read)."""

from django.db import models
from django.db.models import Q


class MotifQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class OpeningRangeQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True, motif__active=True)


class BookingQuerySet(models.QuerySet):
    def holding(self):
        from essaim.support.enums import HOLDING

        return self.filter(status__in=HOLDING)

    def between(self, start, end):
        return self.filter(starts_at__lt=end, ends_at__gt=start)


class ProjectQuerySet(models.QuerySet):
    def open(self):
        from essaim.support.enums import ProjectStatus

        return self.filter(status=ProjectStatus.OPEN)

    def of_holder_email(self, email: str):
        return self.filter(Q(holder_email__iexact=email))


class ReferralQuerySet(models.QuerySet):
    def open(self):
        from essaim.support.models.projects import OPEN_REFERRAL

        return self.filter(status__in=OPEN_REFERRAL)
