from django.db import models


class NewsStatus(models.TextChoices):
    DRAFT = "draft", "brouillon"
    PUBLISHED = "published", "publiée"


class IssueStatus(models.TextChoices):
    """A newsletter issue: written (draft), waiting for the worker (queued), going out in batches (sending), done."""

    DRAFT = "draft", "brouillon"
    QUEUED = "queued", "en file d'attente"
    SENDING = "sending", "en cours d'envoi"
    SENT = "sent", "envoyée"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "à envoyer"
    SENDING = "sending", "en cours"
    SENT = "sent", "envoyé"
    FAILED = "failed", "échec"
