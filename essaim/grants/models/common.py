"""What the grants models share: validators, the money field, constants."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

YEAR_VALIDATORS = [MinValueValidator(1990), MaxValueValidator(2100)]
ZERO = Decimal("0.00")


RESERVED_SLUGS = {"simulateur", "export", "mes-demandes", "demandes", "instruction", "seances"}


def validate_scheme_slug(value):
    """The scheme's page is /aides/<slug>/: a slug may not take the place of another page of /aides/."""
    from django.core.exceptions import ValidationError

    if value in RESERVED_SLUGS:
        raise ValidationError(f"« {value} » est réservé : choisissez un autre identifiant.", code="reserved")


def money(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, max_digits=12, decimal_places=2, **kwargs)
