"""The officers' pages of the news: the list of a territory's items (drafts and published), write, edit, preview
(the item's page shows a draft to its team), publish and unpublish. Login required; the territory's officers and
admin, or the network admin; anyone else gets the French 403 page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from essaim.news import perms
from essaim.news.models import Issue, NewsItem
from essaim.news.services.items import NewsError, item_publish, item_save, item_unpublish
from essaim.territories.models import Territory
from essaim.www.news.forms import NewsItemForm


def _territory(request, slug):
    territory = get_object_or_404(Territory, slug=slug)
    if not perms.can_write_news(request.user, territory):
        raise PermissionDenied("Vous ne rédigez pas les actualités de ce territoire.")
    return territory


def _item(request, pk):
    item = get_object_or_404(NewsItem.objects.select_related("territory"), pk=pk)
    if not perms.can_edit_item(request.user, item):
        raise PermissionDenied("Vous ne rédigez pas les actualités de ce territoire.")
    return item


@login_required
def manage(request):
    """The territories whose news the person writes, each with its items and its newsletter issues."""
    territories = list(perms.writable_territories(request.user).order_by("name"))
    if not territories:
        raise PermissionDenied("Vous ne rédigez les actualités d'aucun territoire.")
    rows = [
        {
            "territory": t,
            "items": list(NewsItem.objects.filter(territory=t).order_by("-published_on", "-pk")[:30]),
            "issues": list(Issue.objects.filter(territory=t).order_by("-created_at")[:5]),
        }
        for t in territories
    ]
    return render(request, "news/manage/index.html", {"rows": rows})


def _split(names: str) -> list[str]:
    return [n.strip() for n in (names or "").split(",") if n.strip()][:10]


def _save(request, form, *, territory, item=None):
    data = form.cleaned_data
    try:
        return item_save(
            territory=territory,
            by=request.user,
            item=item,
            data={k: data.get(k) for k in ("title", "published_on", "summary", "body", "image_alt")},
            tags=data["tags"],
            new_tags=_split(data["new_tags"]),
            structures=data["structures"],
            events=data["events"],
            image=data.get("image") or None,
            clear_image=bool(data.get("clear_image")),
            publish=True if "publish" in request.POST else (None if item else False),
        )
    except NewsError as exc:
        form.add_error(None, exc.message)
        return None


@login_required
@require_http_methods(["GET", "POST"])
def item_new(request, territory):
    territory = _territory(request, territory)
    form = NewsItemForm(
        request.POST or None, request.FILES or None, territory=territory, initial=NewsItemForm.default_initial()
    )
    status = 200
    if request.method == "POST":
        if form.is_valid() and (item := _save(request, form, territory=territory)):
            messages.success(request, "Actualité publiée." if item.is_published else "Brouillon enregistré.")
            return redirect(item.get_absolute_url())
        status = 400
    context = {"form": form, "territory": territory, "page_title": f"Nouvelle actualité — {territory.name}"}
    return render(request, "news/manage/item_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request, pk):
    item = _item(request, pk)
    form = NewsItemForm(
        request.POST or None,
        request.FILES or None,
        territory=item.territory,
        item=item,
        initial=NewsItemForm.initial_for(item),
    )
    status = 200
    if request.method == "POST":
        if form.is_valid() and (saved := _save(request, form, territory=item.territory, item=item)):
            messages.success(request, "Actualité enregistrée.")
            return redirect(saved.get_absolute_url())
        status = 400
    context = {"form": form, "territory": item.territory, "item": item, "page_title": f"Modifier « {item.title} »"}
    return render(request, "news/manage/item_form.html", context, status=status)


@login_required
@require_POST
def item_publish_view(request, pk):
    item = item_publish(item=_item(request, pk), by=request.user)
    messages.success(request, "Actualité publiée.")
    return redirect(item.get_absolute_url())


@login_required
@require_POST
def item_unpublish_view(request, pk):
    item = item_unpublish(item=_item(request, pk), by=request.user)
    messages.success(request, "Actualité dépubliée : elle n'est plus visible du public.")
    return redirect(reverse("news:manage") + f"#territoire-{item.territory.slug}")
