"""Writes of the news items: save (draft or published), publish, unpublish. Views, the API and the demo call these."""

from django.db import transaction
from django.utils.text import slugify

from essaim.core.text import fold
from essaim.news.enums import NewsStatus
from essaim.news.models import NewsItem, Tag

# Words of /actualites/ that an item's address may not take.
RESERVED_SLUGS = {"gestion", "lettre", "feed-xml", "feed"}
FIELDS = ("title", "published_on", "summary", "body", "image_alt")


class NewsError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def unique_slug(title: str, *, exclude_pk=None) -> str:
    base = (slugify(title) or "actualite")[:90].strip("-") or "actualite"
    if base in RESERVED_SLUGS:
        base = f"{base}-actualite"
    slug, n = base, 2
    taken = NewsItem.objects.exclude(pk=exclude_pk)
    while taken.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def tags_for(*, territory, names: list[str]) -> list[Tag]:
    """The territory's tags of these names, created when new (a tag is the territory's own word)."""
    tags = []
    for name in names:
        name = " ".join(name.split())[:60]
        slug = slugify(name)[:80]
        if not slug:
            continue
        tag, _ = Tag.objects.get_or_create(territory=territory, slug=slug, defaults={"name": name})
        tags.append(tag)
    return tags


def _search_text(item: NewsItem, tags) -> str:
    return fold(" ".join([item.title, item.summary, item.body, *(t.name for t in tags)]))


@transaction.atomic
def item_save(
    *,
    territory,
    by,
    data: dict,
    item: NewsItem | None = None,
    tags=(),
    new_tags=(),
    structures=(),
    events=(),
    image=None,
    clear_image: bool = False,
    publish: bool | None = None,
) -> NewsItem:
    """Creates or updates an item of ``territory`` (``data``: title, published_on, summary, body, image_alt); its
    tags, the structures it names and the published events it announces. ``publish``: True publishes, False keeps or
    makes a draft, None leaves the status as it is. Refuses an image without its alternative text."""
    creating = item is None
    if creating:
        item = NewsItem(territory=territory, author=by)
    for name in FIELDS:
        if name in data:
            setattr(item, name, data[name] or ("" if name != "published_on" else None))
    if image is not None:
        item.image = image
    elif clear_image:
        item.image = ""
    if item.image and not item.image_alt.strip():
        raise NewsError(
            "Décrivez l'image en quelques mots (texte alternatif) : elle est lue aux personnes qui ne la voient pas."
        )
    if not item.image:
        item.image_alt = ""
    if creating or not item.slug:
        item.slug = unique_slug(item.title)
    if publish is not None:
        item.status = NewsStatus.PUBLISHED if publish else NewsStatus.DRAFT
    all_tags = list(tags) + tags_for(territory=territory, names=list(new_tags))
    item.search_text = _search_text(item, all_tags)
    item.save()
    item.tags.set(all_tags)
    item.structures.set(list(structures))
    item.events.set(list(events))
    return item


@transaction.atomic
def item_publish(*, item: NewsItem, by) -> NewsItem:
    NewsItem.objects.filter(pk=item.pk).update(status=NewsStatus.PUBLISHED)
    item.status = NewsStatus.PUBLISHED
    return item


@transaction.atomic
def item_unpublish(*, item: NewsItem, by) -> NewsItem:
    """Back to draft: the page, the feed and the API stop showing it; its address is kept for a later publication."""
    NewsItem.objects.filter(pk=item.pk).update(status=NewsStatus.DRAFT)
    item.status = NewsStatus.DRAFT
    return item
