"""Sittings of the commission and of the Bureau: date, members, agenda; opinions or decisions recorded for the whole
sitting on one screen; agenda and minutes as PDF."""

import hashlib

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from essaim.accounts.enums import Role
from essaim.accounts.models import User
from essaim.grants import perms, services
from essaim.grants.enums import ApplicationState, SessionKind
from essaim.grants.models import Application, Scheme, Session
from essaim.grants.pdf import session_agenda_pdf, session_minutes_pdf
from essaim.www.grants.forms import AgendaForm, DecisionRowForm, OpinionRowForm, SessionForm
from essaim.www.grants.views.common import crumbs


def _session_crumbs(*trail):
    return crumbs(("Séances", reverse("grants:sessions")), *trail)


def _visible_session(request, pk):
    session = get_object_or_404(Session.objects.select_related("scheme__territory"), pk=pk)
    if not perms.can_view_session(request.user, session):
        from django.http import Http404

        raise Http404("Séance introuvable.")
    return session


@login_required
def session_list(request):
    territories = perms.instructor_territories(request.user)
    sessions = (
        Session.objects.filter(
            Q(scheme__territory__in=territories)
            | Q(
                members=request.user,
                scheme__territory__memberships__user=request.user,
                scheme__territory__memberships__role=Role.COMMISSION,
            )
        )
        .distinct()
        .select_related("scheme__territory")
    )
    if not territories.exists() and not sessions.exists():
        raise PermissionDenied("Les séances sont réservées aux équipes et aux membres de la commission.")
    return render(
        request,
        "grants/sessions.html",
        {
            "sessions": sessions.order_by("-date"),
            "can_create": perms.can_create_session(request.user),
            "breadcrumbs": crumbs(("Séances", None)),
            "page_title": "Séances de la commission et du Bureau",
        },
    )


@login_required
def session_create(request):
    territories = perms.instructor_territories(request.user)
    schemes = Scheme.objects.filter(territory__in=territories).order_by("name")
    if not schemes.exists():
        raise PermissionDenied("Vous ne préparez les séances d'aucun dispositif.")
    scheme = get_object_or_404(schemes, slug=request.GET["dispositif"]) if "dispositif" in request.GET else schemes[0]
    members = User.objects.filter(memberships__territory=scheme.territory, memberships__role=Role.COMMISSION).order_by(
        "full_name"
    )
    form = SessionForm(request.POST or None, members=members, initial={"members": list(members)})
    if request.method == "POST" and form.is_valid():
        session = services.session_create(scheme=scheme, by=request.user, **form.cleaned_data)
        messages.success(request, f"Séance créée : {session}. Composez maintenant son ordre du jour.")
        return redirect(session)
    return render(
        request,
        "grants/session_form.html",
        {
            "form": form,
            "scheme": scheme,
            "breadcrumbs": _session_crumbs(("Nouvelle séance", None)),
            "page_title": f"Nouvelle séance — {scheme.name}",
        },
    )


def _candidates(session):
    expected = (
        ApplicationState.READY_FOR_COMMISSION
        if session.kind == SessionKind.COMMISSION
        else ApplicationState.COMMISSION_REVIEWED
    )
    return (
        Application.objects.filter(scheme=session.scheme)
        .filter(Q(state=expected) | Q(session_items__session=session))
        .distinct()
        .select_related("structure")
        .order_by("submitted_at")
    )


@login_required
def session_detail(request, pk):
    session = _visible_session(request, pk)
    can_manage = perms.can_manage_sessions(request.user, session.scheme.territory)
    form = None
    if can_manage and not session.recorded_at:
        current = list(session.items.values_list("application_id", flat=True))
        form = AgendaForm(request.POST or None, candidates=_candidates(session), initial={"applications": current})
        if request.method == "POST" and form.is_valid():
            try:
                services.session_set_agenda(session=session, applications=form.cleaned_data["applications"])
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, "Ordre du jour enregistré.")
                return redirect(session)
    elif request.method == "POST":
        raise PermissionDenied("L'ordre du jour ne se modifie plus.")
    items = session.items.select_related("application__structure").order_by("position")
    opinions = {o.application_id: o for o in session.opinions.all()}
    decisions = {d.application_id: d for d in session.decisions.all()}
    return render(
        request,
        "grants/session.html",
        {
            "session": session,
            "rows": [(i.application, opinions.get(i.application_id), decisions.get(i.application_id)) for i in items],
            "form": form,
            "can_record": perms.can_record_session(request.user, session) and not session.recorded_at,
            "members": session.members.order_by("full_name"),
            "breadcrumbs": _session_crumbs((str(session), None)),
            "page_title": str(session),
        },
    )


