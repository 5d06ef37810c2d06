"""The agenda: campaigns (the Mois de l'ESS), venues, events with their sessions, and registrations.

Writes go through ``essaim.agenda.services`` (registrations, which lock) and ``essaim.agenda.workflow``
(publication); reads chain through ``essaim.agenda.querysets``.
"""

import datetime
import uuid

from django.conf import settings
from django.core.validators import FileExtensionValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from essaim.agenda.enums import (
    AttendanceMode,
    Audience,
    EventStatus,
    EventType,
    Publication,
    RegistrationMode,
    RegistrationStatus,
)
from essaim.agenda.querysets import EventQuerySet, RegistrationQuerySet, SessionQuerySet
from essaim.core.fields import URLField
from essaim.core.models import TimeStampedModel
from essaim.core.text import fold
from essaim.territories.validators import validate_image_size

IMAGE_VALIDATORS = [FileExtensionValidator(["png", "jpg", "jpeg", "webp"]), validate_image_size]


class Campaign(TimeStampedModel):
    """A territory's campaign of events over a period, such as the Mois de l'ESS every November."""

    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.PROTECT, related_name="campaigns", verbose_name="territoire"
    )
    slug = models.SlugField("identifiant", max_length=80, unique=True)
    name = models.CharField("nom", max_length=200)
    start_date = models.DateField("premier jour")
    end_date = models.DateField("dernier jour")
    presentation = models.TextField("présentation", blank=True)
    contact_info = models.CharField(
        "renseignements",
        max_length=300,
        blank=True,
        help_text="Imprimé sur le programme, par exemple « Direction du développement économique : 03 21 61 49 04 ».",
    )
    image = models.ImageField("image", upload_to="agenda/campaigns/", blank=True, validators=IMAGE_VALIDATORS)
    image_alt = models.CharField("texte alternatif de l'image", max_length=200, blank=True)
    is_published = models.BooleanField("publiée", default=True)
    call_deadline = models.DateTimeField(
        "date limite de l'appel à contributions",
        null=True,
        blank=True,
        help_text="Laissée vide : pas d'appel ouvert. Après cette date, les propositions sont refusées.",
    )
    call_text = models.TextField(
        "appel à contributions",
        blank=True,
        help_text="Ce que vous attendez des structures (thèmes, formats, publics).",
    )
    rolled_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rolled_copies",
        verbose_name="reconduite de",
    )

    class Meta:
        verbose_name = "campagne"
        verbose_name_plural = "campagnes"
        ordering = ["-start_date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="campaign_ends_after_it_starts"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("agenda:campaign", kwargs={"slug": self.slug})

    def call_is_open(self, now=None) -> bool:
        """Whether structures may still propose events to the campaign (a call with a deadline not passed)."""
        return self.call_deadline is not None and (now or timezone.now()) <= self.call_deadline


class Venue(TimeStampedModel):
    """A place where events happen, kept per territory and reused from one event to the next."""

    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.PROTECT, related_name="venues", verbose_name="territoire"
    )
    name = models.CharField("nom du lieu", max_length=200)
    address = models.CharField("adresse", max_length=250, blank=True)
    postcode = models.CharField("code postal", max_length=5, blank=True)
    commune = models.ForeignKey(
        "territories.Commune", on_delete=models.PROTECT, related_name="venues", verbose_name="commune"
    )
    lat = models.FloatField("latitude", null=True, blank=True)
    lon = models.FloatField("longitude", null=True, blank=True)
    coordinates_approximate = models.BooleanField(
        "coordonnées approximatives", default=False, help_text="Cochez si le point est le centre de la commune."
    )
    access_notes = models.TextField("accès", blank=True, help_text="Transports, stationnement, entrée.")
    accessibility = models.TextField("accessibilité", blank=True, help_text="Fauteuil roulant, boucle magnétique…")

    class Meta:
        verbose_name = "lieu"
        verbose_name_plural = "lieux"
        ordering = ["territory", "name"]
        constraints = [
            models.UniqueConstraint(fields=["territory", "name", "commune"], name="venue_unique_per_territory"),
            models.CheckConstraint(
                condition=models.Q(lat__isnull=True) | models.Q(lat__gte=-90, lat__lte=90), name="venue_lat_range"
            ),
            models.CheckConstraint(
                condition=models.Q(lon__isnull=True) | models.Q(lon__gte=-180, lon__lte=180),
                name="venue_lon_range",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.commune.name})"

    @property
    def one_line(self):
        """« Maison de la poésie, Beuvry » or « Marché de l'Agora, rue du Périgord, 62700 Bruay-la-Buissière »."""
        parts = [self.name, self.address, f"{self.postcode} {self.commune.name}".strip()]
        return ", ".join(p for p in parts if p)

    @property
    def has_coordinates(self):
        return self.lat is not None and self.lon is not None


