"""The figures a territory enters because Essaim cannot compute them (its total salaried employment): one value per
territory, code and year, replaced when entered again, with its source, who entered it and when."""

from decimal import Decimal

from django.db import transaction

from essaim.observatory.enums import EnteredCode
from essaim.observatory.figures import invalidate
from essaim.observatory.models import EnteredFigure


def enter_figure(
    *, territory, year: int, value: Decimal, source: str, by, code: str = EnteredCode.TOTAL_EMPLOYMENT
) -> EnteredFigure:
    """Enters (or replaces) ``code`` of ``year`` for ``territory``; the cached live figures of the territory are
    dropped so that the ESS share of employment follows at once."""
    with transaction.atomic():
        figure, _ = EnteredFigure.objects.update_or_create(
            territory=territory,
            code=code,
            year=year,
            defaults={
                "value": value,
                "source": source,
                "entered_by": by if by is not None and by.is_authenticated else None,
                "entered_by_name": (by.full_name or by.email) if by is not None and by.is_authenticated else "",
            },
        )
    transaction.on_commit(lambda: invalidate(territory))
    return figure
