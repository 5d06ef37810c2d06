"""Referrals' pages: the team refers a project to a partner (from the record), the partner's adviser sees the
referrals of their partner(s) across territories on one board (to take in charge, in progress, closed) and moves
them (accept, decline with a reason, close with an outcome, reopen within 30 days); the team may withdraw a
referral left unanswered. Every move goes through the workflow table and is logged."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from essaim.support import perms
from essaim.support.enums import REFERRAL_CLOSED, ReferralStatus
from essaim.support.models import Referral
from essaim.support.services import projects as services
from essaim.support.workflow import PARTNER, allowed
from essaim.www.support.forms_projects import ReferralForm, ReferralMoveForm
from essaim.www.support.projects import _errors, project_for

CLOSED_SHOWN = 50


@login_required
@require_POST
def referral_create(request, pk):
    """Login required, POST: the project's team refers it to a partner of the territory."""
    project, audience = project_for(request, pk, log="change")
    if audience != "team":
        raise Http404("Projet introuvable.")
    form = ReferralForm(request.POST, territory=project.territory)
    if not form.is_valid():
        messages.error(request, "Choisissez un partenaire actif du territoire.")
    else:
        try:
            referral = services.referral_create(
                project=project,
                partner=form.cleaned_data["partner"],
                by=request.user,
                message=form.cleaned_data["message"],
            )
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, f"Le projet est orienté vers {referral.partner.name}, qui en est prévenu.")
    return redirect(project.get_absolute_url() + "#orientations")


@login_required
@require_POST
def referral_move(request, pk):
    """Login required, POST: the referral's partner (accept, decline, close, reopen) or the project's team
    (withdraw). Anybody else gets a 404: a referral says a project exists."""
    referral = Referral.objects.filter(pk=pk).select_related("project", "partner").first()
    if referral is None or not (
        perms.can_move_referral(request.user, referral) or perms.can_withdraw_referral(request.user, referral)
    ):
        raise Http404("Orientation introuvable.")
    form = ReferralMoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Cet état d'orientation n'existe pas.")
    else:
        try:
            services.referral_move(
                referral=referral,
                to_status=form.cleaned_data["to_status"],
                by=request.user,
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            referral.refresh_from_db()
            messages.success(
                request,
                f"L'orientation de « {referral.project.title} » est désormais : {referral.get_status_display()}.",
            )
    after = request.POST.get("next", "")
    if after == "board" and perms.is_partner_adviser(request.user):
        return redirect(reverse("support:partner_board"))
    return redirect(referral.project.get_absolute_url() + "#orientations")


@login_required
def partner_board(request):
    """Login required: a partner's adviser. The referrals of their partner(s), in every territory."""
    ids = perms.partner_ids(request.user)
    if not ids:
        raise PermissionDenied("Ce tableau est réservé aux conseiller·ères des partenaires.")
    referrals = Referral.objects.filter(partner_id__in=ids).select_related(
        "project__territory", "project__commune", "partner", "taken_by"
    )
    quo = list(referrals.filter(status=ReferralStatus.QUO).order_by("created_at", "pk"))
    in_progress = list(referrals.filter(status=ReferralStatus.TAKING_CARE).order_by("status_changed_at", "pk"))
    closed = Paginator(
        referrals.filter(status__in=REFERRAL_CLOSED).order_by("-closed_at", "-pk"), CLOSED_SHOWN
    ).get_page(request.GET.get("page"))
    for referral in [*quo, *in_progress, *closed]:
        referral.moves = allowed(referral, PARTNER)
    return render(
        request,
        "support/projects/partner_board.html",
        {
            "quo": quo,
            "in_progress": in_progress,
            "closed": closed,
            "partners": sorted({r.partner.name for r in [*quo, *in_progress, *closed]}),
            "breadcrumbs": [("Mes orientations", None)],
            "page_title": "Mes orientations",
        },
    )
