"""The mails of the follow-up of projects, and the daily nudges of referrals left unanswered.

Conseillers-Entreprises' rhythm: a referral still at "quo" is reminded to the partner's advisers at D+9, escalated
to the project's referent (or the territory's team) at D+21, and shown on the officers' "abandoned" board at D+45
(computed from its dates, no mail). Each mail is sent once: ``reminded_at`` and ``escalated_at`` are set in the
same transaction as the mail is enqueued (after the commit), so running the daily command twice sends nothing more.

Mails are rendered now and sent after the commit by a django-tasks ``@task`` (the immediate backend in tests and
the demo, the worker in production), like the grants' and the agenda's mails.
"""

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from essaim.core.links import absolute_url
from essaim.support.enums import ReferralStatus

REMIND_AFTER_DAYS = 9
ESCALATE_AFTER_DAYS = 21
ABANDONED_AFTER_DAYS = 45
PROJECT_IDLE_DAYS = 183  # "sans activité depuis six mois"


@task()
def send_support_mail(*, recipients: list[str], subject: str, body: str) -> int:
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)


def mail_on_commit(*, recipients, subject: str, template: str, context: dict) -> bool:
    """Renders the mail now and enqueues it once the current transaction commits (never for a rolled-back change).
    Returns whether there was anybody to write to."""
    recipients = sorted({r.strip().lower() for r in recipients if r and r.strip()})
    if not recipients:
        return False
    body = render_to_string(template, context)
    transaction.on_commit(lambda: send_support_mail.enqueue(recipients=recipients, subject=subject, body=body))
    return True


def partner_emails(partner) -> list[str]:
    """A partner's active advisers, or its contact address when it has none yet."""
    emails = list(
        partner.advisers.filter(user__is_active=True).values_list("user__email", flat=True).order_by("user__email")
    )
    return emails or ([partner.email] if partner.email else [])


def team_emails(project) -> list[str]:
    """The project's referent, or else the territory's officers and admins."""
    if project.referent_id and project.referent.is_active:
        return [project.referent.email]
    from essaim.accounts.models import Membership
    from essaim.support.perms import TEAM_ROLES

    return list(
        Membership.objects.filter(
            territory_id=project.territory_id, role__in=TEAM_ROLES, user__is_active=True
        ).values_list("user__email", flat=True)
    )


def _referral_context(referral) -> dict:
    return {
        "referral": referral,
        "project": referral.project,
        "partner": referral.partner,
        "territory": referral.project.territory,
        "board_url": absolute_url(reverse("support:partner_board")),
        "project_url": absolute_url(reverse("support:project", kwargs={"pk": referral.project_id})),
        "days": (timezone.now() - referral.created_at).days,
    }


def mail_referral_new(referral) -> bool:
    """Tells the partner's advisers a project was referred to them, and where to accept or decline it."""
    return mail_on_commit(
        recipients=partner_emails(referral.partner),
        subject=f"Nouvelle orientation : {referral.project.title}",
        template="support/mail/referral_new.txt",
        context=_referral_context(referral),
    )


def mail_referral_moved(referral, transition) -> bool:
    """Tells the project's referent (or the team) what the partner decided."""
    return mail_on_commit(
        recipients=team_emails(referral.project),
        subject=f"Orientation « {referral.get_status_display()} » : {referral.project.title}",
        template="support/mail/referral_moved.txt",
        context={**_referral_context(referral), "transition": transition},
    )


def mail_survey(project, survey) -> bool:
    """The three-question satisfaction survey, sent to the holder when their project is closed."""
    if not project.holder_email:
        return False
    return mail_on_commit(
        recipients=[project.holder_email],
        subject="Votre avis sur l'accompagnement de votre projet",
        template="support/mail/survey.txt",
        context={
            "project": project,
            "territory": project.territory,
            "survey_url": absolute_url(reverse("support:survey", kwargs={"token": survey.token})),
        },
    )


# --- the daily nudges --------------------------------------------------------------------------------------------


def _quo_since(days: int, now: datetime.datetime):
    from essaim.support.models import Referral

    return Referral.objects.filter(
        status=ReferralStatus.QUO, created_at__lte=now - datetime.timedelta(days=days)
    ).select_related("project__territory", "project__referent", "partner")


def nudges_run(*, now: datetime.datetime | None = None, dry_run: bool = False) -> dict[str, int]:
    """Reminds (D+9) and escalates (D+21) the referrals still at quo, each once; counts those abandoned (D+45).
    Idempotent: a second run the same day (or any later day) sends nothing already sent."""
    from essaim.support.models import Referral

    now = now or timezone.now()
    counts = {"reminded": 0, "escalated": 0, "abandoned": 0}
    for referral in _quo_since(REMIND_AFTER_DAYS, now).filter(reminded_at__isnull=True).order_by("pk"):
        counts["reminded"] += 1
        if dry_run:
            continue
        with transaction.atomic():
            # The guard on reminded_at makes two concurrent runs send one mail: only the one that marks it sends.
            if Referral.objects.filter(pk=referral.pk, reminded_at__isnull=True).update(reminded_at=now):
                mail_on_commit(
                    recipients=partner_emails(referral.partner),
                    subject=f"Relance : une orientation vous attend depuis {REMIND_AFTER_DAYS} jours",
                    template="support/mail/nudge_reminder.txt",
                    context=_referral_context(referral),
                )
    for referral in _quo_since(ESCALATE_AFTER_DAYS, now).filter(escalated_at__isnull=True).order_by("pk"):
        counts["escalated"] += 1
        if dry_run:
            continue
        with transaction.atomic():
            if Referral.objects.filter(pk=referral.pk, escalated_at__isnull=True).update(escalated_at=now):
                mail_on_commit(
                    recipients=team_emails(referral.project),
                    subject=f"Orientation sans réponse depuis {ESCALATE_AFTER_DAYS} jours : {referral.project.title}",
                    template="support/mail/nudge_escalation.txt",
                    context=_referral_context(referral),
                )
    counts["abandoned"] = _quo_since(ABANDONED_AFTER_DAYS, now).count()
    return counts


def abandoned_referrals(territory, now: datetime.datetime | None = None):
    """The referrals of the territory's open projects left at quo for ``ABANDONED_AFTER_DAYS`` days or more."""
    now = now or timezone.now()
    return (
        _quo_since(ABANDONED_AFTER_DAYS, now)
        .filter(project__territory=territory, project__status="open")
        .order_by("created_at", "pk")
    )


def idle_projects(territory, now: datetime.datetime | None = None):
    """The territory's open projects with no activity (no change to the record, no stage change, no note, no
    referral move) for ``PROJECT_IDLE_DAYS`` days."""
    from essaim.support.models import Project

    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=PROJECT_IDLE_DAYS)
    return (
        Project.objects.open()
        .filter(territory=territory)
        .with_activity()
        .filter(last_activity__lt=cutoff)
        .select_related("referent")
        .order_by("last_activity", "pk")
    )
