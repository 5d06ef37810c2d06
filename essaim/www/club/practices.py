"""Good practices: the public list (published sheets, search by text, sector, topic) and a sheet's page (public when
published; a draft for its member's people and the staff), the member's form (« Envoyer en relecture ») and the
facilitators' review (publish, or send back with a note). Whoever may not see a sheet gets a 404."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from essaim.club import perms
from essaim.club.enums import PracticeStatus
from essaim.club.models import Member, PracticeSheet
from essaim.club.services import practices as services
from essaim.core.links import site_url
from essaim.core.text import fold
from essaim.www.club.common import club_for, form_error
from essaim.www.club.forms_meetings import split_names
from essaim.www.club.forms_practices import PracticeForm, PracticeSearchForm, ReviewForm


def _sheets(club):
    return (
        PracticeSheet.objects.filter(club=club)
        .select_related("member__structure", "club")
        .prefetch_related("sectors", "topics")
    )


def practices(request, club):
    """Public: the published sheets, searched by text, sector and topic; for a member's people their own sheets, for
    the facilitators the sheets waiting for review."""
    club = club_for(club)
    form = PracticeSearchForm(request.GET or None, club=club)
    sheets = _sheets(club).filter(status=PracticeStatus.PUBLISHED)
    if form.is_valid():
        for word in fold(form.cleaned_data["q"]).split()[:6]:
            sheets = sheets.filter(search_text__contains=word)
        if form.cleaned_data["sector"]:
            sheets = sheets.filter(sectors=form.cleaned_data["sector"])
        if form.cleaned_data["topic"]:
            sheets = sheets.filter(topics=form.cleaned_data["topic"])
    mine_ids = perms.member_ids(request.user, club)
    context = {
        "club": club,
        "form": form,
        "sheets": list(sheets.distinct().order_by("-published_at", "pk")),
        "mine": list(_sheets(club).filter(member_id__in=mine_ids).exclude(status=PracticeStatus.PUBLISHED)),
        "can_write": bool(mine_ids),
        "to_review": list(_sheets(club).filter(status=PracticeStatus.SUBMITTED))
        if perms.can_facilitate(request.user, club)
        else [],
    }
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "club/practices/list.html", context, status=status)


def _practice(request, slug, pk, check):
    club = club_for(slug)
    practice = get_object_or_404(_sheets(club), pk=pk)
    if not check(request.user, practice):
        raise Http404("Fiche introuvable.")
    return practice


def practice_detail(request, club, pk):
    practice = _practice(request, club, pk, perms.can_see_practice)
    context = {
        "club": practice.club,
        "practice": practice,
        "can_edit": perms.can_edit_practice(request.user, practice),
        "can_review": practice.status == PracticeStatus.SUBMITTED
        and perms.can_facilitate(request.user, practice.club),
    }
    return render(request, "club/practices/practice.html", context)


def _form_data(form):
    data = form.cleaned_data
    return {
        "data": {k: data[k] for k in ("title", "what", "for_whom", "how", "results", "contact")},
        "sectors": list(data["sectors"]),
        "topics": list(data["topics"]),
        "new_topics": split_names(data["new_topics"]),
        "submit": "submit" in form.data,
    }


@require_http_methods(["GET", "POST"])
def practice_new(request, club):
    """A person of an active member structure writes a sheet for their structure (chosen when they act for several)."""
    club = club_for(club)
    members = list(
        Member.objects.filter(pk__in=perms.member_ids(request.user, club)).select_related("structure").order_by("pk")
    )
    if not members:
        raise Http404("Page introuvable.")
    form = PracticeForm(request.POST or None, club=club)
    if len(members) > 1:
        form.fields["member"] = forms.ModelChoiceField(
            label="Pour la structure", queryset=Member.objects.filter(pk__in=[m.pk for m in members]), empty_label=None
        )
        form.fields["member"].label_from_instance = lambda m: m.structure.display_name
    status = 200
    if request.method == "POST":
        if form.is_valid():
            member = form.cleaned_data.get("member") or members[0]
            try:
                practice = services.practice_save(by=request.user, member=member, **_form_data(form))
            except ValidationError as exc:
                form_error(form, exc)
            else:
                messages.success(
                    request,
                    "Fiche envoyée en relecture."
                    if practice.status == PracticeStatus.SUBMITTED
                    else "Brouillon enregistré.",
                )
                return HttpResponseRedirect(reverse("club:practice", kwargs={"club": club.slug, "pk": practice.pk}))
        status = 400
    context = {"club": club, "form": form, "practice": None, "cancel_url": reverse("club:practices", args=[club.slug])}
    return render(request, "club/practices/practice_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def practice_edit(request, club, pk):
    practice = _practice(request, club, pk, perms.can_edit_practice)
    form = PracticeForm(request.POST or None, club=practice.club, initial=PracticeForm.initial_for(practice))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.practice_save(by=request.user, practice=practice, **_form_data(form))
            except ValidationError as exc:
                form_error(form, exc)
            else:
                practice.refresh_from_db()
                messages.success(
                    request,
                    "Fiche envoyée en relecture."
                    if practice.status == PracticeStatus.SUBMITTED
                    else "Fiche enregistrée.",
                )
                return HttpResponseRedirect(
                    reverse("club:practice", kwargs={"club": practice.club.slug, "pk": practice.pk})
                )
        status = 400
    cancel_url = reverse("club:practice", kwargs={"club": practice.club.slug, "pk": practice.pk})
    context = {"club": practice.club, "form": form, "practice": practice, "cancel_url": cancel_url}
    return render(request, "club/practices/practice_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def practice_review(request, club, pk):
    """Facilitators: publish a sheet waiting for review, or send it back with a note; the author is told by mail."""
    practice = _practice(request, club, pk, lambda user, p: perms.can_facilitate(user, p.club))
    form = ReviewForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            publish = request.POST.get("decision") == "publish"
            try:
                services.practice_review(
                    practice=practice,
                    by=request.user,
                    publish=publish,
                    note=form.cleaned_data["note"],
                    site_url=site_url(request),
                )
            except ValidationError as exc:
                form_error(form, exc)
            else:
                messages.success(request, "Fiche publiée." if publish else "Fiche renvoyée à son auteur·rice.")
                return HttpResponseRedirect(
                    reverse("club:practice", kwargs={"club": practice.club.slug, "pk": practice.pk})
                )
        status = 400
    context = {"club": practice.club, "practice": practice, "form": form}
    return render(request, "club/practices/review.html", context, status=status)
