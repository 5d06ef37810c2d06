"""Mails of the calls for projects and joint answers, sent after the commit through django-tasks: the notice of a
new call to the members whose sectors it meets (once: ``call_claim_notice``), and the invitation to join a joint
answer, to the people of the invited member. Arguments are primary keys and strings."""

from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from essaim.core.french import format_date


def _site(site_url: str) -> str:
    from essaim.core.links import site_url as public_site_url

    return public_site_url(site_url or None)


@task()
def send_call_notice(call_id: int, site_url: str = "") -> int:
    """Tells the members of a new call matching their sectors, one mail a person; returns how many were sent
    (0 when the call was already notified)."""
    from essaim.club.models import Call
    from essaim.club.services.calls import call_claim_notice, call_recipients

    call = Call.objects.select_related("club").filter(pk=call_id).first()
    if call is None or not call_claim_notice(call_id):
        return 0
    site_url = _site(site_url)
    context = {
        "call": call,
        "club": call.club,
        "themes": ", ".join(call.sectors.values_list("name", flat=True)),
        "deadline": format_date(call.deadline, "l j F Y"),
        "precision": call.amount_note,
        "url": site_url + reverse("club:call", kwargs={"club": call.club.slug, "pk": call.pk}),
    }
    body = render_to_string("club/mail/call_new.txt", context)
    recipients = call_recipients(call)
    for email in recipients:
        EmailMessage(subject=f"Nouvel appel à projets : {call.title}", body=body, to=[email]).send()
    return len(recipients)


@task()
def send_answer_invitation(partner_id: int, site_url: str = "") -> int:
    """Invites the people of a member to join a joint answer; returns how many were written to."""
    from essaim.club.enums import PartnerStatus
    from essaim.club.models import AnswerPartner

    partner = (
        AnswerPartner.objects.select_related("answer__call__club", "answer__lead__structure", "member__structure")
        .filter(pk=partner_id, status=PartnerStatus.INVITED)
        .first()
    )
    if partner is None:
        return 0
    answer = partner.answer
    site_url = _site(site_url)
    context = {
        "answer": answer,
        "call": answer.call,
        "lead": answer.lead.structure.name,
        "member": partner.member.structure.name,
        "deadline": format_date(answer.call.deadline, "l j F Y"),
        "url": site_url + reverse("club:answer", kwargs={"club": answer.call.club.slug, "pk": answer.pk}),
    }
    body = render_to_string("club/mail/answer_invitation.txt", context)
    emails = sorted(
        {e for e in partner.member.people.filter(user__is_active=True).values_list("user__email", flat=True) if e}
    )
    for email in emails:
        EmailMessage(subject=f"Invitation à répondre ensemble : {answer.title}", body=body, to=[email]).send()
    return len(emails)
