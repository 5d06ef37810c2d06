"""Good practices (seed 004: "l'échange de bonnes pratiques"; fiche 6: "identifier des pratiques, échanger sur
les expériences"): short sheets written by members, reviewed by a facilitator before publication."""

from django.conf import settings
from django.db import models

from essaim.club.enums import PracticeStatus
from essaim.core.models import TimeStampedModel


class PracticeSheet(TimeStampedModel):
    club = models.ForeignKey("club.Club", on_delete=models.CASCADE, related_name="practices", verbose_name="club")
    member = models.ForeignKey(
        "club.Member", on_delete=models.CASCADE, related_name="practices", verbose_name="membre"
    )
    title = models.CharField("titre", max_length=200)
    what = models.TextField("la pratique")
    for_whom = models.TextField("pour qui", blank=True)
    how = models.TextField("comment faire", blank=True)
    results = models.TextField("résultats", blank=True)
    contact = models.CharField("contact", max_length=200, blank=True)
    sectors = models.ManyToManyField(
        "directory.Sector", blank=True, related_name="club_practices", verbose_name="secteurs"
    )
    topics = models.ManyToManyField("club.Topic", blank=True, related_name="practices", verbose_name="sujets")
    status = models.CharField("statut", max_length=10, choices=PracticeStatus.choices, default=PracticeStatus.DRAFT)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="écrite par"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="relue par",
    )
    review_note = models.TextField("remarques de la relecture", blank=True)
    published_at = models.DateTimeField("publiée le", null=True, blank=True)
    search_text = models.TextField("texte de recherche", blank=True, editable=False)

    class Meta:
        verbose_name = "fiche pratique"
        verbose_name_plural = "fiches pratiques"
        ordering = ["-published_at", "-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=PracticeStatus.values), name="practice_status_valid"),
            models.CheckConstraint(
                condition=~models.Q(status=PracticeStatus.PUBLISHED) | models.Q(published_at__isnull=False),
                name="practice_published_has_date",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        from essaim.core.text import fold

        self.search_text = fold(" ".join([self.title, self.what, self.for_whom, self.how, self.results]))
        super().save(*args, **kwargs)

    @property
    def is_published(self):
        return self.status == PracticeStatus.PUBLISHED
