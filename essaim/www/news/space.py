""" "Mon espace" and the RGPD export: the newsletters a person's address is subscribed to (listed as a block by
``essaim.www.accounts.space``)."""

from django.urls import reverse
from django.utils.translation import ngettext

from essaim.news.models import Subscriber


def _subscriptions(user):
    if not user.email:
        return Subscriber.objects.none()
    return Subscriber.objects.filter(email__iexact=user.email).select_related("territory").order_by("territory__name")


def newsletters(request):
    """The person's subscriptions (confirmed or waiting), each with its one-click unsubscribe link; ``None`` when
    there is none."""
    rows = [
        {
            "territory": s.territory,
            "confirmed_at": s.confirmed_at,
            "unsubscribe_url": reverse("news:unsubscribe", kwargs={"token": s.token}),
        }
        for s in _subscriptions(request.user)
    ]
    if not rows:
        return None
    summary = ngettext("%(n)d lettre d'information", "%(n)d lettres d'information", len(rows)) % {"n": len(rows)}
    return {"rows": rows, "summary": summary}


def export_newsletters(user):
    """What the newsletter keeps about the person's address: per territory, the consent (text and date) and the
    date of confirmation."""
    return [
        {
            "territory": s.territory.name,
            "email": s.email,
            "consent_text": s.consent_text,
            "consented_at": s.consented_at.isoformat(),
            "confirmed_at": s.confirmed_at.isoformat() if s.confirmed_at else None,
        }
        for s in _subscriptions(user)
    ]
