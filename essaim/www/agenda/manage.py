"""The agenda's back office (``/agenda/gestion/``): a territory's officers create, edit, duplicate and publish
events, moderate proposals, keep campaigns and venues, and on the day manage registrants (list, CSV, message,
check-in, attendance). Every view: login required, the territory by slug, ``perms.can_manage_agenda`` or 403, and
objects looked up inside the territory only (another territory's id answers 404)."""

import functools

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Max, Min, Q
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from essaim.agenda import perms
from essaim.agenda.enums import Publication, RegistrationStatus
from essaim.agenda.feeds import session_when
from essaim.agenda.models import Campaign, Event, Registration, Session, Venue
from essaim.agenda.services import (
    RegistrationError,
    event_duplicate,
    event_save,
    registration_cancel,
    registration_check_in,
    session_message_send,
    session_save,
    session_set_attendance,
)
from essaim.agenda.workflow import TRANSITIONS, TransitionError, available_transitions, event_transition
from essaim.core import audit
from essaim.core.inputs import InputError, parse_int
from essaim.core.models import AccessRecord
from essaim.core.spreadsheet import csv_writer
from essaim.territories.models import Territory
from essaim.www.agenda.forms import (
    AttendanceForm,
    CampaignForm,
    EventForm,
    MessageForm,
    SessionFormSet,
    TransitionForm,
    VenueForm,
)


def _site_url(request):
    return request.build_absolute_uri("/").rstrip("/")


