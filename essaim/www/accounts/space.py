""" "Mon espace" (/compte/): one page per person listing what is theirs, built from a small registry of blocks.

A block is a function of the request that returns the context of its template, or ``None`` when it has nothing
to say to this person (the territories block for someone with no role), plus the template that renders it and,
optionally, a function that adds its data to the RGPD export. Adding a capability's block (bookings, club) is
one function, one template and one line in ``BLOCKS`` — see docs/accounts.md."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from essaim.www.accounts import blocks
from essaim.www.news import space as news_space


@dataclass(frozen=True)
class Block:
    """One block of "Mon espace": its anchor (``key``), its title, its template, the function of the request that
    returns the template's context (``None``: not shown), and the function of the user that exports its data."""

    key: str
    title: str
    template: str
    context: Callable
    export: Callable | None = None


BLOCKS = [
    Block("territoires", "Mes territoires", "accounts/blocks/territories.html", blocks.territories),
    Block(
        "inscriptions",
        "Mes inscriptions aux événements",
        "accounts/blocks/registrations.html",
        blocks.registrations,
        blocks.export_registrations,
    ),
    Block(
        "demandes-d-aide",
        "Mes demandes d'aide",
        "accounts/blocks/applications.html",
        blocks.applications,
        blocks.export_applications,
    ),
    Block(
        "mon-projet",
        "Mon projet",
        "accounts/blocks/support_projects.html",
        blocks.support_projects,
        blocks.export_support_projects,
    ),
    Block("mes-orientations", "Mes orientations", "accounts/blocks/partner_referrals.html", blocks.partner_referrals),
    Block("structures", "Mes structures", "accounts/blocks/structures.html", blocks.structures, blocks.export_claims),
    Block("mon-club", "Mon club", "accounts/blocks/club.html", blocks.club, blocks.export_club),
    Block(
        "evenements-proposes",
        "Mes événements proposés",
        "accounts/blocks/events.html",
        blocks.proposed_events,
        blocks.export_proposed_events,
    ),
    Block(
        "lettres",
        "Mes lettres d'information",
        "accounts/blocks/newsletters.html",
        news_space.newsletters,
        news_space.export_newsletters,
    ),
]


def blocks_for(request) -> list[tuple[Block, dict]]:
    """The blocks this person sees, in order, each with its context."""
    shown = []
    for block in BLOCKS:
        context = block.context(request)
        if context is not None:
            shown.append((block, context))
    return shown


def export_for(user) -> dict:
    """What each block exports for the RGPD right of access, keyed by block."""
    return {block.key: block.export(user) for block in BLOCKS if block.export is not None}


@login_required
def my_space(request):
    """Login required. Everything that is the person's, block by block, each with its link and, when empty, what
    to do next; then their account (information, address, password, data, erasure)."""
    return render(request, "accounts/space.html", {"blocks": blocks_for(request)})


@login_required
def registration_cancel(request, pk):
    """Login required. Cancels one of the person's own registrations (matched by their confirmed address): GET
    asks, POST cancels; the first person on the waiting list takes the seat and is told by mail."""
    from essaim.agenda.feeds import session_when
    from essaim.agenda.models import Registration
    from essaim.agenda.services import RegistrationError
    from essaim.agenda.services import registration_cancel as cancel

    registration = (
        Registration.objects.filter(pk=pk, email=request.user.email.lower(), anonymised_at__isnull=True)
        .select_related("session", "session__event")
        .first()
    )
    if registration is None:
        raise Http404("Cette inscription n'est pas la vôtre ou n'existe plus.")
    session = registration.session
    back = reverse("accounts:profile") + "#inscriptions"
    if request.method == "POST":
        if registration.is_cancelled:
            messages.info(request, "Cette inscription était déjà annulée.")
            return redirect(back)
        try:
            promoted = cancel(registration=registration, site_url=request.build_absolute_uri("/").rstrip("/"))
        except RegistrationError as exc:
            messages.error(request, exc.message)
            return redirect(back)
        text = f"Votre inscription à «\u00a0{session.event.title}\u00a0» ({session_when(session)}) est annulée."
        if promoted:
            text += " Merci\u00a0: la première personne de la liste d'attente prend votre place et en est prévenue."
        messages.success(request, text)
        return redirect(back)
    context = {"registration": registration, "session": session, "event": session.event, "when": session_when(session)}
    return render(request, "accounts/registration_cancel.html", context)
