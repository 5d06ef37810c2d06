"""What the grants services share: the steps of the form, the row lock, the access log, mails, date rules."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from essaim.core.french import format_date
from essaim.grants.models import AccessLog, Application
from essaim.grants.tasks import mail_on_commit

STEPS = [
    ("structure", "La structure"),
    ("projet", "Le projet"),
    ("emplois", "Les emplois créés"),
    ("investissement", "L'investissement"),
    ("financement", "Le plan de financement"),
    ("pieces", "Les pièces"),
]
STEP_NAMES = [name for name, _ in STEPS]


def _locked(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",)).select_related("scheme__territory").get(pk=application.pk)
    )


def access_log(*, application: Application, user, action: str, detail: str = "") -> None:
    """Records who saw or changed an application (RGPD: the file holds personal data)."""
    AccessLog.objects.create(
        application=application, user=user if user and user.is_authenticated else None, action=action, detail=detail
    )


def _officer_emails(application):
    if application.assigned_to_id:
        return [application.assigned_to.email]
    from essaim.accounts.models import Membership
    from essaim.grants.perms import STAFF_ROLES

    return list(
        Membership.objects.filter(territory=application.scheme.territory, role__in=STAFF_ROLES).values_list(
            "user__email", flat=True
        )
    )


def _applicant_emails(application):
    return [application.applicant.email] if application.applicant_id else []


def _mail(application, *, to_applicant: bool, subject: str, template: str, **context):
    recipients = _applicant_emails(application) if to_applicant else _officer_emails(application)
    mail_on_commit(
        recipients=recipients,
        subject=f"[{application.reference}] {subject}",
        template=template,
        context={"application": application, "scheme": application.scheme, **context},
    )


def absolute_url(path: str) -> str:
    """A link that works when clicked from a mail: the site's address (``ESSAIM_SITE_URL``) and the path."""
    from essaim.core.links import absolute_url as public_url

    return public_url(path)


def day(value: datetime.date) -> str:
    """« 1er mars 2026 », « 12 mars 2026 »."""
    return format_date(value, "j F Y")


def check_dates(value: datetime.date, *, what: str, after: datetime.date | None = None, after_what: str = ""):
    """The rule of every date of the file: never in the future, never before the step it follows."""
    today = timezone.localdate()
    if value > today:
        raise ValidationError(f"{what} ({day(value)}) ne peut pas être dans le futur : nous sommes le {day(today)}.")
    if after is not None and value < after:
        raise ValidationError(f"{what} ({day(value)}) ne peut pas précéder {after_what} ({day(after)}).")
