"""Pooling (*mutualisation de moyens*, seed 004): a board of offers and needs, the matches between them, the
subscriptions to a category (weekly digest), shared items booked for a period, and group purchases.

A shared item is never booked twice for overlapping periods: a booking writes one ``ItemBookingUnit`` row per unit
it covers (hour or day, the item's grain), and the unique constraint ``item_booking_unit_once`` (item, start) makes
the database refuse the second of two overlapping bookings on SQLite and PostgreSQL alike, whatever the code above
it does."""

from django.conf import settings
from django.db import models

from essaim.club.enums import (
    BookingUnit,
    ItemBookingStatus,
    ListingCategory,
    ListingKind,
    ListingStatus,
    PurchaseStatus,
)
from essaim.club.querysets import ListingQuerySet
from essaim.core.models import TimeStampedModel


class Listing(TimeStampedModel):
    """An offer or a need posted by a member on the club's board."""

    club = models.ForeignKey("club.Club", on_delete=models.CASCADE, related_name="listings", verbose_name="club")
    member = models.ForeignKey("club.Member", on_delete=models.CASCADE, related_name="listings", verbose_name="membre")
    kind = models.CharField("offre ou besoin", max_length=5, choices=ListingKind.choices)
    category = models.CharField("catégorie", max_length=16, choices=ListingCategory.choices)
    title = models.CharField("titre", max_length=200)
    description = models.TextField("description", blank=True)
    commune = models.ForeignKey(
        "territories.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="commune",
    )
    available_from = models.DateField("disponible à partir du", null=True, blank=True)
    available_until = models.DateField("jusqu'au", null=True, blank=True)
    is_free = models.BooleanField("gratuit", default=True)
    price = models.DecimalField("prix (€)", max_digits=9, decimal_places=2, null=True, blank=True)
    price_note = models.CharField("précisions sur le prix", max_length=200, blank=True)
    contact_name = models.CharField("contact", max_length=150)
    contact_email = models.EmailField("e-mail du contact")
    contact_phone = models.CharField("téléphone du contact", max_length=30, blank=True)
    status = models.CharField("statut", max_length=8, choices=ListingStatus.choices, default=ListingStatus.OPEN)
    show_publicly = models.BooleanField(
        "visible du public", default=False, help_text="Sinon, seuls les membres du club la voient."
    )
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="publiée par"
    )
    search_text = models.TextField("texte de recherche", blank=True, editable=False)

    objects = ListingQuerySet.as_manager()

    class Meta:
        verbose_name = "offre ou besoin"
        verbose_name_plural = "offres et besoins"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["club", "status", "kind", "category"], name="listing_board"),
            # The board's first pages: the newest open listings of a club, read in index order (no sort of them all).
            models.Index(fields=["club", "status", "-created_at", "-id"], name="listing_recent"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=ListingKind.values), name="listing_kind_valid"),
            models.CheckConstraint(
                condition=models.Q(category__in=ListingCategory.values), name="listing_category_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(price__isnull=True) | models.Q(price__gte=0), name="listing_price_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(available_until__isnull=True)
                | models.Q(available_from__isnull=True)
                | models.Q(available_until__gte=models.F("available_from")),
                name="listing_availability_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} : {self.title}"

    def save(self, *args, **kwargs):
        from essaim.core.text import fold

        self.search_text = fold(f"{self.title} {self.description}")
        super().save(*args, **kwargs)


class Match(TimeStampedModel):
    """A need and an offer put in touch (by a member or a facilitator): the figures count them."""

    need = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="matches_as_need", verbose_name="besoin")
    offer = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="matches_as_offer", verbose_name="offre")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="par"
    )
    note = models.CharField("message", max_length=500, blank=True)

    class Meta:
        verbose_name = "mise en relation"
        verbose_name_plural = "mises en relation"
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["need", "offer"], name="listing_match_once")]

    def __str__(self):
        return f"{self.need} ↔ {self.offer}"


class CategorySubscription(TimeStampedModel):
    """A person follows a category of the board and gets a weekly digest of what was posted in it."""

    club = models.ForeignKey("club.Club", on_delete=models.CASCADE, related_name="subscriptions", verbose_name="club")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="club_subscriptions", verbose_name="personne"
    )
    category = models.CharField("catégorie", max_length=16, choices=ListingCategory.choices)
    last_digest_at = models.DateTimeField("dernier récapitulatif envoyé le", null=True, blank=True)

    class Meta:
        verbose_name = "abonnement à une catégorie"
        verbose_name_plural = "abonnements aux catégories"
        ordering = ["club", "category"]
        constraints = [
            models.UniqueConstraint(fields=["club", "user", "category"], name="club_subscription_unique"),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_category_display()}"


