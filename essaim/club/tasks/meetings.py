"""Mails of the club's meetings and good practices, sent after the commit through django-tasks: a guest's
invitation (with their personal link), the minutes published to the members' people, and the outcome of a practice
sheet's review to its author. Arguments are primary keys and strings, so that any backend serialises them."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from essaim.agenda.feeds import session_when
from essaim.club.enums import MemberStatus, PracticeStatus
from essaim.club.models import Meeting, MeetingGuest, MemberPerson, PracticeSheet


def _site(site_url: str) -> str:
    from essaim.core.links import site_url as public_site_url

    return public_site_url(site_url or None)


def _send(subject: str, template: str, context: dict, to: list[str]) -> None:
    context = {**context, "site_name": settings.ESSAIM_SITE_NAME}
    EmailMessage(subject=subject, body=render_to_string(template, context), to=to).send()


def _when(meeting) -> str:
    session = meeting.event.sessions.order_by("start", "pk").first()
    return session_when(session) if session else ""


@task()
def send_guest_invitation(guest_id: int, site_url: str = "") -> bool:
    """Tells a guest a member invites them to a meeting, with the link where they see it and register."""
    guest = MeetingGuest.objects.select_related("meeting__club", "meeting__event__venue__commune").filter(pk=guest_id)
    guest = guest.first()
    if guest is None:
        return False
    site_url = _site(site_url)
    meeting = guest.meeting
    inviter = guest.invited_by.get_full_name() if guest.invited_by_id else meeting.club.name
    context = {
        "guest": guest,
        "meeting": meeting,
        "club": meeting.club,
        "inviter": inviter,
        "when": _when(meeting),
        "where": meeting.event.venue.one_line if meeting.event.venue_id else "",
        "url": site_url + reverse("club:meeting_guest", kwargs={"token": guest.token}),
        "site_url": site_url,
    }
    _send(f"Invitation : {meeting.event.title}", "club/mail/meeting_invitation.txt", context, [guest.email])
    return True


@task()
def send_minutes_published(meeting_id: int, site_url: str = "") -> bool:
    """Tells the people of the active member structures that the minutes of a meeting are published (one mail each,
    the addresses never shown to one another)."""
    meeting = Meeting.objects.select_related("club", "event").filter(pk=meeting_id).first()
    if meeting is None or meeting.minutes_published_at is None:
        return False
    site_url = _site(site_url)
    emails = sorted(
        set(
            MemberPerson.objects.filter(
                member__club=meeting.club, member__status=MemberStatus.ACTIVE, user__is_active=True
            ).values_list("user__email", flat=True)
        )
    )
    context = {
        "meeting": meeting,
        "club": meeting.club,
        "when": _when(meeting),
        "url": site_url + reverse("club:meeting", kwargs={"club": meeting.club.slug, "pk": meeting.pk}),
        "site_url": site_url,
    }
    for email in emails:
        _send(f"Compte rendu : {meeting.theme}", "club/mail/minutes_published.txt", context, [email])
    return bool(emails)


@task()
def send_practice_reviewed(practice_id: int, site_url: str = "") -> bool:
    """Tells the author of a practice sheet it is published, or sent back with the facilitator's note."""
    practice = PracticeSheet.objects.select_related("club", "written_by", "member__structure").filter(pk=practice_id)
    practice = practice.first()
    if practice is None or practice.written_by is None or not practice.written_by.email:
        return False
    site_url = _site(site_url)
    published = practice.status == PracticeStatus.PUBLISHED
    name = "club:practice" if published else "club:practice_edit"
    context = {
        "practice": practice,
        "club": practice.club,
        "published": published,
        "url": site_url + reverse(name, kwargs={"club": practice.club.slug, "pk": practice.pk}),
        "site_url": site_url,
    }
    subject = f"Fiche publiée : {practice.title}" if published else f"Fiche à reprendre : {practice.title}"
    _send(subject, "club/mail/practice_reviewed.txt", context, [practice.written_by.email])
    return True
