"""Deadlines: the balance must be justified within the scheme's payment period after the agreement
(``Scheme.payment_period_months``). Files close to it (``Scheme.reminder_days``) or past it are listed for the
officers, and their beneficiaries get one reminder per deadline and step, however often the reminders run."""

import calendar
import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from essaim.grants.enums import ApplicationState, PaymentKind, ReminderStep
from essaim.grants.models import Application, DeadlineReminder
from essaim.grants.services.common import absolute_url
from essaim.grants.tasks import mail_on_commit

WAITING_FOR_BALANCE = (ApplicationState.AGREEMENT_SIGNED, ApplicationState.IN_PAYMENT)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` plus ``months`` calendar months (31 January + 1 month → 28 or 29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def deadline_of(application: Application) -> datetime.date | None:
    """The day by which the balance is to be justified: the agreement's date plus the scheme's payment period."""
    agreement = getattr(application, "agreement", None)
    if agreement is None:
        return None
    return add_months(agreement.signed_on, application.scheme.payment_period_months)


@dataclass(frozen=True)
class Due:
    application: Application
    deadline: datetime.date
    days_left: int

    @property
    def step(self) -> str:
        return ReminderStep.OVERDUE if self.days_left < 0 else ReminderStep.SOON

    @property
    def step_label(self) -> str:
        return ReminderStep(self.step).label

    @property
    def days_late(self) -> int:
        return -self.days_left


def deadlines_due(*, territories=None, today: datetime.date | None = None) -> list[Due]:
    """Files waiting for their balance whose deadline is within the scheme's reminder days, or past; the most
    urgent first. Two queries whatever the number of files."""
    today = today or timezone.localdate()
    applications = (
        Application.objects.filter(state__in=WAITING_FOR_BALANCE, agreement__isnull=False)
        .exclude(payments__kind=PaymentKind.BALANCE)
        .select_related("scheme__territory", "agreement", "structure", "applicant", "assigned_to")
    )
    if territories is not None:
        applications = applications.filter(scheme__territory__in=territories)
    due = []
    for application in applications:
        deadline = deadline_of(application)
        days_left = (deadline - today).days
        if days_left <= application.scheme.reminder_days:
            due.append(Due(application=application, deadline=deadline, days_left=days_left))
    return sorted(due, key=lambda d: (d.deadline, d.application.reference))


def reminders_send(*, today: datetime.date | None = None) -> int:
    """Mails each beneficiary whose deadline is close or past, once per deadline and step (a ``DeadlineReminder``
    row, unique, is written in the same transaction as the mail is enqueued). Returns how many were sent. Safe to
    run as often as one likes (``essaim grants_reminders``, or the worker's periodic task)."""
    sent = 0
    for due in deadlines_due(today=today):
        application = due.application
        email = application.applicant.email if application.applicant_id else ""
        try:
            with transaction.atomic():
                DeadlineReminder.objects.create(
                    application=application, step=due.step, deadline=due.deadline, sent_to=email
                )
                mail_on_commit(
                    recipients=[email],
                    subject=f"[{application.reference}] "
                    + (
                        "Le délai pour justifier le solde est dépassé"
                        if due.step == ReminderStep.OVERDUE
                        else "Justifiez le solde de votre subvention avant l'échéance"
                    ),
                    template="grants/mail/deadline_reminder.txt",
                    context={
                        "application": application,
                        "scheme": application.scheme,
                        "due": due,
                        "url": absolute_url(application.get_absolute_url()),
                    },
                )
        except IntegrityError:
            continue  # already reminded for this deadline and step
        sent += 1
    return sent
