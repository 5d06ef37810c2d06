"""Advice slots (*permanences*): what can be booked (``Motif``), when and where each adviser receives
(``OpeningRange``, recurring by an RFC 5545 rule, minus ``Absence``), and the ``Booking`` of one slot.

Free slots are computed (``essaim.support.slots``), never stored one by one: a slot is the pair (opening range,
start). A slot is never booked twice: the partial unique constraint ``booking_one_per_adviser_slot`` (adviser,
start) among the bookings that hold their slot is enforced by the database on SQLite and PostgreSQL, whatever the
code above it does; the opening ranges of one adviser never overlap (checked when a range is saved), and a range's
slots follow its motif's duration from the range's start, so two holding bookings of one adviser never overlap.
"""

import datetime
import uuid

from django.conf import settings
from django.db import models

from essaim.core.models import TimeStampedModel
from essaim.support.enums import (
    HOLDING,
    BookableBy,
    BookingStatus,
    Channel,
    PartnerKind,
    WaitlistStatus,
)
from essaim.support.querysets import BookingQuerySet, MotifQuerySet, OpeningRangeQuerySet


class Partner(TimeStampedModel):
    """An organisation that project holders are referred to (the BGE, the CAE, Pas-de-Calais Actif for the DLA…),
    usually a structure of the directory; its advisers have accounts (``PartnerAdviser``)."""

    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.CASCADE, related_name="support_partners", verbose_name="territoire"
    )
    name = models.CharField("nom", max_length=200)
    kind = models.CharField("type", max_length=10, choices=PartnerKind.choices, default=PartnerKind.OTHER)
    structure = models.ForeignKey(
        "directory.Structure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="support_partnerships",
        verbose_name="structure de l'annuaire",
    )
    description = models.TextField("ce que le partenaire propose", blank=True)
    email = models.EmailField("e-mail de contact", blank=True)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    active = models.BooleanField("actif", default=True)

    class Meta:
        verbose_name = "partenaire"
        verbose_name_plural = "partenaires"
        ordering = ["territory", "name"]
        constraints = [models.UniqueConstraint(fields=["territory", "name"], name="partner_unique_name")]

    def __str__(self):
        return self.name


class PartnerAdviser(TimeStampedModel):
    """A person who answers for a partner: sees the projects referred to it and moves their referrals."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="advisers", verbose_name="partenaire")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="partner_adviserships",
        verbose_name="conseiller·ère",
    )

    class Meta:
        verbose_name = "conseiller·ère d'un partenaire"
        verbose_name_plural = "conseillers des partenaires"
        constraints = [models.UniqueConstraint(fields=["partner", "user"], name="partner_adviser_unique")]

    def __str__(self):
        return f"{self.user} ({self.partner})"


class Motif(TimeStampedModel):
    """What a person books: « Premier rendez-vous création », « Point financement »… with its length, its channel,
    who may book it and how long before the slot (RDV Service Public's *motif*)."""

    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.CASCADE, related_name="support_motifs", verbose_name="territoire"
    )
    title = models.CharField("intitulé", max_length=150)
    slug = models.SlugField("adresse", max_length=80)
    description = models.TextField("description", blank=True, help_text="Pour qui, pour quoi, ce qu'il faut apporter.")
    duration_minutes = models.PositiveSmallIntegerField("durée (minutes)", default=45)
    channel = models.CharField("modalité", max_length=10, choices=Channel.choices, default=Channel.IN_PERSON)
    bookable_by = models.CharField(
        "qui peut réserver", max_length=10, choices=BookableBy.choices, default=BookableBy.ANYONE
    )
    min_delay_hours = models.PositiveSmallIntegerField(
        "délai minimal (heures)", default=24, help_text="On ne réserve pas un créneau qui commence plus tôt."
    )
    max_delay_days = models.PositiveSmallIntegerField(
        "délai maximal (jours)", default=60, help_text="On ne réserve pas un créneau plus lointain."
    )
    active = models.BooleanField("proposé", default=True)

    objects = MotifQuerySet.as_manager()

    class Meta:
        verbose_name = "motif de rendez-vous"
        verbose_name_plural = "motifs de rendez-vous"
        ordering = ["territory", "title"]
        constraints = [
            models.UniqueConstraint(fields=["territory", "slug"], name="motif_unique_slug"),
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gte=5, duration_minutes__lte=480), name="motif_duration_range"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def duration(self) -> datetime.timedelta:
        return datetime.timedelta(minutes=self.duration_minutes)


