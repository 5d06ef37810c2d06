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

    # --- part "projects": the board's reads ------------------------------------------------------------------

    def with_activity(self):
        """Annotates ``last_activity``: the latest of the record's change, a stage change, a note, a referral's
        change (subqueries, not joins: one row per project whatever the number of notes)."""
        from django.db.models import DateTimeField, OuterRef, Subquery
        from django.db.models.functions import Coalesce, Greatest

        from essaim.support.models import ProjectNote, Referral, StageChange

        def latest(model, field):
            return Coalesce(
                Subquery(
                    model.objects.filter(project=OuterRef("pk")).order_by(f"-{field}").values(field)[:1],
                    output_field=DateTimeField(),
                ),
                "updated_at",
            )

        return self.annotate(
            last_activity=Greatest(
                "updated_at",
                latest(StageChange, "created_at"),
                latest(ProjectNote, "created_at"),
                latest(Referral, "updated_at"),
            )
        )

    def visible_to_partner(self, partner_ids):
        """The projects referred (at any time) to one of ``partner_ids``."""
        return self.filter(referrals__partner_id__in=partner_ids).distinct()


class ReferralQuerySet(models.QuerySet):
    def open(self):
        from essaim.support.models.projects import OPEN_REFERRAL

        return self.filter(status__in=OPEN_REFERRAL)
