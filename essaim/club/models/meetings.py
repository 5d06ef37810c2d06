"""The club's meetings (seed 004: "à un rythme trimestriel … nous invitons un intervenant en fonction de la
thématique retenue"). A meeting **is an agenda event** (``essaim.agenda.models.Event`` with ``members_only``): its
sessions, registrations, check-in and mails are the agenda's; the club adds the theme, the speakers, the agenda of
the day, the minutes (published to members after the meeting), the topics raised and the guests invited."""

import secrets

from django.conf import settings
from django.db import models

from essaim.core.models import TimeStampedModel
from essaim.core.storage import private_file_name, private_storage


def minutes_document_path(instance, filename):
    """A name nobody can guess, in the private storage (outside MEDIA_ROOT): minutes are for members only."""
    return private_file_name("club/minutes", "application/pdf")


class Topic(TimeStampedModel):
    """A subject the club follows over the year (recherche de financements, aide au recrutement…)."""

    club = models.ForeignKey("club.Club", on_delete=models.CASCADE, related_name="topics", verbose_name="club")
    name = models.CharField("sujet", max_length=100)
    slug = models.SlugField("identifiant", max_length=100)

    class Meta:
        verbose_name = "sujet suivi"
        verbose_name_plural = "sujets suivis"
        ordering = ["club", "name"]
        constraints = [models.UniqueConstraint(fields=["club", "slug"], name="club_topic_unique")]

    def __str__(self):
        return self.name


class Meeting(TimeStampedModel):
    club = models.ForeignKey("club.Club", on_delete=models.CASCADE, related_name="meetings", verbose_name="club")
    event = models.OneToOneField(
        "agenda.Event", on_delete=models.CASCADE, related_name="club_meeting", verbose_name="événement de l'agenda"
    )
    theme = models.CharField("thème", max_length=200)
    agenda = models.TextField("ordre du jour", blank=True)
    minutes = models.TextField("compte rendu", blank=True)
    minutes_document = models.FileField(
        "compte rendu (PDF)", upload_to=minutes_document_path, storage=private_storage, max_length=200, blank=True
    )
    minutes_published_at = models.DateTimeField("compte rendu publié le", null=True, blank=True)
    minutes_published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="compte rendu publié par",
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="meetings", verbose_name="sujets abordés")
    host = models.ForeignKey(
        "club.Member",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hosted_meetings",
        verbose_name="structure qui accueille",
    )

    class Meta:
        verbose_name = "rencontre du club"
        verbose_name_plural = "rencontres du club"
        ordering = ["club", "-created_at"]

    def __str__(self):
        return f"{self.club} — {self.theme}"

    @property
    def minutes_published(self):
        return self.minutes_published_at is not None


class Speaker(TimeStampedModel):
    """An invited speaker (*intervenant*) of a meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="speakers", verbose_name="rencontre")
    name = models.CharField("nom", max_length=150)
    organisation = models.CharField("organisme", max_length=200, blank=True)
    subject = models.CharField("intervention", max_length=300, blank=True)

    class Meta:
        verbose_name = "intervenant·e"
        verbose_name_plural = "intervenant·es"
        ordering = ["meeting", "pk"]

    def __str__(self):
        return self.name


class MeetingGuest(TimeStampedModel):
    """A guest a member brings (seed 004: "chaque participant peut amener des membres"): invited by name and e-mail,
    they register to the meeting through the tokenised link of their invitation."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="guests", verbose_name="rencontre")
    name = models.CharField("nom", max_length=150)
    email = models.EmailField("e-mail")
    organisation = models.CharField("structure", max_length=200, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="invité·e par"
    )
    token = models.CharField("jeton", max_length=43, unique=True, default=secrets.token_urlsafe)
    registration = models.ForeignKey(
        "agenda.Registration",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="inscription",
    )

    class Meta:
        verbose_name = "invité·e d'une rencontre"
        verbose_name_plural = "invité·es des rencontres"
        ordering = ["meeting", "name"]
        constraints = [models.UniqueConstraint(fields=["meeting", "email"], name="meeting_guest_once")]

    def __str__(self):
        return f"{self.name} — {self.meeting}"
