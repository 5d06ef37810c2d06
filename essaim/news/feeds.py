"""The RSS 2.0 feed of the news (``/actualites/feed.xml``, a stable contract of DESIGN.md): one item per published
news item, newest first, dated by its publication date, with its summary, its tags as categories and its permalink
as guid."""

import datetime
from collections.abc import Iterable

from django.utils import timezone
from django.utils.feedgenerator import Rss201rev2Feed

from essaim.news.models import NewsItem


def _noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def build_news_rss(items: Iterable[NewsItem], *, site_url: str, title: str, link: str, description: str) -> bytes:
    feed = Rss201rev2Feed(title=title, link=link, description=description, language="fr")
    for item in items:
        url = f"{site_url}{item.get_absolute_url()}"
        feed.add_item(
            title=item.title,
            link=url,
            description=item.summary,
            unique_id=url,
            unique_id_is_permalink=True,
            pubdate=_noon(item.published_on),
            updateddate=item.updated_at,
            categories=[tag.name for tag in item.tags.all()],
            author_name=item.territory.name,
        )
    return feed.writeString("utf-8").encode("utf-8")
