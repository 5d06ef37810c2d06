from django.db import models


class Role(models.TextChoices):
    """A person's role in one territory. Network admins are users flagged ``is_network_admin``."""

    OFFICER = "officer", "chargé·e de mission ESS"
    COMMISSION = "commission", "membre de la commission"
    ADMIN = "admin", "administrateur·rice du territoire"
    ELECTED = "elected", "élu·e"
