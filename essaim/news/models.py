"""News items of a territory, their tags, and its newsletter: subscribers (double opt-in), issues and deliveries."""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.functional import cached_property

from essaim.agenda.models import IMAGE_VALIDATORS
from essaim.core.models import TimeStampedModel
from essaim.news.enums import DeliveryStatus, IssueStatus, NewsStatus
from essaim.news.querysets import NewsItemQuerySet, SubscriberQuerySet


def new_token() -> str:
    return secrets.token_urlsafe(32)


class Tag(TimeStampedModel):
    """A word that groups a territory's news (« Mois de l'ESS », « circuits courts »). One list per territory, grown
    by its officers as they write: each territory's themes differ, and a closed national list would not fit them."""

    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.CASCADE, related_name="news_tags", verbose_name="territoire"
    )
    name = models.CharField("nom", max_length=60)
    slug = models.SlugField("identifiant", max_length=80)

    class Meta:
        verbose_name = "étiquette"
        verbose_name_plural = "étiquettes"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["territory", "slug"], name="news_tag_unique_slug")]

    def __str__(self):
        return self.name


class NewsItem(TimeStampedModel):
    """A short dated news item of a territory, written in Markdown, published by its ESS team."""

    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.PROTECT, related_name="news_items", verbose_name="territoire"
    )
    title = models.CharField("titre", max_length=200)
    slug = models.SlugField("identifiant", max_length=100, unique=True)
    published_on = models.DateField("date de publication")
    summary = models.CharField("résumé", max_length=400)
    body = models.TextField("texte", blank=True, help_text="En Markdown.")
    image = models.ImageField("image", upload_to="news/", blank=True, validators=IMAGE_VALIDATORS)
    image_alt = models.CharField("texte alternatif de l'image", max_length=200, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="items", verbose_name="étiquettes")
    structures = models.ManyToManyField(
        "directory.Structure", blank=True, related_name="news_items", verbose_name="structures citées"
    )
    events = models.ManyToManyField(
        "agenda.Event", blank=True, related_name="news_items", verbose_name="événements liés"
    )
    status = models.CharField("statut", max_length=10, choices=NewsStatus.choices, default=NewsStatus.DRAFT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="news_items",
        verbose_name="auteur·rice",
    )
    search_text = models.TextField("texte de recherche", blank=True, editable=False)

    objects = NewsItemQuerySet.as_manager()

    class Meta:
        verbose_name = "actualité"
        verbose_name_plural = "actualités"
        ordering = ["-published_on", "-pk"]
        indexes = [models.Index(fields=["territory", "status", "published_on"], name="news_item_public")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(image="") | ~models.Q(image_alt=""), name="news_item_image_has_alt"
            ),
            models.CheckConstraint(condition=models.Q(status__in=NewsStatus.values), name="news_item_status_valid"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("news:detail", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.status == NewsStatus.PUBLISHED

    @cached_property
    def body_html(self) -> str:
        from essaim.news.markdown import render_markdown

        return render_markdown(self.body)


class Subscriber(TimeStampedModel):
    """An address subscribed to a territory's newsletter: the address, the consent given (its text and date) and, once
    the link mailed to it is followed, the date of confirmation (double opt-in). Nothing else is kept; an address
    that unsubscribes is deleted, and one never confirmed is deleted after ``ESSAIM_NEWSLETTER_CONFIRM_DAYS``."""

    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.CASCADE, related_name="subscribers", verbose_name="territoire"
    )
    email = models.EmailField("adresse électronique", max_length=254)
    consent_text = models.TextField("texte du consentement")
    consented_at = models.DateTimeField("consentement donné le")
    confirmed_at = models.DateTimeField("confirmée le", null=True, blank=True)
    token = models.CharField("jeton", max_length=64, unique=True, default=new_token, editable=False)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        verbose_name = "abonné·e"
        verbose_name_plural = "abonné·es"
        constraints = [models.UniqueConstraint(fields=["territory", "email"], name="news_subscriber_unique")]

    def __str__(self):
        return self.email


class Issue(TimeStampedModel):
    """An issue of a territory's newsletter: an introduction, chosen news items and upcoming events; sent once, in
    batches, by the worker."""

    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.PROTECT, related_name="newsletter_issues", verbose_name="territoire"
    )
    subject = models.CharField("objet", max_length=200)
    introduction = models.TextField("introduction", blank=True, help_text="En Markdown.")
    items = models.ManyToManyField(NewsItem, blank=True, related_name="issues", verbose_name="actualités")
    events = models.ManyToManyField(
        "agenda.Event", blank=True, related_name="newsletter_issues", verbose_name="événements"
    )
    status = models.CharField("statut", max_length=10, choices=IssueStatus.choices, default=IssueStatus.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="newsletter_issues",
        verbose_name="rédigée par",
    )
    queued_at = models.DateTimeField("mise en file le", null=True, blank=True)
    sent_at = models.DateTimeField("envoyée le", null=True, blank=True)
    recipients_count = models.PositiveIntegerField("destinataires", default=0)
    sent_count = models.PositiveIntegerField("envoyés", default=0)
    failed_count = models.PositiveIntegerField("échecs", default=0)

    class Meta:
        verbose_name = "lettre d'information"
        verbose_name_plural = "lettres d'information"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=IssueStatus.values), name="news_issue_status_valid"),
        ]

    def __str__(self):
        return self.subject

    @property
    def is_draft(self) -> bool:
        return self.status == IssueStatus.DRAFT


class Delivery(TimeStampedModel):
    """One issue to one address. The pair (issue, address digest) is unique, so an issue is never sent twice to one
    address, even when the sending task runs twice; the digest (an HMAC of the address, not the address) and the
    link to the subscriber are erased when they unsubscribe, leaving only the counts."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="deliveries", verbose_name="lettre")
    subscriber = models.ForeignKey(
        Subscriber,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name="abonné·e",
    )
    address_digest = models.CharField("empreinte de l'adresse", max_length=64, null=True, blank=True)
    status = models.CharField("statut", max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True)

    class Meta:
        verbose_name = "envoi"
        verbose_name_plural = "envois"
        constraints = [
            models.UniqueConstraint(fields=["issue", "address_digest"], name="news_delivery_once_per_address"),
            models.CheckConstraint(
                condition=models.Q(status__in=DeliveryStatus.values), name="news_delivery_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["issue", "status"], name="news_delivery_queue")]

    def __str__(self):
        return f"{self.issue} — {self.get_status_display()}"
