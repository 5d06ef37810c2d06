"""Writes of the team's settings of the permanences (RDV Service Public's admin): motifs, opening ranges, absences,
the *temps forts* (the quinzaine de l'initiative), partners and their advisers, and invitations to book.

Each ``*_save`` checks what a person must be told in French and raises ``SetupError`` (a ``ValidationError``
keyed by the model's field names, so a form shows each message on its field), then saves. The checks that matter
most are those of an opening range: **one adviser's active ranges never overlap** on any day, because the slot of a
booking is identified by (adviser, start) and the database's ``booking_one_per_adviser_slot`` relies on two ranges
of one person never offering the same hour twice.

Mails (an invitation to book, an adviser's welcome) leave after the commit, through django-tasks.
"""

import datetime
import secrets
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from essaim.accounts.enums import Role
from essaim.accounts.models import Membership, User
from essaim.core import holidays
from essaim.core.links import site_url as public_site_url
from essaim.core.recurrence import RecurrenceError, french_date, occurrences, parse_rule
from essaim.support.enums import Channel
from essaim.support.models import (
    Absence,
    Invitation,
    Motif,
    OpeningRange,
    Partner,
    PartnerAdviser,
    SupportPeriod,
)

INVITATION_DAYS = 30
# Two ranges are compared over their common period, at most this long from its first day: two weekly or monthly
# rules that meet at all meet within two years.
OVERLAP_HORIZON_DAYS = 731
OVERLAP_LIMIT = 1500
WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]


class SetupError(ValidationError):
    """A setting that cannot be saved; ``message_dict`` gives the French message of each field concerned."""


def _refuse(field: str | None, message: str):
    raise SetupError({field or "__all__": [message]})


# --- French public holidays ----------------------------------------------------------------------------------------


def public_holidays(year: int) -> list[tuple[datetime.date, str]]:
    """The eleven French public holidays of a year, in order (no slot is offered on them, with no absence to
    enter): ``essaim.core.holidays`` says which."""
    return sorted(holidays.public_holidays(year).items())


def upcoming_public_holidays(today: datetime.date | None = None, count: int = 6) -> list[tuple[datetime.date, str]]:
    today = today or timezone.localdate()
    days = [d for d in public_holidays(today.year) + public_holidays(today.year + 1) if d[0] >= today]
    return days[:count]


# --- who may receive -----------------------------------------------------------------------------------------------


def advisers_of(territory):
    """The people who may hold a territory's permanences: its team (officers and admin) and the advisers of its
    active partners. A queryset of users, each once."""
    team = Membership.objects.filter(territory=territory, role__in=[Role.OFFICER, Role.ADMIN]).values("user_id")
    partners = PartnerAdviser.objects.filter(partner__territory=territory, partner__active=True).values("user_id")
    return (
        User.objects.filter(is_active=True).filter(Q(pk__in=team) | Q(pk__in=partners)).order_by("full_name", "email")
    )


def is_adviser_of(user, territory) -> bool:
    return user is not None and advisers_of(territory).filter(pk=user.pk).exists()


# --- motifs --------------------------------------------------------------------------------------------------------


def motif_save(*, motif: Motif) -> Motif:
    """Creates or updates a motif; its address (slug) is unique in the territory."""
    if not 5 <= (motif.duration_minutes or 0) <= 480:
        _refuse("duration_minutes", "La durée va de 5 minutes à 8 heures.")
    if motif.max_delay_days is not None and motif.max_delay_days < 1:
        _refuse("max_delay_days", "Le délai maximal est d'au moins un jour.")
    if motif.min_delay_hours is not None and motif.max_delay_days is not None:
        if motif.min_delay_hours >= motif.max_delay_days * 24:
            _refuse("min_delay_hours", "Le délai minimal doit être plus court que le délai maximal.")
    taken = Motif.objects.filter(territory_id=motif.territory_id, slug=motif.slug).exclude(pk=motif.pk).exists()
    if taken:
        _refuse("slug", "Un autre motif du territoire a déjà cette adresse : choisissez-en une autre.")
    try:
        with transaction.atomic():
            motif.save()
    except IntegrityError:
        _refuse("slug", "Un autre motif du territoire a déjà cette adresse : choisissez-en une autre.")
    return motif


def motif_set_active(*, motif: Motif, active: bool) -> Motif:
    """A motif no longer offered keeps its bookings; its ranges stop offering slots (``OpeningRange.active()``)."""
    motif.active = active
    motif.save(update_fields=["active", "updated_at"])
    return motif


# --- opening ranges ------------------------------------------------------------------------------------------------


def _dtstart(opening_range) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(opening_range.first_day, opening_range.start_time))


