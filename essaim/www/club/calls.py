"""The calls for projects (public): the list (open calls by deadline, then past ones), a call's page (with, for a
member's person, « Répondre ensemble » and the joint answers they take part in), and the facilitators' form to
publish or edit a call. Publishing tells the members whose sectors the call meets (``services.calls``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from essaim.club import perms
from essaim.club.enums import PartnerStatus
from essaim.club.models import Call, JointAnswer
from essaim.club.services import calls as services
from essaim.core.links import site_url
from essaim.www.club.common import club_for
from essaim.www.club.forms_calls import CallForm


def club_crumb(club):
    return (club.name, reverse("club:club", kwargs={"club": club.slug}))


def calls(request, club):
    """Public: the club's calls for projects."""
    club = club_for(club)
    today = timezone.localdate()
    open_calls = list(services.calls_open(club, today).prefetch_related("sectors"))
    past_calls = list(services.calls_past(club, today).prefetch_related("sectors")[:50])
    return render(
        request,
        "club/calls/calls.html",
        {
            "club": club,
            "open_calls": open_calls,
            "past_calls": past_calls,
            "today": today,
            "can_post": perms.can_facilitate(request.user, club),
            "page_title": f"Appels à projets — {club.name}",
            "breadcrumbs": [club_crumb(club), ("Appels à projets", None)],
        },
    )


def call(request, club, pk):
    """Public: a call; a member's person sees « Répondre ensemble » and the joint answers of the call they are
    partner of or invited to — never the others."""
    club = club_for(club)
    call = get_object_or_404(Call.objects.prefetch_related("sectors"), pk=pk, club=club)
    today = timezone.localdate()
    mine = perms.member_ids(request.user, club)
    answers = []
    if mine:
        answers = list(
            JointAnswer.objects.filter(
                call=call,
                partners__member_id__in=mine,
                partners__status__in=(PartnerStatus.ACCEPTED, PartnerStatus.INVITED),
            )
            .select_related("lead__structure")
            .distinct()
        )
    return render(
        request,
        "club/calls/call.html",
        {
            "club": club,
            "call": call,
            "is_open": call.deadline >= today,
            "days_left": (call.deadline - today).days,
            "can_answer": bool(mine) and call.deadline >= today,
            "my_answers": answers,
            "can_edit": perms.can_facilitate(request.user, club),
            "page_title": f"{call.title} — appel à projets",
            "breadcrumbs": [
                club_crumb(club),
                ("Appels à projets", reverse("club:calls", kwargs={"club": club.slug})),
                (call.title, None),
            ],
        },
    )


def _call_form_page(request, club, call=None):
    if not perms.can_facilitate(request.user, club):
        raise Http404("Page introuvable.")
    form = CallForm(request.POST or None, instance=call)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.FIELDS}
        try:
            if call is None:
                call = services.call_publish(
                    club=club,
                    by=request.user,
                    sectors=form.cleaned_data["sectors"],
                    site_url=site_url(request),
                    **data,
                )
                messages.success(request, "Appel publié : les membres concernés en sont prévenus par e-mail.")
            else:
                call = services.call_update(call=call, by=request.user, sectors=form.cleaned_data["sectors"], **data)
                messages.success(request, "Appel modifié.")
        except ValidationError as exc:
            form.add_error(None, " ".join(exc.messages))
        else:
            return redirect("club:call", club=club.slug, pk=call.pk)
    title = "Publier un appel à projets" if call is None else f"Modifier l'appel « {call.title} »"
    return render(
        request,
        "club/calls/call_form.html",
        {
            "club": club,
            "call": call,
            "form": form,
            "page_title": title,
            "breadcrumbs": [
                club_crumb(club),
                ("Appels à projets", reverse("club:calls", kwargs={"club": club.slug})),
                ("Nouvel appel" if call is None else call.title, None),
            ],
        },
    )


@login_required
def call_new(request, club):
    """Facilitators: publish a call."""
    return _call_form_page(request, club_for(club))


@login_required
def call_edit(request, club, pk):
    """Facilitators: edit a call (the members are not told again)."""
    club = club_for(club)
    if not perms.can_facilitate(request.user, club):
        raise Http404("Page introuvable.")
    return _call_form_page(request, club, get_object_or_404(Call, pk=pk, club=club))