class OpeningRange(TimeStampedModel):
    """When and where an adviser (an officer or a partner's adviser) receives for a motif: a first day, hours, and an
    RFC 5545 rule (``essaim.core.recurrence``, shared with the agenda) with its excluded days. Blank rule: one day."""

    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.CASCADE, related_name="opening_ranges", verbose_name="territoire"
    )
    adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="opening_ranges",
        verbose_name="conseiller·ère",
    )
    motif = models.ForeignKey(Motif, on_delete=models.CASCADE, related_name="opening_ranges", verbose_name="motif")
    venue = models.ForeignKey(
        "agenda.Venue",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opening_ranges",
        verbose_name="lieu",
        help_text="Obligatoire pour un rendez-vous sur place.",
    )
    first_day = models.DateField("premier jour")
    start_time = models.TimeField("de")
    end_time = models.TimeField("à")
    rule = models.CharField("règle de répétition (RFC 5545)", max_length=300, blank=True)
    exdates = models.JSONField("jours exclus", default=list, blank=True)
    active = models.BooleanField("ouverte", default=True)

    objects = OpeningRangeQuerySet.as_manager()

    class Meta:
        verbose_name = "plage d'ouverture"
        verbose_name_plural = "plages d'ouverture"
        ordering = ["territory", "first_day", "start_time", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_time__gt=models.F("start_time")), name="opening_range_ends_after"
            ),
        ]

    def __str__(self):
        return (
            f"{self.motif} — {self.adviser} ({self.first_day:%d/%m/%Y} {self.start_time:%H:%M}-{self.end_time:%H:%M})"
        )


class Absence(TimeStampedModel):
    """An adviser away (leave, training), or, with no adviser, the whole service closed (a bridge day). French public
    holidays need no row: slots skip them."""

    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.CASCADE, related_name="support_absences", verbose_name="territoire"
    )
    adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="support_absences",
        verbose_name="conseiller·ère",
        help_text="Laissez vide pour une fermeture de tout le service.",
    )
    starts_at = models.DateTimeField("du")
    ends_at = models.DateTimeField("au")
    reason = models.CharField("motif", max_length=150, blank=True)

    class Meta:
        verbose_name = "absence"
        verbose_name_plural = "absences"
        ordering = ["territory", "starts_at"]
        indexes = [models.Index(fields=["territory", "ends_at"], name="absence_territory_end")]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="absence_ends_after"),
        ]

    def __str__(self):
        return f"{self.adviser or 'Service fermé'} : {self.starts_at:%d/%m/%Y} – {self.ends_at:%d/%m/%Y}"


class Invitation(TimeStampedModel):
    """The right to book a motif that is not open to all, sent by mail to one person by an officer or by the partner
    who referred them; used once."""

    territory = models.ForeignKey(
        "territories.Territory",
        on_delete=models.CASCADE,
        related_name="support_invitations",
        verbose_name="territoire",
    )
    motif = models.ForeignKey(Motif, on_delete=models.CASCADE, related_name="invitations", verbose_name="motif")
    name = models.CharField("nom", max_length=150)
    email = models.EmailField("e-mail")
    token = models.CharField("jeton", max_length=64, unique=True, editable=False)
    partner = models.ForeignKey(
        Partner,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name="orienté·e par",
    )
    project = models.ForeignKey(
        "support.Project",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name="projet",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="envoyée par"
    )
    expires_at = models.DateTimeField("valable jusqu'au")
    used_at = models.DateTimeField("utilisée le", null=True, blank=True)

    class Meta:
        verbose_name = "invitation à réserver"
        verbose_name_plural = "invitations à réserver"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} — {self.motif}"


class Booking(TimeStampedModel):
    """One booked slot, made without an account: a name, an e-mail (phone optional), the project in a few lines and
    the person's consent. Its ``token`` is the secret of the links in its mails (cancel, move, waiting list).

    Created, moved and cancelled only through ``essaim.support.services``; the database refuses a second holding
    booking of one adviser at one start (``booking_one_per_adviser_slot``)."""

    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.PROTECT, related_name="support_bookings", verbose_name="territoire"
    )
    motif = models.ForeignKey(Motif, on_delete=models.PROTECT, related_name="bookings", verbose_name="motif")
    adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="support_bookings",
        verbose_name="conseiller·ère",
    )
    opening_range = models.ForeignKey(
        OpeningRange,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bookings",
        verbose_name="plage d'ouverture",
    )
    venue = models.ForeignKey(
        "agenda.Venue", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="lieu"
    )
    channel = models.CharField("modalité", max_length=10, choices=Channel.choices)
    starts_at = models.DateTimeField("début")
    ends_at = models.DateTimeField("fin")
    status = models.CharField("état", max_length=10, choices=BookingStatus.choices, default=BookingStatus.BOOKED)
    name = models.CharField("nom", max_length=150)
    email = models.EmailField("e-mail")
    phone = models.CharField("téléphone", max_length=30, blank=True)
    message = models.TextField("le projet en quelques lignes", blank=True)
    consent_at = models.DateTimeField("consentement donné le", null=True, blank=True)
    token = models.UUIDField("jeton des liens", default=uuid.uuid4, unique=True, editable=False)
    source = models.CharField("canal", max_length=10, default="web", help_text="web, api ou service")
    invitation = models.ForeignKey(
        Invitation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bookings",
        verbose_name="invitation",
    )
    project = models.ForeignKey(
        "support.Project",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bookings",
        verbose_name="projet",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="réservé par",
        help_text="Vide quand la personne a réservé elle-même.",
    )
    moved_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="déplacé depuis"
    )
    reminder_sent_at = models.DateTimeField("rappel envoyé le", null=True, blank=True)
    status_changed_at = models.DateTimeField("état changé le", null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="état changé par",
    )
    cancel_reason = models.CharField("motif de l'annulation", max_length=250, blank=True)
    anonymised_at = models.DateTimeField("anonymisée le", null=True, blank=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = "rendez-vous"
        verbose_name_plural = "rendez-vous"
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["territory", "starts_at"], name="booking_territory_start"),
            models.Index(fields=["adviser", "starts_at"], name="booking_adviser_start"),
            models.Index(fields=["email"], name="booking_email"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["adviser", "starts_at"],
                condition=models.Q(status__in=HOLDING),
                name="booking_one_per_adviser_slot",
            ),
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="booking_ends_after"),
            models.CheckConstraint(condition=models.Q(status__in=BookingStatus.values), name="booking_status_valid"),
        ]

    def __str__(self):
        from django.utils import timezone

        return f"{self.motif} — {timezone.localtime(self.starts_at):%d/%m/%Y %H:%M} ({self.name})"

    @property
    def holds_slot(self) -> bool:
        return self.status in HOLDING


