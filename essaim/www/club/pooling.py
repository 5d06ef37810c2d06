"""Pooling pages (*mutualisation*, issue #18): the board of offers and needs with its filters, a listing with its
contact and the listings that answer it (matching), posting and editing a listing, putting a need and an offer in
touch, and the categories a person follows. Visitors see the public listings only; members and staff all open ones;
whoever may not see a thing gets a 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from essaim.club import perms
from essaim.club.enums import ListingKind, ListingStatus
from essaim.club.matching import matches_for
from essaim.club.models import CategorySubscription, Listing, Member
from essaim.club.services.pooling import (
    listing_create,
    listing_set_status,
    listing_update,
    match_create,
    subscriptions_set,
)
from essaim.core.links import site_url
from essaim.core.text import fold
from essaim.www.club.common import club_for, errors_text, form_error
from essaim.www.club.forms_pooling import BoardFilterForm, ListingForm, MatchForm, SubscriptionsForm

PAGE_SIZE = 20


def my_members(request, club):
    """The active member structures the person acts for (a queryset, possibly empty)."""
    return Member.objects.filter(pk__in=perms.member_ids(request.user, club)).select_related("structure")


def visible_listings(request, club):
    """What the person may read of the board: every open listing for members and staff, the public ones otherwise."""
    if perms.can_enter(request.user, club):
        return Listing.objects.open().filter(club=club)
    return Listing.objects.public().filter(club=club)


def frame(request, club, section: str, title: str) -> dict:
    """What the pooling pages' frame needs: the title, the current section of the sub-navigation, and whether the
    members' space links are shown."""
    return {"page_title": title, "section": section, "in_space": perms.can_enter(request.user, club)}


def board(request, club):
    """Public (members see more). Offers and needs, filtered by kind, category, commune, free only and text."""
    club = club_for(club)
    listings = visible_listings(request, club)
    form = BoardFilterForm(request.GET or None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["kind"]:
            listings = listings.filter(kind=data["kind"])
        if data["category"]:
            listings = listings.filter(category=data["category"])
        if fold(data["commune"]):
            listings = listings.filter(commune__search_name__startswith=fold(data["commune"]))
        if data["free"]:
            listings = listings.filter(is_free=True)
        words = fold(data["q"]).split()[:8]
        for word in words:
            listings = listings.filter(search_text__contains=word)
    counts = listings.aggregate(
        total=Count("pk"),
        offers=Count("pk", filter=Q(kind=ListingKind.OFFER)),
        needs=Count("pk", filter=Q(kind=ListingKind.NEED)),
    )
    ordered = listings.order_by("-created_at", "-pk").select_related("member__structure", "commune")
    paginator = Paginator(ordered, PAGE_SIZE)
    paginator.count = counts["total"]  # counted above with the offers and needs: no second COUNT
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "club": club,
        "form": form,
        "listings": list(page),
        "page": page,
        "counts": counts,
        "query": query.urlencode(),
        "can_enter": perms.can_enter(request.user, club),
        "can_post": bool(perms.member_ids(request.user, club)),
        **frame(request, club, "board", "Offres et besoins"),
    }
    return render(request, "club/pooling/board.html", context)


def _listing_or_404(request, club, pk) -> Listing:
    listing = Listing.objects.select_related("member__structure", "commune", "club").filter(club=club, pk=pk).first()
    if listing is None or not perms.can_see_listing(request.user, listing):
        raise Http404("Cette annonce n'existe pas.")
    if listing.status != ListingStatus.OPEN and not perms.can_enter(request.user, club):
        raise Http404("Cette annonce n'existe pas.")
    return listing


@require_http_methods(["GET", "POST"])
def listing_page(request, club, pk):
    """Public for a public listing, members otherwise. Its contact, the listings that answer it; for its member's
    people: edit, close, « pourvue »; « Mettre en relation » with a suggestion."""
    club = club_for(club)
    listing = _listing_or_404(request, club, pk)
    can_edit = perms.can_edit_listing(request.user, listing)
    if request.method == "POST":
        return _listing_post(request, club, listing, can_edit)
    can_enter = perms.can_enter(request.user, club)
    suggestions = matches_for(listing, visible=None if can_enter else Listing.objects.public())
    matched_ids = set()
    if listing.kind == ListingKind.NEED:
        matched_ids = set(listing.matches_as_need.values_list("offer_id", flat=True))
    else:
        matched_ids = set(listing.matches_as_offer.values_list("need_id", flat=True))
    can_match = listing.status == ListingStatus.OPEN and (
        perms.acts_for(request.user, listing.member) or perms.can_facilitate(request.user, club)
    )
    context = {
        "club": club,
        "listing": listing,
        "suggestions": suggestions,
        "matched_ids": matched_ids,
        "can_edit": can_edit,
        "can_match": can_match,
        "can_enter": can_enter,
        "just_posted": request.GET.get("nouvelle") == "1" and can_edit,
        **frame(request, club, "board", listing.title),
    }
    return render(request, "club/pooling/listing.html", context)