class RowFormSet(forms.BaseFormSet):
    """One row per application of the agenda, each form knowing its application."""

    def __init__(self, *args, rows, **kwargs):
        self.rows = rows
        super().__init__(*args, **kwargs)

    def total_form_count(self):
        """Exactly one row per file of the agenda, whatever the posted management form says."""
        return len(self.rows)

    def get_form_kwargs(self, index):
        return self.rows[index]


@login_required
def session_record(request, pk):
    """The whole sitting on one screen: one row per file of the agenda; all saved together or none."""
    session = _visible_session(request, pk)
    if not perms.can_record_session(request.user, session):
        raise PermissionDenied("Vous ne pouvez pas saisir les avis ou décisions de cette séance.")
    if session.recorded_at:
        messages.info(request, "Les avis ou décisions de cette séance sont déjà enregistrés.")
        return redirect(session)
    applications = [i.application for i in session.items.select_related("application__structure").order_by("position")]
    if not applications:
        messages.error(request, "L'ordre du jour est vide.")
        return redirect(session)
    is_commission = session.kind == SessionKind.COMMISSION
    if is_commission:
        rows = [{"application": a} for a in applications]
        form_class = OpinionRowForm
        initial = [{"opinion": "favourable", "proposed_amount": a.computed_amount} for a in applications]
    else:
        proposed = {
            a.pk: ((a.latest_opinion.proposed_amount if a.latest_opinion else None) or 0) for a in applications
        }
        rows = [{"application": a, "proposed": proposed[a.pk]} for a in applications]
        form_class = DecisionRowForm
        initial = [
            {"outcome": "granted", "amount": proposed[a.pk] or None, "deliberation_date": session.date}
            for a in applications
        ]
    FormSet = forms.formset_factory(
        form_class,
        formset=RowFormSet,
        extra=0,
        min_num=len(rows),
        max_num=len(rows),
        validate_min=True,
        validate_max=True,
    )
    formset = FormSet(request.POST or None, initial=initial, rows=rows, prefix="seance")
    if request.method == "POST" and formset.is_valid():
        entries = [
            {"application": row["application"], **form.cleaned_data}
            for row, form in zip(rows, formset.forms, strict=True)
        ]
        try:
            if is_commission:
                services.session_record_opinions(session=session, by=request.user, entries=entries)
            else:
                services.session_record_decisions(session=session, by=request.user, entries=entries)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Avis enregistrés." if is_commission else "Décisions enregistrées.")
            return redirect(session)
    return render(
        request,
        "grants/session_record.html",
        {
            "session": session,
            "formset": formset,
            "pairs": list(zip(applications, formset.forms, strict=True)),
            "is_commission": is_commission,
            "breadcrumbs": _session_crumbs((str(session), session.get_absolute_url()), ("Saisie", None)),
            "page_title": f"{'Avis' if is_commission else 'Décisions'} — {session}",
        },
    )


def _pdf(content, filename):
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _cached_pdf(session, kind, render):
    """A sitting's PDF is rendered once per state of its data: the cache key holds the latest change of the sitting,
    of the files on its agenda and of its opinions and decisions (one query), so any change makes a new one."""
    stamps = session.items.aggregate(
        items=Max("updated_at"),
        files=Max("application__updated_at"),
        opinions=Max("application__opinions__updated_at"),
        decisions=Max("application__decision__updated_at"),
        count=Count("pk"),
    )
    state = "|".join(
        [kind, str(session.pk), session.updated_at.isoformat(), *(str(stamps[k]) for k in sorted(stamps))]
    )
    key = "grants-pdf:" + hashlib.sha256(state.encode()).hexdigest()
    content = cache.get(key)
    if content is None:
        content = render(session=session)
        cache.set(key, content, timeout=7 * 24 * 3600)
    return content


@login_required
def session_agenda(request, pk):
    session = _visible_session(request, pk)
    content = _cached_pdf(session, "agenda", session_agenda_pdf)
    return _pdf(content, f"ordre-du-jour-{session.kind}-{session.date}.pdf")


@login_required
def session_minutes(request, pk):
    session = _visible_session(request, pk)
    if not session.recorded_at:
        messages.error(request, "Le procès-verbal s'établit une fois les avis ou décisions enregistrés.")
        return redirect(session)
    content = _cached_pdf(session, "minutes", session_minutes_pdf)
    return _pdf(content, f"proces-verbal-{session.kind}-{session.date}.pdf")