class WaitlistEntry(TimeStampedModel):
    """A person who would take an earlier slot of a motif: when a slot frees before ``before``, it is offered to the
    first person waiting, who takes it by the mail's link while the offer lasts."""

    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.CASCADE, related_name="support_waitlist", verbose_name="territoire"
    )
    motif = models.ForeignKey(Motif, on_delete=models.CASCADE, related_name="waitlist", verbose_name="motif")
    booking = models.ForeignKey(
        Booking,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="waitlist_entries",
        verbose_name="rendez-vous à avancer",
    )
    name = models.CharField("nom", max_length=150)
    email = models.EmailField("e-mail")
    before = models.DateTimeField("un créneau avant le")
    status = models.CharField("état", max_length=10, choices=WaitlistStatus.choices, default=WaitlistStatus.WAITING)
    token = models.UUIDField("jeton des liens", default=uuid.uuid4, unique=True, editable=False)
    offered_range = models.ForeignKey(
        OpeningRange, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="plage proposée"
    )
    offered_start = models.DateTimeField("créneau proposé", null=True, blank=True)
    offer_expires_at = models.DateTimeField("offre valable jusqu'au", null=True, blank=True)

    class Meta:
        verbose_name = "demande d'un créneau plus tôt"
        verbose_name_plural = "demandes de créneaux plus tôt"
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["motif", "status", "created_at"], name="waitlist_motif_status")]

    def __str__(self):
        return f"{self.name} — {self.motif}"


class SupportPeriod(TimeStampedModel):
    """A time when support is put forward on one public page, e.g. the *quinzaine de l'initiative* of the Mois de
    l'ESS (seed 000): its permanences (motifs) and its workshops, which stay agenda events."""

    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.CASCADE, related_name="support_periods", verbose_name="territoire"
    )
    campaign = models.ForeignKey(
        "agenda.Campaign",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="support_periods",
        verbose_name="campagne",
    )
    title = models.CharField("titre", max_length=200)
    slug = models.SlugField("adresse", max_length=80)
    intro = models.TextField("présentation", blank=True)
    starts_on = models.DateField("du")
    ends_on = models.DateField("au")
    motifs = models.ManyToManyField(Motif, blank=True, related_name="periods", verbose_name="permanences")
    workshops = models.ManyToManyField(
        "agenda.Event", blank=True, related_name="support_periods", verbose_name="ateliers"
    )

    class Meta:
        verbose_name = "temps fort de l'accompagnement"
        verbose_name_plural = "temps forts de l'accompagnement"
        ordering = ["territory", "-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["territory", "slug"], name="support_period_unique_slug"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="support_period_ends_after"
            ),
        ]

    def __str__(self):
        return self.title


class AdviserFeed(TimeStampedModel):
    """The secret address of an adviser's bookings as an ICS feed (to subscribe from any calendar); renewing it
    revokes the old address."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="support_feeds", verbose_name="personne"
    )
    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.CASCADE, related_name="+", verbose_name="territoire"
    )
    token = models.CharField("jeton", max_length=64, unique=True, editable=False)

    class Meta:
        verbose_name = "flux iCalendar d'un·e conseiller·ère"
        verbose_name_plural = "flux iCalendar des conseillers"
        constraints = [models.UniqueConstraint(fields=["user", "territory"], name="adviser_feed_unique")]

    def __str__(self):
        return f"{self.user} — {self.territory}"
