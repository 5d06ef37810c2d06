"""Pooling pages for members: the shared items (a room, a van…) with their bookings of the coming weeks and the
booking form, and the group purchases (propose, join with a quantity until the deadline, the total shown). Members'
space: whoever is neither a person of an active member nor the club's staff gets a 404."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from essaim.club import perms
from essaim.club.enums import BookingUnit, ItemBookingStatus, PurchaseStatus
from essaim.club.models import GroupPurchase, ItemBooking, SharedItem
from essaim.club.services.items import booking_cancel, item_book, item_create, period_of_days, period_of_hours
from essaim.club.services.purchases import is_open, line_set, purchase_create, purchase_set_status, totals
from essaim.core.french import format_date
from essaim.core.inputs import posted_id
from essaim.www.club.common import club_for, errors_text, form_error
from essaim.www.club.forms_pooling import DayBookingForm, HourBookingForm, ItemForm, LineForm, PurchaseForm
from essaim.www.club.pooling import frame, my_members

AHEAD_DAYS = 42


def _space(request, slug):
    club = club_for(slug)
    if not perms.can_enter(request.user, club):
        raise Http404("Réservé aux membres du club.")
    return club


@require_http_methods(["GET", "POST"])
def items(request, club):
    """Members. The club's shared items; a member's person adds one lent by its structure."""
    club = _space(request, club)
    members = my_members(request, club)
    form = ItemForm(request.POST or None, club=club, members=members, initial={"unit": BookingUnit.DAY})
    if request.method == "POST":
        if not members:
            raise Http404("Réservé aux membres du club.")
        if form.is_valid():
            data = form.cleaned_data
            try:
                item = item_create(
                    member=data["member"],
                    by=request.user,
                    name=data["name"],
                    category=data["category"],
                    description=data["description"],
                    commune=data["commune"],
                    unit=data["unit"],
                )
            except ValidationError as exc:
                form_error(form, exc)
            else:
                messages.success(request, f"« {item.name} » peut être réservé par les membres.")
                return HttpResponseRedirect(reverse("club:item", kwargs={"club": club.slug, "pk": item.pk}))
    shared = SharedItem.objects.filter(club=club, active=True).select_related("owner__structure", "commune")
    context = {"club": club, "items": list(shared), "form": form if members else None}
    context.update(frame(request, club, "items", "Biens partagés"))
    return render(request, "club/pooling/items.html", context)


def _booking_label(booking) -> str:
    start, end = timezone.localtime(booking.start), timezone.localtime(booking.end)
    if booking.item.unit == BookingUnit.HOUR:
        return f"{format_date(start, 'l j F Y')}, {start:%H} h – {end:%H} h"
    last = (end - datetime.timedelta(seconds=1)).date()
    if last == start.date():
        return format_date(start, "l j F Y")
    return f"du {format_date(start, 'l j F Y')} au {format_date(last, 'l j F Y')}"


@require_http_methods(["GET", "POST"])
def item_page(request, club, pk):
    """Members. An item, its bookings of the coming weeks (a table), the booking form, one's own bookings
    cancellable."""
    club = _space(request, club)
    item = SharedItem.objects.select_related("owner__structure", "commune").filter(club=club, pk=pk).first()
    if item is None:
        raise Http404("Ce bien n'existe pas.")
    members = my_members(request, club)
    form_class = HourBookingForm if item.unit == BookingUnit.HOUR else DayBookingForm
    form = form_class(request.POST or None, members=members, initial={"member": members[0].pk} if members else None)
    url = reverse("club:item", kwargs={"club": club.slug, "pk": item.pk})
    if request.method == "POST":
        if request.POST.get("action") == "cancel":
            return _cancel(request, item, url)
        if not members:
            raise Http404("Réservé aux membres du club.")
        if form.is_valid():
            data = form.cleaned_data
            if item.unit == BookingUnit.HOUR:
                start, end = period_of_hours(data["day"], data["start"], data["end"])
            else:
                start, end = period_of_days(data["first_day"], data["last_day"])
            try:
                booking = item_book(
                    item=item, member=data["member"], by=request.user, start=start, end=end, purpose=data["purpose"]
                )
            except ValidationError as exc:
                form_error(form, exc)
            else:
                messages.success(request, f"Réservation confirmée : {_booking_label(booking)}.")
                return HttpResponseRedirect(url)
    now = timezone.now()
    bookings = list(
        ItemBooking.objects.filter(
            item=item,
            status=ItemBookingStatus.CONFIRMED,
            end__gt=now,
            start__lt=now + datetime.timedelta(days=AHEAD_DAYS),
        )
        .select_related("member__structure", "item")
        .order_by("start")
    )
    mine = set(perms.member_ids(request.user, club))
    rows = [
        {
            "booking": b,
            "label": _booking_label(b),
            "can_cancel": b.member_id in mine or item.owner_id in mine or perms.can_facilitate(request.user, club),
        }
        for b in bookings
    ]
    context = {"club": club, "item": item, "rows": rows, "form": form if members else None, "ahead": AHEAD_DAYS}
    context.update(frame(request, club, "items", item.name))
    return render(request, "club/pooling/item.html", context, status=400 if form.errors else 200)


def _cancel(request, item, url):
    booking = ItemBooking.objects.select_related("item__club", "item__owner", "member").filter(
        item=item, pk=posted_id(request.POST.get("booking"))
    )
    booking = booking.first()
    if booking is None:
        raise Http404("Cette réservation n'existe pas.")
    try:
        booking_cancel(booking=booking, by=request.user)
    except ValidationError as exc:
        raise Http404(errors_text(exc)) from None
    messages.success(request, "La réservation est annulée.")
    return HttpResponseRedirect(url)


@require_http_methods(["GET", "POST"])
def purchases(request, club):
    """Members. The open and past group purchases, and a form to propose one."""
    club = _space(request, club)
    members = my_members(request, club)
    form = PurchaseForm(request.POST or None, members=members, initial={"member": members[0].pk} if members else None)
    if request.method == "POST":
        if not members:
            raise Http404("Réservé aux membres du club.")
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                purchase = purchase_create(member=data.pop("member"), by=request.user, **data)
            except ValidationError as exc:
                form_error(form, exc)
            else:
                messages.success(request, "L'achat groupé est proposé aux membres.")
                return HttpResponseRedirect(reverse("club:purchase", kwargs={"club": club.slug, "pk": purchase.pk}))
    today = timezone.localdate()
    everything = list(
        GroupPurchase.objects.filter(club=club).select_related("proposer__structure").order_by("deadline")
    )
    open_ones = [p for p in everything if is_open(p, today)]
    past = sorted((p for p in everything if not is_open(p, today)), key=lambda p: p.deadline, reverse=True)
    groups = [
        {"title": "Ouverts aux participations", "rows": open_ones, "empty": "Aucun achat groupé ouvert."},
        {"title": "Passés", "rows": past, "empty": "Aucun achat groupé passé."},
    ]
    context = {"club": club, "groups": groups, "form": form if members else None}
    context.update(frame(request, club, "purchases", "Achats groupés"))
    return render(request, "club/pooling/purchases.html", context)


@require_http_methods(["GET", "POST"])
def purchase_page(request, club, pk):
    """Members. A group purchase: its lines, the total quantity and estimated amount, whether the minimum is
    reached; join or change one's line until the deadline; the proposer closes or cancels it."""
    club = _space(request, club)
    purchase = GroupPurchase.objects.select_related("proposer__structure").filter(club=club, pk=pk).first()
    if purchase is None:
        raise Http404("Cet achat groupé n'existe pas.")
    members = my_members(request, club)
    lines = list(purchase.lines.select_related("member__structure"))
    mine = {line.member_id: line for line in lines}
    first = members[0] if members else None
    initial = (
        {"member": first.pk, "quantity": mine[first.pk].quantity if first.pk in mine else None} if first else None
    )
    form = LineForm(request.POST or None, members=members, initial=initial)
    can_run = perms.acts_for(request.user, purchase.proposer) or perms.can_facilitate(request.user, club)
    url = reverse("club:purchase", kwargs={"club": club.slug, "pk": purchase.pk})
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action in ("close", "cancel"):
            if not can_run:
                raise Http404("Cet achat groupé n'existe pas.")
            status = PurchaseStatus.CLOSED if action == "close" else PurchaseStatus.CANCELLED
            try:
                purchase_set_status(purchase=purchase, by=request.user, status=status)
                messages.success(request, f"L'achat groupé est {purchase.get_status_display()}.")
            except ValidationError as exc:
                messages.error(request, errors_text(exc))
            return HttpResponseRedirect(url)
        if not members:
            raise Http404("Réservé aux membres du club.")
        if form.is_valid():
            try:
                line = line_set(
                    purchase=purchase,
                    member=form.cleaned_data["member"],
                    by=request.user,
                    quantity=form.cleaned_data["quantity"],
                )
            except ValidationError as exc:
                form_error(form, exc)
            else:
                messages.success(
                    request, "Votre participation est enregistrée." if line else "Vous ne participez plus."
                )
                return HttpResponseRedirect(url)
    context = {
        "club": club,
        "purchase": purchase,
        "lines": lines,
        "totals": totals(purchase),
        "open": is_open(purchase),
        "form": form if members and is_open(purchase) else None,
        "can_run": can_run and purchase.status == PurchaseStatus.OPEN,
        "mine": set(perms.member_ids(request.user, club)),
        **frame(request, club, "purchases", purchase.title),
    }
    return render(request, "club/pooling/purchase.html", context, status=400 if form.errors else 200)
