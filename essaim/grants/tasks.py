"""Mails sent after the transaction that caused them commits (django-tasks; immediate backend by default)."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django_tasks import task


@task()
def send_grant_mail(*, recipients: list[str], subject: str, body: str) -> int:
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)


def mail_on_commit(*, recipients, subject: str, template: str, context: dict) -> None:
    """Renders the mail now and enqueues its sending once the current transaction commits (never for a rolled-back
    change)."""
    recipients = sorted({r for r in recipients if r})
    if not recipients:
        return
    body = render_to_string(template, context)
    transaction.on_commit(lambda: send_grant_mail.enqueue(recipients=recipients, subject=subject, body=body))


@task()
def send_deadline_reminders() -> int:
    """The periodic entry point for the worker: the same as ``essaim grants_reminders``."""
    from essaim.grants.services import reminders_send

    return reminders_send()
