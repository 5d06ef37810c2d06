"""Reads of the news that chain: what the public sees, and the filters shared by the list, the feed and the API."""

import datetime

from django.db import models
from django.utils import timezone

from essaim.core.text import fold
from essaim.news.enums import NewsStatus


class NewsItemQuerySet(models.QuerySet):
    def published(self):
        """Published items whose publication date has come (an item dated tomorrow waits for tomorrow)."""
        return self.filter(status=NewsStatus.PUBLISHED, published_on__lte=timezone.localdate())

    def in_territory(self, territory):
        return self.filter(territory=territory)

    def filtered(self, *, territory=None, tag: str = "", year: int | None = None, q: str = ""):
        items = self
        if territory is not None:
            items = items.filter(territory=territory)
        if tag:
            items = items.filter(tags__slug=tag)
        if year:
            items = items.filter(
                published_on__gte=datetime.date(year, 1, 1), published_on__lte=datetime.date(year, 12, 31)
            )
        for word in fold(q).split()[:6]:
            items = items.filter(search_text__contains=word)
        return items.distinct() if tag else items

    def newest_first(self):
        return self.order_by("-published_on", "-pk")


class SubscriberQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def pending(self):
        return self.filter(confirmed_at__isnull=True)
