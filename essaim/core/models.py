from django.db import models


class TimeStampedModel(models.Model):
    """Every Essaim model knows when it was created and last changed."""

    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        abstract = True
