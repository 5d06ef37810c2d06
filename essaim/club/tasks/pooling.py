"""Mails of the pooling (*mutualisation*), sent after the commit through django-tasks: the two contacts of a need
and an offer put in touch, and the weekly digest of the categories a person follows. Arguments are primary keys and
strings, so that any backend serialises them."""

from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from essaim.club import perms
from essaim.club.models import Club, Listing, Match
from essaim.core.french import count


def _listing_url(listing, site_url: str) -> str:
    return site_url + reverse("club:listing", kwargs={"club": listing.club.slug, "pk": listing.pk})


@task()
def send_match_mail(match_id: int, site_url: str = "") -> int:
    """Tells both contacts that a need and an offer were put in touch, each with the other's contact."""
    from essaim.core.links import site_url as public_site_url

    site_url = public_site_url(site_url or None)
    match = (
        Match.objects.select_related("need__club", "need__member__structure", "offer__member__structure", "by")
        .filter(pk=match_id)
        .first()
    )
    if match is None:
        return 0
    sent = 0
    for mine, other in ((match.need, match.offer), (match.offer, match.need)):
        context = {
            "mine": mine,
            "other": other,
            "club": mine.club,
            "note": match.note,
            "by": match.by.get_full_name() if match.by else "",
            "other_url": _listing_url(other, site_url),
        }
        EmailMessage(
            subject=f"Mise en relation : {mine.title}",
            body=render_to_string("club/mail/pooling_match.txt", context),
            to=[mine.contact_email],
        ).send()
        sent += 1
    return sent


@task()
def send_digest(user_id: int, club_id: int, listing_ids: list, site_url: str = "") -> bool:
    """The weekly digest: what was posted in the categories the person follows (members-only listings included,
    the person being a member; nothing when they no longer are)."""
    from essaim.accounts.models import User
    from essaim.core.links import site_url as public_site_url

    site_url = public_site_url(site_url or None)
    user = User.objects.filter(pk=user_id, is_active=True).first()
    club = Club.objects.filter(pk=club_id).first()
    if user is None or club is None or not perms.is_member(user, club):
        return False
    listings = list(Listing.objects.open().filter(pk__in=listing_ids).select_related("member__structure", "commune"))
    if not listings:
        return False
    rows = [{"listing": listing, "url": _listing_url(listing, site_url)} for listing in listings]
    context = {
        "user": user,
        "club": club,
        "rows": rows,
        "subscriptions_url": site_url + reverse("club:subscriptions", kwargs={"club": club.slug}),
    }
    EmailMessage(
        subject=f"{club.name} : " + count(len(rows), "nouvelle annonce", "nouvelles annonces"),
        body=render_to_string("club/mail/pooling_digest.txt", context),
        to=[user.email],
    ).send()
    return True
