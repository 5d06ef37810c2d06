"""PDF documents: the decision letter, a sitting's agenda and its minutes. WeasyPrint is imported only when a PDF
is made (it loads Pango), and it may fetch nothing: every style is in the template."""

from django.template.loader import render_to_string
from django.utils import timezone

from essaim.grants.enums import SessionKind


def _no_fetch(url, *args, **kwargs):
    raise ValueError(f"Aucune ressource externe dans les PDF : {url}")


def render_pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template, {"generated_at": timezone.now(), **context})
    return HTML(string=html, url_fetcher=_no_fetch).write_pdf()


def decision_letter_pdf(*, decision) -> bytes:
    """The letter to the applicant: the decision, the amount, the deliberation and the payment terms."""
    application = decision.application
    return render_pdf(
        "grants/pdf/decision_letter.html",
        {
            "decision": decision,
            "application": application,
            "scheme": application.scheme,
            "territory": application.scheme.territory,
            "opinion": application.opinions.filter(session__kind=SessionKind.COMMISSION)
            .order_by("-created_at")
            .first(),
        },
    )


def session_agenda_pdf(*, session) -> bytes:
    items = session.items.select_related("application__structure", "application__scheme").order_by("position")
    return render_pdf(
        "grants/pdf/session_agenda.html",
        {"session": session, "scheme": session.scheme, "territory": session.scheme.territory, "items": items},
    )


def session_minutes_pdf(*, session) -> bytes:
    items = session.items.select_related("application__structure").order_by("position")
    opinions = {o.application_id: o for o in session.opinions.all()}
    decisions = {d.application_id: d for d in session.decisions.all()}
    rows = [
        {
            "application": item.application,
            "opinion": opinions.get(item.application_id),
            "decision": decisions.get(item.application_id),
        }
        for item in items
    ]
    return render_pdf(
        "grants/pdf/session_minutes.html",
        {
            "session": session,
            "scheme": session.scheme,
            "territory": session.scheme.territory,
            "rows": rows,
            "members": session.members.order_by("full_name"),
        },
    )