class SharedItem(TimeStampedModel):
    """A thing a member lends to the others and that can be booked (a meeting room, a van, a projector)."""

    club = models.ForeignKey("club.Club", on_delete=models.CASCADE, related_name="shared_items", verbose_name="club")
    owner = models.ForeignKey(
        "club.Member", on_delete=models.CASCADE, related_name="shared_items", verbose_name="membre qui le prête"
    )
    listing = models.OneToOneField(
        Listing,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="shared_item",
        verbose_name="offre du tableau",
    )
    name = models.CharField("nom", max_length=200)
    category = models.CharField("catégorie", max_length=16, choices=ListingCategory.choices)
    description = models.TextField("description et conditions", blank=True)
    commune = models.ForeignKey(
        "territories.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="commune",
    )
    unit = models.CharField("réservation", max_length=4, choices=BookingUnit.choices, default=BookingUnit.DAY)
    active = models.BooleanField("réservable", default=True)

    class Meta:
        verbose_name = "bien partagé"
        verbose_name_plural = "biens partagés"
        ordering = ["club", "name"]

    def __str__(self):
        return self.name


class ItemBooking(TimeStampedModel):
    """A booking of a shared item for a period [start, end), by a member. Its units are ``ItemBookingUnit`` rows
    (deleted when it is cancelled, so the period is free again)."""

    item = models.ForeignKey(SharedItem, on_delete=models.CASCADE, related_name="bookings", verbose_name="bien")
    member = models.ForeignKey(
        "club.Member", on_delete=models.CASCADE, related_name="item_bookings", verbose_name="membre"
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="réservé par"
    )
    start = models.DateTimeField("début")
    end = models.DateTimeField("fin")
    purpose = models.CharField("pour quoi faire", max_length=300, blank=True)
    status = models.CharField(
        "statut", max_length=10, choices=ItemBookingStatus.choices, default=ItemBookingStatus.CONFIRMED
    )
    cancelled_at = models.DateTimeField("annulée le", null=True, blank=True)

    class Meta:
        verbose_name = "réservation d'un bien"
        verbose_name_plural = "réservations des biens"
        ordering = ["item", "start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="item_booking_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.item} — {self.start:%d/%m/%Y}"


class ItemBookingUnit(TimeStampedModel):
    """One unit (hour or day, in UTC) of a confirmed booking: the database's guard against overlaps."""

    item = models.ForeignKey(SharedItem, on_delete=models.CASCADE, related_name="+", verbose_name="bien")
    booking = models.ForeignKey(
        ItemBooking, on_delete=models.CASCADE, related_name="units", verbose_name="réservation"
    )
    start = models.DateTimeField("début de l'unité")

    class Meta:
        verbose_name = "unité réservée"
        verbose_name_plural = "unités réservées"
        constraints = [models.UniqueConstraint(fields=["item", "start"], name="item_booking_unit_once")]

    def __str__(self):
        return f"{self.item_id} @ {self.start}"


class GroupPurchase(TimeStampedModel):
    """A group purchase: a member proposes, the others join with their quantities until the deadline."""

    club = models.ForeignKey("club.Club", on_delete=models.CASCADE, related_name="purchases", verbose_name="club")
    proposer = models.ForeignKey(
        "club.Member", on_delete=models.CASCADE, related_name="proposed_purchases", verbose_name="membre qui propose"
    )
    listing = models.OneToOneField(
        Listing, on_delete=models.SET_NULL, null=True, blank=True, related_name="purchase", verbose_name="annonce"
    )
    title = models.CharField("achat", max_length=200)
    description = models.TextField("description", blank=True)
    unit_label = models.CharField("unité", max_length=50, default="unité", help_text="ramette, kg, licence…")
    unit_price = models.DecimalField("prix unitaire estimé (€)", max_digits=9, decimal_places=2, null=True, blank=True)
    minimum_quantity = models.PositiveIntegerField("quantité minimale pour commander", null=True, blank=True)
    deadline = models.DateField("participations jusqu'au")
    status = models.CharField("statut", max_length=10, choices=PurchaseStatus.choices, default=PurchaseStatus.OPEN)

    class Meta:
        verbose_name = "achat groupé"
        verbose_name_plural = "achats groupés"
        ordering = ["club", "deadline"]

    def __str__(self):
        return self.title


class PurchaseLine(TimeStampedModel):
    purchase = models.ForeignKey(GroupPurchase, on_delete=models.CASCADE, related_name="lines", verbose_name="achat")
    member = models.ForeignKey(
        "club.Member", on_delete=models.CASCADE, related_name="purchase_lines", verbose_name="membre"
    )
    quantity = models.PositiveIntegerField("quantité")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="par"
    )

    class Meta:
        verbose_name = "participation à un achat groupé"
        verbose_name_plural = "participations aux achats groupés"
        ordering = ["purchase", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["purchase", "member"], name="purchase_line_once_per_member"),
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="purchase_line_quantity_positive"),
        ]

    def __str__(self):
        return f"{self.member} × {self.quantity}"
