"""The audit trail of personal data read outside a grant application: who opened or downloaded which list of people
or export, and when. Views call :func:`record_access` after their permission check; the records are shown in the
Django admin (read-only) and beside the list they concern; :func:`access_records_purge` keeps them
``ESSAIM_ACCESS_RECORD_RETENTION_MONTHS`` months (``essaim purge_access_records``, daily)."""

import datetime

from django.conf import settings
from django.utils import timezone

from essaim.core.models import AccessRecord

# The kinds of data recorded, with their French names (the subject of a record).
REGISTRANTS = "agenda.registrants"
CAMPAIGN_REPORT = "agenda.campaign_report"
GRANTS_YEAR_END = "grants.year_end"
SUBJECTS = {
    REGISTRANTS: "inscrits d'une séance",
    CAMPAIGN_REPORT: "bilan d'une campagne",
    GRANTS_YEAR_END: "exports de fin d'année des aides",
}


def record_access(*, user, action: str, subject: str, label: str, object_id=None, detail: str = "") -> AccessRecord:
    """Records that ``user`` read (``AccessRecord.VIEW``) or downloaded (``AccessRecord.EXPORT``) ``label``."""
    if subject not in SUBJECTS:
        raise ValueError(f"Unknown audit subject: {subject}")
    return AccessRecord.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        action=action,
        subject=subject,
        object_id=object_id,
        label=label[:200],
        detail=detail[:200],
    )


def retention_months() -> int:
    return settings.ESSAIM_ACCESS_RECORD_RETENTION_MONTHS


def access_records_purge(*, months: int | None = None, now=None, dry_run: bool = False) -> int:
    """Deletes the records older than ``months`` months (the retention of access logs); returns how many."""
    months = retention_months() if months is None else months
    cutoff = (now or timezone.now()) - datetime.timedelta(days=round(months * 30.44))
    old = AccessRecord.objects.filter(created_at__lt=cutoff)
    if dry_run:
        return old.count()
    deleted, _ = old.delete()
    return deleted