def _listing_post(request, club, listing, can_edit):
    url = reverse("club:listing", kwargs={"club": club.slug, "pk": listing.pk})
    action = request.POST.get("action", "")
    try:
        if action in ("close", "matched", "reopen"):
            if not can_edit:
                raise Http404("Cette annonce n'existe pas.")
            status = {"close": ListingStatus.CLOSED, "matched": ListingStatus.MATCHED, "reopen": ListingStatus.OPEN}
            listing_set_status(listing=listing, by=request.user, status=status[action])
            messages.success(request, f"L'annonce est {listing.get_status_display()}.")
        elif action == "match":
            form = MatchForm(request.POST)
            if not form.is_valid():
                raise ValidationError("Demande incomplète.")
            pks = {form.cleaned_data["need"], form.cleaned_data["offer"]}
            if listing.pk not in pks:
                raise ValidationError("Demande incomplète.")
            pair = {
                x.pk: x for x in visible_listings(request, club).filter(pk__in=pks).select_related("club", "member")
            }
            if len(pair) != 2:
                raise ValidationError("L'une des deux annonces n'est plus ouverte.")
            match_create(
                need=pair[form.cleaned_data["need"]],
                offer=pair[form.cleaned_data["offer"]],
                by=request.user,
                note=form.cleaned_data["note"],
                site_url=site_url(request),
            )
            messages.success(request, "La mise en relation est faite : les deux contacts ont reçu un message.")
        else:
            raise ValidationError("Action inconnue.")
    except ValidationError as exc:
        messages.error(request, errors_text(exc))
    return HttpResponseRedirect(url)


@require_http_methods(["GET", "POST"])
def listing_new(request, club):
    """A person of an active member posts an offer or a need for their structure (contact prefilled)."""
    club = club_for(club)
    members = my_members(request, club)
    if not members:
        raise Http404("Réservé aux membres du club.")
    initial = {
        "contact_name": request.user.get_full_name(),
        "contact_email": request.user.email,
        "member": members[0].pk,
        "kind": request.GET.get("type") if request.GET.get("type") in ListingKind.values else ListingKind.OFFER,
        "commune": members[0].structure.commune_id,
    }
    form = ListingForm(request.POST or None, club=club, members=members, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            listing = listing_create(member=data.pop("member"), by=request.user, data=data)
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, "Votre annonce est publiée.")
            url = reverse("club:listing", kwargs={"club": club.slug, "pk": listing.pk})
            return HttpResponseRedirect(f"{url}?nouvelle=1")
    context = {
        "club": club,
        "form": form,
        "listing": None,
        **frame(request, club, "board", "Publier une offre ou un besoin"),
    }
    return render(request, "club/pooling/listing_form.html", context)


@require_http_methods(["GET", "POST"])
def listing_edit(request, club, pk):
    club = club_for(club)
    listing = Listing.objects.select_related("member", "club").filter(club=club, pk=pk).first()
    if listing is None or not perms.can_edit_listing(request.user, listing):
        raise Http404("Cette annonce n'existe pas.")
    form = ListingForm(request.POST or None, instance=listing, club=club, members=my_members(request, club))
    if request.method == "POST" and form.is_valid():
        try:
            listing_update(listing=listing, by=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, "L'annonce est modifiée.")
            return HttpResponseRedirect(reverse("club:listing", kwargs={"club": club.slug, "pk": listing.pk}))
    context = {
        "club": club,
        "form": form,
        "listing": listing,
        **frame(request, club, "board", f"Modifier : {listing.title}"),
    }
    return render(request, "club/pooling/listing_form.html", context)


@require_http_methods(["GET", "POST"])
def subscriptions(request, club):
    """A person of an active member chooses the categories they follow (a weekly digest)."""
    club = club_for(club)
    if not perms.is_member(request.user, club):
        raise Http404("Réservé aux membres du club.")
    current = sorted(
        CategorySubscription.objects.filter(club=club, user=request.user).values_list("category", flat=True)
    )
    form = SubscriptionsForm(request.POST or None, initial={"categories": current})
    if request.method == "POST" and form.is_valid():
        try:
            subscriptions_set(club=club, user=request.user, categories=form.cleaned_data["categories"])
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, "Vos abonnements sont enregistrés.")
            return HttpResponseRedirect(reverse("club:subscriptions", kwargs={"club": club.slug}))
    context = {
        "club": club,
        "form": form,
        "followed": current,
        **frame(request, club, "subscriptions", "Mes abonnements"),
    }
    return render(request, "club/pooling/subscriptions.html", context)