def agenda_manager(view):
    """Login required; ``territory`` by slug; the territory's officers only."""

    @functools.wraps(view)
    def wrapper(request, slug, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        territory = get_object_or_404(Territory, slug=slug)
        if not perms.can_manage_agenda(request.user, territory):
            raise PermissionDenied("Vous ne gérez pas l'agenda de ce territoire.")
        return view(request, territory, *args, **kwargs)

    return wrapper


def agenda_reader(view):
    """Login required; ``territory`` by slug; the territory's officers, and its elected members read-only (the view
    gets ``can_edit`` and shows no registrant's name nor edit link to those who cannot edit)."""

    @functools.wraps(view)
    def wrapper(request, slug, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        territory = get_object_or_404(Territory, slug=slug)
        if not perms.can_read_agenda_dashboard(request.user, territory):
            raise PermissionDenied("Vous ne suivez pas l'agenda de ce territoire.")
        return view(request, territory, *args, can_edit=perms.can_manage_agenda(request.user, territory), **kwargs)

    return wrapper


def crumbs(territory=None, *trail):
    items = [("Gestion de l'agenda", reverse("agenda:manage"))]
    if territory is not None:
        items.append((territory.name, reverse("agenda:manage_territory", args=[territory.slug])))
    return items + list(trail)


def dashboard(request):
    """Login required. The territories whose agenda the person runs, and the events they proposed."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    territories = perms.dashboard_territories(request.user).annotate(
        proposals=Count("events", filter=Q(events__publication=Publication.PROPOSED))
    )
    editable = set(perms.managed_territories(request.user).values_list("pk", flat=True))
    territories = list(territories)
    for territory in territories:
        territory.can_edit = territory.pk in editable
    context = {
        "territories": territories,
        "breadcrumbs": [("Gestion de l'agenda", None)],
        "page_title": "Gestion de l'agenda",
    }
    return render(request, "agenda/manage/dashboard.html", context)


@agenda_reader
def territory_home(request, territory, can_edit):
    """The territory's events: proposals waiting for moderation, upcoming, drafts and past; campaigns (with their
    report and the roll to next year); venues. Read-only for elected members."""
    now = timezone.now()
    events = (
        Event.objects.filter(territory=territory)
        .select_related("campaign", "venue", "venue__commune")
        .annotate(
            first_start=Min("sessions__start"),
            last_end=Max("sessions__end"),
            confirmed=Count("sessions__registrations", filter=Q(sessions__registrations__status="confirmed")),
        )
        .order_by("first_start", "pk")
    )
    events = list(events)
    published = [e for e in events if e.publication == Publication.PUBLISHED]
    context = {
        "territory": territory,
        "proposals": [e for e in events if e.publication == Publication.PROPOSED],
        "upcoming": [e for e in published if e.last_end is None or e.last_end >= now],
        "drafts": [e for e in events if e.publication in (Publication.DRAFT, Publication.REJECTED)],
        "past": [e for e in published if e.last_end and e.last_end < now],
        "campaigns": Campaign.objects.filter(territory=territory),
        "venues": Venue.objects.filter(territory=territory).select_related("commune"),
        "can_edit": can_edit,
        "breadcrumbs": crumbs(territory),
        "page_title": f"Agenda : {territory.name}",
    }
    return render(request, "agenda/manage/territory.html", context)


def _event_in(territory, pk):
    return get_object_or_404(
        Event.objects.select_related("territory", "venue", "campaign"), territory=territory, pk=pk
    )


def _save_event_and_sessions(request, territory, form, formset):
    """Saves the event, its audiences and relations, then each session through ``session_save`` (which locks and
    refuses a capacity below the confirmed seats). All or nothing."""
    with transaction.atomic():
        event = form.save(commit=False)
        event.territory = territory
        event_save(
            event=event,
            audiences=form.cleaned_data["audiences"],
            themes=form.cleaned_data["themes"],
            organisers=form.cleaned_data["organisers"],
            partners=form.cleaned_data["partners"],
        )
        formset.instance = event
        for session_form in formset.forms:
            if not session_form.has_changed() and not session_form.instance.pk:
                continue
            if formset.can_delete and formset._should_delete_form(session_form):
                if session_form.instance.pk:
                    session_form.instance.delete()
                continue
            session = session_form.save(commit=False)
            session.event = event
            session_save(session=session, site_url=_site_url(request))
    return event


def _event_form_page(request, territory, event=None):
    instance = event or Event(territory=territory)
    if request.method == "POST":
        form = EventForm(request.POST, request.FILES, instance=instance, territory=territory)
        formset = SessionFormSet(request.POST, instance=instance, prefix="sessions")
        if form.is_valid() and formset.is_valid():
            try:
                saved = _save_event_and_sessions(request, territory, form, formset)
            except RegistrationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, f"Événement enregistré : {saved.title}.")
                return HttpResponseRedirect(reverse("agenda:manage_event", args=[territory.slug, saved.pk]))
    else:
        form = EventForm(instance=instance, territory=territory)
        formset = SessionFormSet(instance=instance, prefix="sessions")
    title = f"Modifier : {event.title}" if event else "Nouvel événement"
    trail = [(event.title, reverse("agenda:manage_event", args=[territory.slug, event.pk]))] if event else []
    context = {
        "territory": territory,
        "form": form,
        "formset": formset,
        "event": event,
        "page_title": title,
        "breadcrumbs": crumbs(territory, *trail, (title, None)),
        "cancel_url": (
            reverse("agenda:manage_event", args=[territory.slug, event.pk])
            if event
            else reverse("agenda:manage_territory", args=[territory.slug])
        ),
    }
    return render(request, "agenda/manage/event_form.html", context)


@agenda_manager
def event_create(request, territory):
    return _event_form_page(request, territory)


@agenda_manager
def event_update(request, territory, pk):
    return _event_form_page(request, territory, _event_in(territory, pk))


@agenda_reader
def event_manage(request, territory, pk, can_edit):
    """An event seen by its officers: publication state and transitions, sessions with their seats, registrants
    and the links of the day (check-in, message, attendance), and the log of the workflow."""
    event = _event_in(territory, pk)
    sessions = list(
        event.sessions.annotate(
            confirmed_count=Count("registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)),
            waitlisted_count=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED)),
            present_count=Count("registrations", filter=Q(registrations__checked_in_at__isnull=False)),
        ).order_by("start", "pk")
    )
    for session in sessions:
        session.when = session_when(session)
    context = {
        "territory": territory,
        "event": event,
        "sessions": sessions,
        "series": list(event.series.all()),
        "can_edit": can_edit,
        "transitions": available_transitions(event=event, user=request.user) if can_edit else [],
        "transition_form": TransitionForm(),
        "log": event.transitions.select_related("by"),
        "page_title": event.title,
        "breadcrumbs": crumbs(territory, (event.title, None)),
    }
    return render(request, "agenda/manage/event.html", context)


@agenda_manager
@require_http_methods(["POST"])
def event_apply_transition(request, territory, pk, name):
    event = _event_in(territory, pk)
    if name not in TRANSITIONS:
        raise PermissionDenied("Action inconnue.")
    form = TransitionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        event_transition(event=event, name=name, by=request.user, note=note, site_url=_site_url(request))
    except TransitionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"« {TRANSITIONS[name].label} » : fait pour {event.title}.")
    return HttpResponseRedirect(reverse("agenda:manage_event", args=[territory.slug, event.pk]))


@agenda_manager
@require_http_methods(["POST"])
def event_duplicate_view(request, territory, pk):
    event = _event_in(territory, pk)
    copy = event_duplicate(event=event, by=request.user)
    messages.success(request, "Copie créée en brouillon : changez ses dates avant de la publier.")
    return HttpResponseRedirect(reverse("agenda:event_update", args=[territory.slug, copy.pk]))


def _session_in(territory, pk):
    return get_object_or_404(
        Session.objects.select_related("event", "event__venue"), event__territory=territory, pk=pk
    )


def _record_registrants_access(request, session, action, detail):
    """The RGPD trail: who opened or downloaded the registrants of a session, and when."""
    audit.record_access(
        user=request.user,
        action=action,
        subject=audit.REGISTRANTS,
        object_id=session.pk,
        label=f"Inscrits : {session.event.title} ({timezone.localtime(session.start):%d/%m/%Y %H:%M})",
        detail=detail,
    )


def _session_crumbs(territory, session, title):
    event = session.event
    return crumbs(
        territory, (event.title, reverse("agenda:manage_event", args=[territory.slug, event.pk])), (title, None)
    )


def _posted_pk(request, name) -> int:
    """An identifier sent by a form: not a bounded whole number is a 404 (as an unknown one), never a 500."""
    try:
        return parse_int(request.POST.get(name) or "")
    except InputError:
        raise Http404("Inscription introuvable.") from None


@agenda_manager
def registrants(request, territory, pk):
    """Who registered to a session (confirmed, waiting list in order, cancelled), with their answers; an organiser
    may cancel a registration (the next person waiting is promoted)."""
    session = _session_in(territory, pk)
    session.when = session_when(session)
    if request.method == "POST":
        registration = get_object_or_404(Registration, session=session, pk=_posted_pk(request, "registration"))
        try:
            promoted = registration_cancel(registration=registration, site_url=_site_url(request))
        except RegistrationError as exc:
            messages.error(request, exc.message)
        else:
            note = f" {promoted[0].name} sort de la liste d'attente." if promoted else ""
            messages.success(request, f"Inscription de {registration.name} annulée.{note}")
        return HttpResponseRedirect(reverse("agenda:registrants", args=[territory.slug, session.pk]))
    _record_registrants_access(request, session, AccessRecord.VIEW, "liste des inscrits")
    rows = list(session.registrations.order_by("created_at", "pk"))
    for row in rows:
        row.answer_list = [(q, row.answers.get(q, "")) for q in session.event.questions]
    context = {
        "territory": territory,
        "session": session,
        "event": session.event,
        "confirmed": [r for r in rows if r.status == RegistrationStatus.CONFIRMED],
        "waitlisted": [r for r in rows if r.status == RegistrationStatus.WAITLISTED],
        "cancelled": [r for r in rows if r.status == RegistrationStatus.CANCELLED],
        "questions": session.event.questions,
        "access_records": AccessRecord.objects.of(audit.REGISTRANTS, session.pk).select_related("user")[:10],
        "page_title": f"Inscrits : {session.event.title}",
        "breadcrumbs": _session_crumbs(territory, session, "Inscrits"),
    }
    return render(request, "agenda/manage/registrants.html", context)


@agenda_manager
def registrants_csv(request, territory, pk):
    """The registrants as CSV for a spreadsheet: semicolons and a BOM, as French Excel expects."""
    session = _session_in(territory, pk)
    _record_registrants_access(request, session, AccessRecord.EXPORT, "CSV")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="inscrits-seance-{session.pk}.csv"'
    response["Cache-Control"] = "private, no-store"
    writer = csv_writer(response)
    questions = list(session.event.questions)
    writer.writerow(["Nom", "E-mail", "Téléphone", "État", "Inscrit·e le", "Présent·e", *questions])
    for r in session.registrations.order_by("status", "created_at", "pk"):
        writer.writerow(
            [
                r.name,
                r.email,
                r.phone,
                r.get_status_display(),
                timezone.localtime(r.created_at).strftime("%d/%m/%Y %H:%M"),
                "oui" if r.checked_in_at else "",
                *[r.answers.get(q, "") for q in questions],
            ]
        )
    return response


@agenda_manager
def message(request, territory, pk):
    """Write to everyone registered to a session (mail, one each)."""
    session = _session_in(territory, pk)
    session.when = session_when(session)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        sent = session_message_send(
            session=session,
            subject=form.cleaned_data["subject"],
            body=form.cleaned_data["body"],
            include_waitlist=form.cleaned_data["include_waitlist"],
            by=request.user,
            site_url=_site_url(request),
        )
        messages.success(request, f"Message envoyé à {sent.recipients_count} personne(s).")
        return HttpResponseRedirect(reverse("agenda:manage_event", args=[territory.slug, session.event_id]))
    context = {
        "territory": territory,
        "session": session,
        "form": form,
        "history": session.messages.all(),
        "page_title": f"Écrire aux inscrits : {session.event.title}",
        "breadcrumbs": _session_crumbs(territory, session, "Écrire aux inscrits"),
        "cancel_url": reverse("agenda:manage_event", args=[territory.slug, session.event_id]),
    }
    return render(request, "agenda/manage/message.html", context)


@agenda_manager
def check_in(request, territory, pk):
    """On the day, on a phone: tick the people present; then record the attendance count."""
    session = _session_in(territory, pk)
    session.when = session_when(session)
    if request.method == "POST" and "registration" in request.POST:
        registration = get_object_or_404(
            Registration, session=session, pk=_posted_pk(request, "registration"), status=RegistrationStatus.CONFIRMED
        )
        present = request.POST.get("present") == "1"
        registration_check_in(registration=registration, present=present)
        if request.headers.get("HX-Request"):
            return render(request, "agenda/manage/_checkin_row.html", {"r": registration, "territory": territory})
        return HttpResponseRedirect(
            reverse("agenda:check_in", args=[territory.slug, session.pk]) + f"#r{registration.pk}"
        )
    if request.method == "GET":
        _record_registrants_access(request, session, AccessRecord.VIEW, "pointage")
    confirmed = list(session.registrations.confirmed().order_by("name", "pk"))
    present = sum(1 for r in confirmed if r.checked_in_at)
    if request.method == "POST":
        form = AttendanceForm(request.POST)
        if form.is_valid():
            session_set_attendance(session=session, count=form.cleaned_data["attendance_count"])
            messages.success(request, "Nombre de participants enregistré.")
            return HttpResponseRedirect(reverse("agenda:check_in", args=[territory.slug, session.pk]))
    else:
        form = AttendanceForm(initial={"attendance_count": session.attendance_count})
    context = {
        "territory": territory,
        "session": session,
        "registrations": confirmed,
        "present": present,
        "form": form,
        "page_title": f"Pointage : {session.event.title}",
        "breadcrumbs": _session_crumbs(territory, session, "Pointage"),
    }
    return render(request, "agenda/manage/checkin.html", context)


def _simple_form_page(request, territory, form, title, trail, cancel_url, extra=None):
    context = {
        "territory": territory,
        "form": form,
        "page_title": title,
        "breadcrumbs": crumbs(territory, *trail, (title, None)),
        "cancel_url": cancel_url,
        **(extra or {}),
    }
    return render(request, "agenda/manage/form.html", context)


@agenda_manager
def campaign_edit(request, territory, pk=None):
    """Create or edit a campaign of the territory (the Mois de l'ESS)."""
    campaign = get_object_or_404(Campaign, territory=territory, pk=pk) if pk else Campaign(territory=territory)
    form = CampaignForm(request.POST or None, request.FILES or None, instance=campaign)
    back = reverse("agenda:manage_territory", args=[territory.slug])
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Campagne enregistrée : {campaign.name}.")
        return HttpResponseRedirect(back)
    title = f"Modifier : {campaign.name}" if pk else "Nouvelle campagne"
    return _simple_form_page(request, territory, form, title, [], back)


@agenda_manager
def venue_edit(request, territory, pk=None):
    """Create or edit a venue of the territory, reused from one event to the next."""
    venue = get_object_or_404(Venue, territory=territory, pk=pk) if pk else Venue(territory=territory)
    form = VenueForm(request.POST or None, instance=venue, territory=territory)
    back = reverse("agenda:manage_territory", args=[territory.slug])
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Lieu enregistré : {venue.name}.")
        return HttpResponseRedirect(back)
    title = f"Modifier : {venue.name}" if pk else "Nouveau lieu"
    return _simple_form_page(request, territory, form, title, [], back)