class Event(TimeStampedModel):
    """Something that happens on the territory, at one or several sessions, in a venue and/or online."""

    MAX_QUESTIONS = 5

    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.PROTECT, related_name="events", verbose_name="territoire"
    )
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name="campagne",
    )
    title = models.CharField("titre", max_length=200)
    summary = models.CharField("résumé", max_length=300, blank=True)
    description = models.TextField("description", blank=True)
    event_type = models.CharField("type", max_length=20, choices=EventType.choices, default=EventType.RENCONTRE)
    themes = models.ManyToManyField("directory.Sector", blank=True, related_name="events", verbose_name="thèmes")
    organisers = models.ManyToManyField(
        "directory.Structure", blank=True, related_name="organised_events", verbose_name="organisateurs"
    )
    partners = models.ManyToManyField(
        "directory.Structure", blank=True, related_name="partnered_events", verbose_name="partenaires"
    )
    other_organisers = models.CharField(
        "autres organisateurs",
        max_length=300,
        blank=True,
        help_text="Organisateurs absents de l'annuaire, séparés par des virgules.",
    )
    venue = models.ForeignKey(
        Venue, on_delete=models.PROTECT, null=True, blank=True, related_name="events", verbose_name="lieu"
    )
    attendance_mode = models.CharField(
        "participation", max_length=10, choices=AttendanceMode.choices, default=AttendanceMode.IN_PERSON
    )
    online_url = URLField("lien de participation en ligne", blank=True)
    status = models.CharField("statut", max_length=15, choices=EventStatus.choices, default=EventStatus.SCHEDULED)
    status_message = models.CharField(
        "message sur le statut", max_length=300, blank=True, help_text="Par exemple : « reporté au printemps »."
    )
    price = models.DecimalField(
        "prix (€)", max_digits=8, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    price_note = models.CharField("précisions sur le prix", max_length=200, blank=True)
    image = models.ImageField("image", upload_to="agenda/events/", blank=True, validators=IMAGE_VALIDATORS)
    image_alt = models.CharField("texte alternatif de l'image", max_length=200, blank=True)

    registration_mode = models.CharField(
        "inscription", max_length=10, choices=RegistrationMode.choices, default=RegistrationMode.NONE
    )
    registration_url = URLField("lien d'inscription externe", blank=True)
    registration_deadline = models.DateTimeField("date limite d'inscription", null=True, blank=True)
    waitlist_enabled = models.BooleanField("liste d'attente", default=True)
    questions = models.JSONField(
        "questions aux inscrits", default=list, blank=True, help_text="Quelques questions posées à l'inscription."
    )

    publication = models.CharField(
        "publication", max_length=10, choices=Publication.choices, default=Publication.DRAFT
    )
    published_at = models.DateTimeField("publié le", null=True, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposed_events",
        verbose_name="proposé par",
    )
    proposer_email = models.EmailField("e-mail de la personne qui propose", blank=True)
    proposer_structure = models.CharField("structure qui propose", max_length=200, blank=True)
    structure = models.ForeignKey(
        "directory.Structure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposed_agenda_events",
        verbose_name="structure de l'annuaire qui propose",
    )
    rolled_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rolled_copies",
        verbose_name="reconduit de",
    )
    moderation_note = models.TextField("message de modération", blank=True)
    members_only = models.BooleanField(
        "réservé aux membres d'un club",
        default=False,
        help_text="Une rencontre du Club : absente de l'agenda public, des flux, de l'API et de la recherche ; "
        "visible et ouverte à l'inscription pour les membres du club et leurs invité·es.",
    )
    search_text = models.TextField("texte de recherche", blank=True, editable=False)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = "événement"
        verbose_name_plural = "événements"
        ordering = ["title"]
        indexes = [models.Index(fields=["publication", "territory"], name="event_publication_territory")]
        constraints = [
            models.CheckConstraint(condition=models.Q(price__gte=0), name="event_price_not_negative"),
            models.CheckConstraint(condition=models.Q(event_type__in=EventType.values), name="event_type_valid"),
            models.CheckConstraint(
                condition=models.Q(publication__in=Publication.values), name="event_publication_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(registration_mode=RegistrationMode.EXTERNAL) | ~models.Q(registration_url=""),
                name="event_external_registration_has_url",
            ),
            models.UniqueConstraint(
                fields=["campaign", "rolled_from"],
                condition=models.Q(rolled_from__isnull=False),
                name="event_rolled_once_per_campaign",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        venue = f"{self.venue.name} {self.venue.commune.name}" if self.venue_id else ""
        self.search_text = fold(" ".join([self.title, self.summary, self.description, self.other_organisers, venue]))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        """The public page; a members-only event has none: its link (mails, « Mon espace ») is the club's page of the
        meeting (the reverse relation ``club_meeting``, read without importing the club)."""
        if self.members_only:
            meeting = getattr(self, "club_meeting", None)
            if meeting is not None:
                return reverse("club:meeting", kwargs={"club": meeting.club.slug, "pk": meeting.pk})
        return reverse("agenda:event", kwargs={"pk": self.pk})

    @property
    def is_published(self):
        return self.publication == Publication.PUBLISHED

    @property
    def is_free(self):
        return not self.price

    @property
    def registers_here(self):
        return self.registration_mode == RegistrationMode.HERE

    @property
    def is_online(self):
        return self.attendance_mode in (AttendanceMode.ONLINE, AttendanceMode.MIXED)

    @property
    def is_in_person(self):
        return self.attendance_mode in (AttendanceMode.IN_PERSON, AttendanceMode.MIXED)

    @property
    def audience_values(self):
        return [row.audience for row in self.audience_rows.all()]

    @property
    def audience_labels(self):
        labels = dict(Audience.choices)
        return [labels[v] for v in self.audience_values if v in labels]

    @property
    def other_organiser_names(self):
        return [name.strip() for name in self.other_organisers.split(",") if name.strip()]

    def organiser_names(self):
        """Organisers from the directory, then the others typed by hand."""
        return [s.display_name for s in self.organisers.all()] + self.other_organiser_names


class EventAudience(TimeStampedModel):
    """One audience an event is for (grand public, professionnels…): a row per audience, so that the filter is a
    plain indexed join on SQLite and PostgreSQL alike."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="audience_rows", verbose_name="événement")
    audience = models.CharField("public", max_length=20, choices=Audience.choices)

    class Meta:
        verbose_name = "public d'un événement"
        verbose_name_plural = "publics des événements"
        ordering = ["event", "audience"]
        constraints = [
            models.UniqueConstraint(fields=["event", "audience"], name="event_audience_unique"),
            models.CheckConstraint(condition=models.Q(audience__in=Audience.values), name="event_audience_valid"),
        ]

    def __str__(self):
        return f"{self.event} — {self.get_audience_display()}"


class SessionSeries(TimeStampedModel):
    """Sessions that repeat by an RFC 5545 rule (a monthly café citoyen, a weekly permanence): the rule, its first
    occurrence (``DTSTART``), the length of each, the days left out (``EXDATE``) and the seats of each occurrence.

    Its occurrences are materialised as ``Session`` rows (``series``, ``occurrence``) up to a horizon, so that a
    person registers to one occurrence with its own seats, counted under the session's row lock like any other;
    ``essaim.agenda.services.series_sync`` keeps them in step with the rule. The feeds export the series as such
    (one VEVENT with RRULE and EXDATE)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="series", verbose_name="événement")
    label = models.CharField("intitulé des séances", max_length=150, blank=True)
    rule = models.CharField("règle de répétition (RFC 5545)", max_length=300)
    start = models.DateTimeField("première séance")
    duration = models.DurationField("durée de chaque séance")
    exdates = models.JSONField("jours exclus", default=list, blank=True)
    capacity = models.PositiveIntegerField(
        "places par séance", null=True, blank=True, help_text="Laissez vide s'il n'y a pas de limite."
    )
    uid = models.UUIDField("identifiant iCalendar", default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = "série de séances"
        verbose_name_plural = "séries de séances"
        ordering = ["start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration__gt=datetime.timedelta(0)), name="series_duration_positive"
            ),
        ]

    def __str__(self):
        return f"{self.event.title} — {self.describe()}"

    def describe(self) -> str:
        from essaim.core.recurrence import describe

        return describe(self.rule, self.start, self.exdates)


class Session(TimeStampedModel):
    """One occurrence of an event: a start and an end (stored in UTC, shown in Europe/Paris) and its seats."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions", verbose_name="événement")
    label = models.CharField("intitulé de la séance", max_length=150, blank=True)
    start = models.DateTimeField("début")
    end = models.DateTimeField("fin")
    capacity = models.PositiveIntegerField(
        "places", null=True, blank=True, help_text="Laissez vide s'il n'y a pas de limite."
    )
    attendance_count = models.PositiveIntegerField("participants comptés", null=True, blank=True)
    uid = models.UUIDField("identifiant iCalendar", default=uuid.uuid4, unique=True, editable=False)
    series = models.ForeignKey(
        SessionSeries,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="occurrences",
        verbose_name="série",
    )
    occurrence = models.DateTimeField(
        "occurrence de la série", null=True, blank=True, help_text="L'instant prévu par la règle (RECURRENCE-ID)."
    )

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = "séance"
        verbose_name_plural = "séances"
        ordering = ["start", "pk"]
        indexes = [
            models.Index(fields=["start"], name="session_start"),
            models.Index(fields=["end"], name="session_end"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="session_ends_after_it_starts"),
            models.UniqueConstraint(
                fields=["series", "occurrence"],
                condition=models.Q(series__isnull=False),
                name="session_one_per_occurrence",
            ),
        ]

    def __str__(self):
        local = timezone.localtime(self.start)
        return f"{self.event.title} — {local:%d/%m/%Y %H:%M}"

    def get_absolute_url(self):
        return self.event.get_absolute_url() + f"#seance-{self.pk}"

    @property
    def is_past(self):
        return self.end < timezone.now()

    @property
    def has_started(self):
        return self.start <= timezone.now()

    def seats_left(self, confirmed_count: int):
        """Seats still free, or None when the session has no limit."""
        if self.capacity is None:
            return None
        return max(self.capacity - confirmed_count, 0)


class Registration(TimeStampedModel):
    """A person registered to a session, with no account: a name and an e-mail (phone optional).

    Created, cancelled and promoted only through ``essaim.agenda.services``, which lock the session row.
    """

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="registrations", verbose_name="séance")
    name = models.CharField("nom", max_length=150)
    email = models.EmailField("e-mail")
    phone = models.CharField("téléphone", max_length=30, blank=True)
    answers = models.JSONField("réponses aux questions", default=dict, blank=True)
    status = models.CharField("état", max_length=10, choices=RegistrationStatus.choices)
    consent_at = models.DateTimeField("consentement donné le", null=True, blank=True)
    source = models.CharField("canal", max_length=10, default="web", help_text="web ou api")
    promoted_at = models.DateTimeField("sortie de la liste d'attente le", null=True, blank=True)
    cancelled_at = models.DateTimeField("annulée le", null=True, blank=True)
    checked_in_at = models.DateTimeField("présence pointée le", null=True, blank=True)
    anonymised_at = models.DateTimeField("anonymisée le", null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = "inscription"
        verbose_name_plural = "inscriptions"
        ordering = ["session", "created_at", "pk"]
        indexes = [
            models.Index(fields=["session", "status"], name="registration_session_status"),
            # "Mon espace" and the RGPD export find a person's registrations by their (lower-cased) address.
            models.Index(fields=["email"], name="registration_email"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=RegistrationStatus.values), name="registration_status_valid"
            ),
            models.UniqueConstraint(
                fields=["session", "email"],
                condition=models.Q(status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED]),
                name="registration_one_active_per_email_and_session",
            ),
            models.CheckConstraint(
                condition=models.Q(checked_in_at__isnull=True) | models.Q(status=RegistrationStatus.CONFIRMED),
                name="registration_only_confirmed_check_in",
            ),
        ]

    def __str__(self):
        return f"{self.name} — {self.session}"

    @property
    def is_confirmed(self):
        return self.status == RegistrationStatus.CONFIRMED

    @property
    def is_waitlisted(self):
        return self.status == RegistrationStatus.WAITLISTED

    @property
    def is_cancelled(self):
        return self.status == RegistrationStatus.CANCELLED


class EventTransition(TimeStampedModel):
    """The log of the publication workflow: one row per transition, who made it and why."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="transitions", verbose_name="événement")
    name = models.CharField("transition", max_length=20)
    from_state = models.CharField("état de départ", max_length=10, choices=Publication.choices)
    to_state = models.CharField("état d'arrivée", max_length=10, choices=Publication.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="par",
    )
    note = models.TextField("note", blank=True)

    class Meta:
        verbose_name = "transition d'un événement"
        verbose_name_plural = "transitions des événements"
        ordering = ["event", "created_at", "pk"]

    def __str__(self):
        return f"{self.event} : {self.from_state} → {self.to_state}"


class SessionMessage(TimeStampedModel):
    """A message an organiser sent by mail to everyone registered to a session (kept as a record of what was
    said to whom)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="messages", verbose_name="séance")
    subject = models.CharField("objet", max_length=200)
    body = models.TextField("message")
    include_waitlist = models.BooleanField("aussi aux personnes en liste d'attente", default=False)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="envoyé par",
    )
    recipients_count = models.PositiveIntegerField("nombre de destinataires", default=0)

    class Meta:
        verbose_name = "message aux inscrits"
        verbose_name_plural = "messages aux inscrits"
        ordering = ["session", "-created_at"]

    def __str__(self):
        return self.subject