def range_last_day(opening_range) -> datetime.date | None:
    """The last day a range may open (its rule's UNTIL or COUNT), None when it has no end."""
    if not opening_range.rule:
        return opening_range.first_day
    parsed = parse_rule(opening_range.rule, _dtstart(opening_range))
    if parsed._until:
        return parsed._until.date()
    if parsed._count:
        last = None
        for moment in parsed:
            last = moment
        return last.date() if last else opening_range.first_day
    return None


def range_days(opening_range, start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The days a range opens between two days (inclusive), its excluded days left out."""
    if end < start:
        return []
    if not opening_range.rule:
        day = opening_range.first_day
        skipped = {str(d) for d in opening_range.exdates}
        return [day] if start <= day <= end and day.isoformat() not in skipped else []
    low = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
    high = timezone.make_aware(datetime.datetime.combine(end, datetime.time(23, 59)))
    moments = occurrences(
        opening_range.rule, _dtstart(opening_range), opening_range.exdates, start=low, end=high, limit=OVERLAP_LIMIT
    )
    return [timezone.localtime(m).date() for m in moments]


def _first_common_day(one, other) -> datetime.date | None:
    start = max(one.first_day, other.first_day)
    ends = [d for d in (range_last_day(one), range_last_day(other)) if d is not None]
    end = min([*ends, start + datetime.timedelta(days=OVERLAP_HORIZON_DAYS)])
    common = set(range_days(one, start, end)) & set(range_days(other, start, end))
    return min(common) if common else None


def _check_rule(opening_range):
    if not opening_range.rule:
        return
    try:
        parse_rule(opening_range.rule, _dtstart(opening_range))
        first = occurrences(opening_range.rule, _dtstart(opening_range), opening_range.exdates, limit=1)
    except RecurrenceError as exc:
        _refuse("rule", str(exc))
    if not first:
        _refuse("rule", "Cette règle ne donne aucun jour d'ouverture : vérifiez les jours et la date de fin.")


def opening_range_check(*, opening_range: OpeningRange) -> None:
    """Everything an opening range must satisfy before it is saved (``SetupError`` otherwise):

    - its motif is the territory's, and the hours hold at least one slot of the motif;
    - the rule is a valid RFC 5545 rule giving at least one day;
    - a venue of the same territory for an in-person motif, none for phone or video;
    - the adviser is the territory's team or an adviser of one of its partners;
    - no overlap with another active range of the same adviser (any territory) on a common day."""
    territory_id = opening_range.territory_id
    motif = opening_range.motif
    if motif.territory_id != territory_id:
        _refuse("motif", "Ce motif n'est pas proposé par ce territoire.")
    if opening_range.end_time <= opening_range.start_time:
        _refuse("end_time", "L'heure de fin doit être après l'heure de début.")
    minutes = (
        datetime.datetime.combine(opening_range.first_day, opening_range.end_time)
        - datetime.datetime.combine(opening_range.first_day, opening_range.start_time)
    ).total_seconds() // 60
    if minutes < motif.duration_minutes:
        _refuse(
            "end_time",
            f"La plage dure {int(minutes)} minutes : elle doit contenir au moins un rendez-vous du motif "
            f"« {motif.title} » ({motif.duration_minutes} minutes).",
        )
    _check_rule(opening_range)
    if motif.channel == Channel.IN_PERSON:
        if opening_range.venue_id is None:
            _refuse("venue", "Un rendez-vous sur place a besoin d'un lieu.")
        if opening_range.venue.territory_id != territory_id:
            _refuse("venue", "Ce lieu n'appartient pas à ce territoire.")
    elif opening_range.venue_id is not None:
        _refuse("venue", f"Un rendez-vous {motif.get_channel_display()} n'a pas de lieu : laissez le champ vide.")
    if not is_adviser_of(opening_range.adviser, opening_range.territory):
        _refuse(
            "adviser",
            "Cette personne ne fait ni partie de l'équipe du territoire ni des conseillers de ses partenaires.",
        )
    if not opening_range.active:
        return
    others = (
        OpeningRange.objects.filter(adviser_id=opening_range.adviser_id, active=True)
        .exclude(pk=opening_range.pk)
        .filter(start_time__lt=opening_range.end_time, end_time__gt=opening_range.start_time)
        .select_related("motif")
    )
    last = range_last_day(opening_range)
    if last is not None:
        others = others.filter(first_day__lte=last)
    for other in others:
        day = _first_common_day(opening_range, other)
        if day is not None:
            _refuse(
                None,
                f"Cette plage chevauche une autre plage de la même personne le {WEEKDAYS[day.weekday()]} "
                f"{french_date(day)} : « {other.motif.title} » de {other.start_time:%H:%M} à "
                f"{other.end_time:%H:%M}. Changez les heures ou les jours, ou fermez l'autre plage.",
            )


def opening_range_save(*, opening_range: OpeningRange) -> OpeningRange:
    """Checks (``opening_range_check``) then saves a range. Two officers editing the same adviser's ranges at the
    same second are not serialised: the booking constraint (adviser, start) still refuses any double booking."""
    opening_range_check(opening_range=opening_range)
    opening_range.exdates = sorted({str(d) for d in opening_range.exdates})
    opening_range.save()
    return opening_range


def opening_range_set_active(*, opening_range: OpeningRange, active: bool) -> OpeningRange:
    """Closing a range stops its free slots (its bookings stay); opening it again checks it like a new one."""
    opening_range.active = active
    if active:
        opening_range_check(opening_range=opening_range)
    opening_range.save(update_fields=["active", "updated_at"])
    return opening_range


# --- absences ------------------------------------------------------------------------------------------------------


def absence_save(*, absence: Absence) -> Absence:
    """An adviser of this territory away, or (no adviser) the whole service closed."""
    if absence.ends_at <= absence.starts_at:
        _refuse("ends_at", "La fin de l'absence doit être après son début.")
    if absence.adviser_id is not None and not is_adviser_of(absence.adviser, absence.territory):
        _refuse("adviser", "Cette personne ne reçoit pas pour ce territoire.")
    absence.save()
    return absence


def absence_delete(*, absence: Absence) -> None:
    absence.delete()


# --- temps forts (the quinzaine) -----------------------------------------------------------------------------------


def period_save(*, period: SupportPeriod, motifs=(), workshops=()) -> SupportPeriod:
    """A *temps fort* (the quinzaine de l'initiative): its dates, its permanences (motifs) and its workshops (agenda
    events), all of the same territory; its address is unique in the territory."""
    if period.ends_on < period.starts_on:
        _refuse("ends_on", "La fin doit être le jour du début ou après.")
    territory_id = period.territory_id
    if any(m.territory_id != territory_id for m in motifs):
        _refuse("motifs", "Un des motifs n'est pas proposé par ce territoire.")
    if any(e.territory_id != territory_id for e in workshops):
        _refuse("workshops", "Un des ateliers n'est pas un événement de ce territoire.")
    if period.campaign_id is not None and period.campaign.territory_id != territory_id:
        _refuse("campaign", "Cette campagne n'est pas celle de ce territoire.")
    if SupportPeriod.objects.filter(territory_id=territory_id, slug=period.slug).exclude(pk=period.pk).exists():
        _refuse("slug", "Un autre temps fort du territoire a déjà cette adresse : choisissez-en une autre.")
    with transaction.atomic():
        period.save()
        period.motifs.set(motifs)
        period.workshops.set(workshops)
    return period


def period_delete(*, period: SupportPeriod) -> None:
    period.delete()


# --- partners and their advisers -----------------------------------------------------------------------------------


def partner_save(*, partner: Partner) -> Partner:
    """A partner (the BGE, the CAE, Pas-de-Calais Actif…): its name is unique in the territory."""
    duplicate = (
        Partner.objects.filter(territory_id=partner.territory_id, name__iexact=partner.name.strip())
        .exclude(pk=partner.pk)
        .exists()
    )
    if duplicate:
        _refuse("name", "Ce territoire a déjà un partenaire de ce nom.")
    partner.name = partner.name.strip()
    partner.save()
    return partner


def partner_set_active(*, partner: Partner, active: bool) -> Partner:
    """An inactive partner receives no referral and its advisers lose their access to it (``perms.partner_ids``)."""
    partner.active = active
    partner.save(update_fields=["active", "updated_at"])
    return partner


def partner_adviser_add(*, partner: Partner, email: str, name: str = "", site_url: str = "") -> PartnerAdviser:
    """Makes a person an adviser of the partner: finds their account by e-mail, or creates it without a password and
    mails them a link to choose one (the link of « mot de passe oublié », valid 24 hours; the officer vouches for
    the address, which the link proves anyway). Either way a mail tells them what they can now do."""
    from essaim.accounts.services import user_verify_email

    email = User.objects.normalize_email(email.strip()).lower()
    name = " ".join((name or "").split())
    with transaction.atomic():
        user = User.objects.filter(email__iexact=email).first()
        created = user is None
        if created:
            user = User.objects.create_user(email=email, password=None, full_name=name)
            user_verify_email(user=user)
        elif not user.is_active:
            _refuse("email", "Ce compte est désactivé : il ne peut pas devenir conseiller·ère.")
        elif name and not user.full_name:
            user.full_name = name
            user.save(update_fields=["full_name"])
        if PartnerAdviser.objects.filter(partner=partner, user=user).exists():
            _refuse("email", f"{user} est déjà conseiller·ère de {partner.name}.")
        adviser = PartnerAdviser.objects.create(partner=partner, user=user)
        root = public_site_url(site_url or None)
        transaction.on_commit(lambda: send_adviser_welcome.enqueue(adviser.pk, created, root))
    return adviser


def partner_adviser_remove(*, adviser: PartnerAdviser) -> None:
    """The person keeps their account; they no longer see the partner's referrals. Their opening ranges in the
    territory are closed (they may no longer receive there)."""
    with transaction.atomic():
        territory = adviser.partner.territory
        user = adviser.user
        adviser.delete()
        if not is_adviser_of(user, territory):
            OpeningRange.objects.filter(territory=territory, adviser=user, active=True).update(
                active=False, updated_at=timezone.now()
            )


def _set_password_url(user, root: str) -> str:
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)},
    )
    return root + path


@task()
def send_adviser_welcome(adviser_id: int, new_account: bool, site_url: str = "") -> bool:
    """Tells a partner's new adviser what they can do; a new account gets the link to choose its password."""
    from django.conf import settings

    adviser = PartnerAdviser.objects.select_related("partner", "partner__territory", "user").filter(pk=adviser_id)
    adviser = adviser.first()
    if adviser is None:
        return False
    root = public_site_url(site_url or None)
    context = {
        "adviser": adviser,
        "partner": adviser.partner,
        "territory": adviser.partner.territory,
        "new_account": new_account,
        "set_password_url": _set_password_url(adviser.user, root) if new_account else "",
        "login_url": root + reverse("accounts:login"),
        "reset_url": root + reverse("accounts:password_reset"),
        "site_name": settings.ESSAIM_SITE_NAME,
        "site_url": root,
    }
    EmailMessage(
        subject=f"Vous êtes conseiller·ère de {adviser.partner.name} sur {settings.ESSAIM_SITE_NAME}",
        body=render_to_string("support/mail/invitation_adviser.txt", context),
        to=[adviser.user.email],
    ).send()
    return True


# --- invitations to book -------------------------------------------------------------------------------------------


def invitation_url(invitation: Invitation, root: str = "") -> str:
    """The link of the invitation: the motif's booking page with ``?invitation=<token>``."""
    path = reverse("support:motif", kwargs={"slug": invitation.territory.slug, "motif": invitation.motif.slug})
    return public_site_url(root or None) + path + "?" + urlencode({"invitation": invitation.token})


def invitation_create(
    *, motif: Motif, name: str, email: str, by, partner: Partner | None = None, project=None, site_url: str = ""
) -> Invitation:
    """Gives one person the right to book a motif (one booking, within 30 days) and mails them the link. A token
    from ``secrets``: the link is the only proof; the booking side checks it (motif, expiry, not used)."""
    if not motif.active:
        _refuse("motif", "Ce motif n'est plus proposé.")
    if partner is not None and partner.territory_id != motif.territory_id:
        _refuse("partner", "Ce partenaire n'est pas celui de ce territoire.")
    if project is not None and project.territory_id != motif.territory_id:
        _refuse(None, "Ce projet n'est pas suivi par ce territoire.")
    name = " ".join((name or "").split())
    if not name:
        _refuse("name", "Indiquez le nom de la personne.")
    with transaction.atomic():
        invitation = Invitation.objects.create(
            territory_id=motif.territory_id,
            motif=motif,
            name=name,
            email=email.strip().lower(),
            token=secrets.token_urlsafe(32),
            partner=partner,
            project=project,
            created_by=by,
            expires_at=timezone.now() + datetime.timedelta(days=INVITATION_DAYS),
        )
        root = public_site_url(site_url or None)
        transaction.on_commit(lambda: send_invitation_mail.enqueue(invitation.pk, root))
    return invitation


@task()
def send_invitation_mail(invitation_id: int, site_url: str = "") -> bool:
    """The invitation to book a motif: who invites, what it is, the link and until when it is valid."""
    from django.conf import settings

    invitation = (
        Invitation.objects.select_related("motif", "territory", "partner", "created_by")
        .filter(pk=invitation_id, used_at__isnull=True)
        .first()
    )
    if invitation is None:
        return False
    root = public_site_url(site_url or None)
    context = {
        "invitation": invitation,
        "motif": invitation.motif,
        "territory": invitation.territory,
        "inviter": invitation.partner.name if invitation.partner_id else invitation.territory.name,
        "url": invitation_url(invitation, root),
        "expires": french_date(timezone.localtime(invitation.expires_at).date()),
        "site_name": settings.ESSAIM_SITE_NAME,
        "site_url": root,
    }
    EmailMessage(
        subject=f"Invitation à prendre rendez-vous : {invitation.motif.title}",
        body=render_to_string("support/mail/invitation.txt", context),
        to=[invitation.email],
    ).send()
    return True
