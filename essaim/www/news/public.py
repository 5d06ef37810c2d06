"""Public pages of the news: the list (filters by territory, tag, year and text; paginated), an item's page (a
draft shows to those who may edit it, as its preview) and the RSS feed."""

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from essaim.core.links import site_url
from essaim.news import perms
from essaim.news.feeds import build_news_rss
from essaim.news.models import NewsItem, Tag
from essaim.www.forms import refused_status
from essaim.www.news.forms import NewsFilterForm

PAGE_SIZE = 12
RSS_MAX_ITEMS = 50


def _filters(form) -> dict:
    if not form.is_valid():
        return {}
    data = form.cleaned_data
    return {"territory": data["territory"], "tag": data["tag"] or "", "year": data["year"], "q": data["q"]}


def _public_items():
    return NewsItem.objects.published().select_related("territory").prefetch_related("tags")


def news_list(request):
    """Public. The published news of every territory, newest first, with filters; 400 with the page on a refused
    filter."""
    form = NewsFilterForm(request.GET or None)
    filters = _filters(form)
    items = _public_items().filtered(**filters).newest_first()
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    tag = None
    if filters.get("tag"):
        tags = Tag.objects.filter(slug=filters["tag"])
        if filters.get("territory"):
            tags = tags.filter(territory=filters["territory"])
        tag = tags.first()
    context = {
        "form": form,
        "page": page,
        "items": page.object_list,
        "query": query.urlencode(),
        "tag": tag,
        "territory": filters.get("territory"),
        "feed_url": reverse("news:feed") + (f"?{query.urlencode()}" if query else ""),
        "can_manage": request.user.is_authenticated and perms.writable_territories(request.user).exists(),
    }
    return render(
        request, "news/list.html", context, status=refused_status(request, form.is_bound and not form.is_valid())
    )


def news_detail(request, slug):
    """Public for a published item; a draft or an item dated later is shown to its territory's team only (preview),
    a 404 to everyone else."""
    item = get_object_or_404(
        NewsItem.objects.select_related("territory", "author").prefetch_related("tags", "structures"), slug=slug
    )
    visible = NewsItem.objects.published().filter(pk=item.pk).exists()
    can_edit = perms.can_edit_item(request.user, item)
    if not visible and not can_edit:
        raise Http404("Actualité introuvable.")
    context = {
        "item": item,
        "preview": not visible,
        "can_edit": can_edit,
        "events": list(item.events.published().order_by("pk")),
        "structures": [s for s in item.structures.all() if s.status == "published"],
    }
    return render(request, "news/detail.html", context)


def news_feed(request):
    """Public. RSS 2.0 of the published news, newest first, with the list's filters; 400 on a refused filter."""
    form = NewsFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        from essaim.www.errors import bad_request

        reasons = " ".join(f"{name} : {' '.join(messages)}" for name, messages in form.errors.items())
        return bad_request(request, message=f"Filtre refusé. {reasons}")
    items = _public_items().filtered(**_filters(form)).newest_first()[:RSS_MAX_ITEMS]
    body = build_news_rss(
        items,
        site_url=site_url(request),
        title="Actualités de l'ESS",
        link=site_url(request) + reverse("news:list"),
        description="Les actualités de l'économie sociale et solidaire des territoires.",
    )
    return HttpResponse(body, content_type="application/rss+xml; charset=utf-8")
