"""Mails of the club's membership, sent after the commit through django-tasks: a new candidacy (to the facilitators
and to the sponsor), its approval or refusal (to the structure's people), a new charter version to accept (to the
people of every active member who has not accepted it), the renewal reminder, and a sponsor's invitation to a
structure's contact. Arguments are primary keys and strings, so that any backend serialises them; each task reads
the rows again and sends nothing when they changed meanwhile."""

from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from essaim.club.enums import ClubRole, MemberStatus
from essaim.core.french import format_date

SUBJECTS = {
    "applied": "Nouvelle candidature au {club} : {structure}",
    "sponsored": "{structure} demande à rejoindre le {club} avec votre parrainage",
    "approved": "Bienvenue au {club}",
    "refused": "Votre candidature au {club}",
    "renewal_reminder": "Votre adhésion au {club} se termine le {expires}",
}


def _root(site_url: str) -> str:
    from essaim.core.links import site_url as public_site_url

    return public_site_url(site_url or None)


def _people_emails(member) -> list[str]:
    return sorted({p.user.email for p in member.people.select_related("user") if p.user.is_active})


def _facilitator_emails(club) -> list[str]:
    emails = {
        s.user.email
        for s in club.staff.select_related("user").filter(role__in=(ClubRole.FACILITATOR, ClubRole.ADMIN))
        if s.user.is_active
    }
    if not emails and club.email:
        emails.add(club.email)
    return sorted(emails)


def _send(kind: str, template: str, to: list[str], context: dict) -> bool:
    if not to:
        return False
    subject = SUBJECTS[kind].format(
        club=context["club"].name,
        structure=context["member"].structure.display_name,
        expires=context.get("expires", ""),
    )
    body = render_to_string(template, context)
    for address in to:  # one mail each: people of different structures never see each other's address
        EmailMessage(subject=subject, body=body, to=[address]).send()
    return True


@task()
def send_member_mail(member_id: int, kind: str, site_url: str = "") -> bool:
    """``applied`` (to the facilitators and the sponsor); ``approved``, ``refused``, ``renewal_reminder`` (to the
    member's people)."""
    from essaim.club.models import Member

    member = Member.objects.select_related("club", "structure", "sponsor__structure").filter(pk=member_id).first()
    if member is None:
        return False
    root = _root(site_url)
    club = member.club
    context = {
        "member": member,
        "club": club,
        "structure": member.structure,
        "space_url": root + reverse("club:space", args=[club.slug]),
        "club_url": root + reverse("club:club", args=[club.slug]),
    }
    if kind == "applied":
        if member.status != MemberStatus.CANDIDATE:
            return False
        context["candidate_url"] = root + reverse("club:candidate", args=[club.slug, member.pk])
        sent = _send(kind, "club/mail/member_applied.txt", _facilitator_emails(club), context)
        if member.sponsor_id:
            _send("sponsored", "club/mail/member_sponsored.txt", _people_emails(member.sponsor), context)
        return sent
    if kind == "approved" and member.status == MemberStatus.ACTIVE:
        context["expires"] = format_date(member.expires_on, "j F Y")
        context["profile_url"] = root + reverse("club:profile", args=[club.slug, member.pk])
        return _send(kind, "club/mail/member_approved.txt", _people_emails(member), context)
    if kind == "refused" and member.status == MemberStatus.REFUSED:
        return _send(kind, "club/mail/member_refused.txt", _people_emails(member), context)
    if kind == "renewal_reminder" and member.status == MemberStatus.ACTIVE and member.expires_on:
        context["expires"] = format_date(member.expires_on, "j F Y")
        context["renew_url"] = root + reverse("club:renew", args=[club.slug, member.pk])
        return _send(kind, "club/mail/renewal_reminder.txt", _people_emails(member), context)
    return False


@task()
def send_charter_version(version_id: int, site_url: str = "") -> int:
    """A new version of the charter: the people of each active member that has not accepted it yet are asked to
    read and accept it. Returns the number of mails sent."""
    from essaim.club.models import CharterVersion, Member

    version = CharterVersion.objects.select_related("club").filter(pk=version_id).first()
    if version is None or version.club.current_charter().pk != version.pk:
        return 0
    club = version.club
    root = _root(site_url)
    context = {
        "club": club,
        "version": version,
        "adopted": format_date(version.adopted_on, "j F Y"),
        "accept_url": root + reverse("club:charter_accept", args=[club.slug]),
        "charter_url": root + reverse("club:charter", args=[club.slug]),
    }
    body = render_to_string("club/mail/charter_version.txt", context)
    subject = f"Nouvelle version de la charte du {club.name} : à lire et accepter"
    emails = set()
    members = Member.objects.filter(club=club, status=MemberStatus.ACTIVE).exclude(
        charter_acceptances__version=version
    )
    for member in members.prefetch_related("people__user"):
        emails.update(p.user.email for p in member.people.all() if p.user.is_active)
    for address in sorted(emails):
        EmailMessage(subject=subject, body=body, to=[address]).send()
    return len(emails)


@task()
def send_sponsor_invitation(sponsor_id: int, structure_id: int, email: str, by_id: int, site_url: str = "") -> bool:
    """A member invites a structure's contact to join, with the join link (the structure and the sponsor
    prefilled)."""
    from django.contrib.auth import get_user_model
    from django.utils.http import urlencode

    from essaim.club.models import Member
    from essaim.directory.models import Structure

    sponsor = Member.objects.select_related("club", "structure").filter(pk=sponsor_id).first()
    structure = Structure.objects.filter(pk=structure_id).first()
    if sponsor is None or structure is None or sponsor.status != MemberStatus.ACTIVE:
        return False
    by = get_user_model().objects.filter(pk=by_id).first()
    root = _root(site_url)
    club = sponsor.club
    query = urlencode({"structure": structure.slug, "parrain": sponsor.pk})
    context = {
        "club": club,
        "sponsor": sponsor,
        "structure": structure,
        "by": by,
        "join_url": root + reverse("club:join", args=[club.slug]) + "?" + query,
        "claim_url": root + reverse("directory:claim", args=[structure.slug]),
        "club_url": root + reverse("club:club", args=[club.slug]),
    }
    EmailMessage(
        subject=f"{sponsor.structure.display_name} vous invite à rejoindre le {club.name}",
        body=render_to_string("club/mail/sponsor_invitation.txt", context),
        to=[email],
    ).send()
    return True
