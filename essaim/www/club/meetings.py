"""The club's meetings (agenda events restricted to members): the list and the page of a meeting for the members
and the staff (register, cancel, invite a guest, the attendance, the minutes once published), the guest's page
reached by their invitation's link, the facilitators' pages (the meeting, its check-in list, the minutes) and the
topics followed over the year. Whoever may not see a page gets a 404, whatever the id typed."""

import datetime
from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from essaim.agenda.enums import RegistrationStatus
from essaim.agenda.feeds import session_when
from essaim.agenda.models import Session
from essaim.agenda.services import session_availability
from essaim.club import perms
from essaim.club.enums import PracticeStatus
from essaim.club.models import Meeting, MeetingGuest, PracticeSheet, Topic
from essaim.club.services import meetings as services
from essaim.core.http import private_file_response
from essaim.core.inputs import posted_id
from essaim.core.links import site_url
from essaim.www.club.common import club_for, form_error
from essaim.www.club.forms_meetings import GuestForm, GuestRegisterForm, MeetingForm, MinutesForm, split_names


def _meetings(club):
    sessions = Prefetch("event__sessions", queryset=Session.objects.order_by("start", "pk"))
    return (
        Meeting.objects.filter(club=club)
        .select_related("club", "event", "event__venue", "event__venue__commune", "host__structure")
        .prefetch_related(sessions, "speakers", "topics")
    )


def _dress(meeting):
    """The first session of the meeting as ``meeting.session`` with its « quand »."""
    sessions = list(meeting.event.sessions.all())
    meeting.session = sessions[0] if sessions else None
    meeting.when = session_when(meeting.session) if meeting.session else "date à fixer"
    meeting.place = meeting.event.venue.one_line if meeting.event.venue_id else "lieu à préciser"
    return meeting


def get_meeting(request, slug, pk, *, facilitate=False) -> Meeting:
    club = club_for(slug)
    meeting = get_object_or_404(_meetings(club), pk=pk)
    allowed = perms.can_facilitate(request.user, club) if facilitate else perms.can_see_meeting(request.user, meeting)
    if not allowed:
        raise Http404("Rencontre introuvable.")
    return _dress(meeting)


def meetings(request, club):
    """Members and staff: the coming meetings, then the past ones, with « inscrit·e » for the person."""
    club = club_for(club)
    if not perms.can_enter(request.user, club):
        raise Http404("Page introuvable.")
    now = timezone.now()
    rows = [_dress(m) for m in _meetings(club)]
    email = (request.user.email or "").lower()
    mine = set(
        Session.objects.filter(
            event__club_meeting__club=club,
            registrations__email=email,
            registrations__status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED],
        ).values_list("event__club_meeting", flat=True)
    )
    for meeting in rows:
        meeting.registered = meeting.pk in mine
    coming = sorted((m for m in rows if m.session and m.session.end >= now), key=lambda m: m.session.start)
    past = sorted((m for m in rows if m.session and m.session.end < now), key=lambda m: m.session.start, reverse=True)
    context = {
        "club": club,
        "coming": coming,
        "past": past,
        "undated": [m for m in rows if m.session is None],
        "can_facilitate": perms.can_facilitate(request.user, club),
    }
    return render(request, "club/meetings/list.html", context)


def _meeting_context(request, meeting, **extra):
    session = meeting.session
    registration = services.person_registration(meeting=meeting, email=request.user.email) if session else None
    now = timezone.now()
    availability = session_availability(session) if session else None
    attendance = None
    if session and session.has_started:
        attendance = session.registrations.filter(checked_in_at__isnull=False).count()
    return {
        "club": meeting.club,
        "meeting": meeting,
        "session": session,
        "registration": registration,
        "availability": availability,
        "is_coming": bool(session and session.start > now),
        "attendance": attendance,
        "can_facilitate": perms.can_facilitate(request.user, meeting.club),
        "can_read_minutes": meeting.minutes_published and perms.can_see_minutes(request.user, meeting),
        "guests": list(meeting.guests.filter(invited_by=request.user)) if request.user.is_authenticated else [],
        "guest_form": extra.pop("guest_form", None) or GuestForm(),
        **extra,
    }


@require_http_methods(["GET", "POST"])
def meeting_detail(request, club, pk):
    """Members and staff: the meeting; POST ``action`` = register, cancel or invite (a guest)."""
    meeting = get_meeting(request, club, pk)
    if request.method == "POST":
        action = request.POST.get("action")
        back = HttpResponseRedirect(request.path)
        try:
            if action == "register":
                registration = services.meeting_register(
                    meeting=meeting, user=request.user, site_url=site_url(request)
                )
                if registration.status == RegistrationStatus.CONFIRMED:
                    messages.success(request, "Inscription confirmée : un e-mail vous a été envoyé.")
                else:
                    messages.warning(request, "La rencontre est complète : vous êtes sur la liste d'attente.")
                return back
            if action == "cancel":
                services.meeting_unregister(meeting=meeting, user=request.user, site_url=site_url(request))
                messages.success(request, "Votre inscription est annulée.")
                return back
            if action == "invite":
                form = GuestForm(request.POST)
                if form.is_valid():
                    try:
                        guest = services.guest_invite(
                            meeting=meeting, by=request.user, site_url=site_url(request), **form.cleaned_data
                        )
                    except ValidationError as exc:
                        form_error(form, exc)
                    else:
                        messages.success(request, f"Invitation envoyée à {guest.name} ({guest.email}).")
                        return back
                context = _meeting_context(request, meeting, guest_form=form)
                return render(request, "club/meetings/meeting.html", context, status=400)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return back
        raise Http404("Action inconnue.")
    return render(request, "club/meetings/meeting.html", _meeting_context(request, meeting))


@require_http_methods(["GET", "POST"])
def meeting_guest(request, token):
    """A guest, by their invitation's link only: the meeting of this invitation, nothing else; its registration."""
    guest = get_object_or_404(MeetingGuest.objects.select_related("meeting__club"), token=token)
    meeting = _dress(get_object_or_404(_meetings(guest.meeting.club), pk=guest.meeting_id))
    session = meeting.session
    registration = services.person_registration(meeting=meeting, email=guest.email)
    form = GuestRegisterForm(request.POST or None)
    status = 200
    if request.method == "POST" and registration is None:
        if form.is_valid():
            try:
                registration = services.guest_register(guest=guest, site_url=site_url(request))
            except ValidationError as exc:
                form_error(form, exc)
                status = 409
            else:
                messages.success(request, "Vous êtes inscrit·e : un e-mail de confirmation vous a été envoyé.")
                return HttpResponseRedirect(request.path)
        else:
            status = 400
    context = {
        "guest": guest,
        "meeting": meeting,
        "club": meeting.club,
        "session": session,
        "registration": registration,
        "is_coming": bool(session and session.start > timezone.now()),
        "form": form,
    }
    response = render(request, "club/meetings/guest.html", context, status=status)
    response["Referrer-Policy"] = "no-referrer"
    return response


def minutes_document(request, club, pk):
    """The minutes' PDF, to who may read the minutes (members once published, the staff); 404 to anybody else."""
    meeting = get_meeting(request, club, pk)
    if not perms.can_see_minutes(request.user, meeting) or not meeting.minutes_document:
        raise Http404("Document introuvable.")
    name = f"compte-rendu-{meeting.session.start:%Y-%m-%d}.pdf" if meeting.session else "compte-rendu.pdf"
    return private_file_response(
        meeting.minutes_document, content_type="application/pdf", filename=name, attachment=False
    )


def topics(request, club):
    """Members and staff: the topics followed over the year, with their meetings and published sheets, by year."""
    club = club_for(club)
    if not perms.can_enter(request.user, club):
        raise Http404("Page introuvable.")
    # The meetings and the published sheets read once, each with its topics, then grouped by topic and year.
    by_topic = defaultdict(lambda: defaultdict(lambda: {"meetings": [], "practices": []}))
    for meeting in _meetings(club):
        _dress(meeting)
        year = meeting.session.start.year if meeting.session else meeting.created_at.year
        for topic in meeting.topics.all():
            by_topic[topic.pk][year]["meetings"].append(meeting)
    published = (
        PracticeSheet.objects.filter(club=club, status=PracticeStatus.PUBLISHED)
        .select_related("member__structure")
        .prefetch_related("topics")
    )
    for practice in published:
        for topic in practice.topics.all():
            by_topic[topic.pk][practice.published_at.year]["practices"].append(practice)
    rows = []
    for topic in Topic.objects.filter(club=club).order_by("name"):
        years = sorted(by_topic[topic.pk].items(), reverse=True)
        rows.append({"topic": topic, "years": years, "count": sum(len(y["meetings"]) for _, y in years)})
    return render(request, "club/meetings/topics.html", {"club": club, "topics": rows})


# --- the facilitators ---------------------------------------------------------------------------------------------


def _meeting_form_save(request, club, form, meeting=None):
    data = form.cleaned_data
    return services.meeting_save(
        club=club,
        by=request.user,
        meeting=meeting,
        theme=data["theme"],
        start=data["start"],
        end=data["end"],
        venue=data.get("venue"),
        host=data.get("host"),
        capacity=data.get("capacity"),
        agenda_text=data.get("agenda", ""),
        speakers=data.get("speakers", []),
        topics=list(data.get("topics") or [])
        + services.topics_from_names(club=club, names=split_names(data.get("new_topics", ""))),
    )


@require_http_methods(["GET", "POST"])
def meeting_new(request, club):
    club = club_for(club)
    if not perms.can_facilitate(request.user, club):
        raise Http404("Page introuvable.")
    form = MeetingForm(request.POST or None, club=club)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                meeting = _meeting_form_save(request, club, form)
            except ValidationError as exc:
                form_error(form, exc)
            else:
                messages.success(request, "Rencontre créée : elle est dans l'agenda, réservée aux membres.")
                return HttpResponseRedirect(reverse("club:meeting", kwargs={"club": club.slug, "pk": meeting.pk}))
        status = 400
    context = {"club": club, "form": form, "meeting": None, "cancel_url": reverse("club:meetings", args=[club.slug])}
    return render(request, "club/meetings/meeting_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def meeting_edit(request, club, pk):
    """The meeting's form, and its check-in list (POST ``action`` = check_in) once it has started."""
    meeting = get_meeting(request, club, pk, facilitate=True)
    club = meeting.club
    session = meeting.session
    status = 200
    if request.method == "POST" and request.POST.get("action") == "check_in":
        try:
            services.meeting_check_in(
                meeting=meeting,
                by=request.user,
                registration_id=posted_id(request.POST.get("registration")),
                present=request.POST.get("present") == "1",
            )
        except (ValueError, ValidationError) as exc:
            messages.error(request, exc.messages[0] if isinstance(exc, ValidationError) else "Inscription inconnue.")
        else:
            messages.success(request, "Présence enregistrée.")
        return HttpResponseRedirect(request.path + "#pointage")
    form = MeetingForm(request.POST or None, club=club, initial=MeetingForm.initial_for(meeting, session))
    if request.method == "POST":
        if form.is_valid():
            try:
                _meeting_form_save(request, club, form, meeting=meeting)
            except ValidationError as exc:
                form_error(form, exc)
            else:
                messages.success(request, "Rencontre enregistrée.")
                return HttpResponseRedirect(reverse("club:meeting", kwargs={"club": club.slug, "pk": meeting.pk}))
        status = 400
    registrations = []
    if session is not None:
        registrations = list(session.registrations.filter(status=RegistrationStatus.CONFIRMED).order_by("name", "pk"))
    context = {
        "club": club,
        "form": form,
        "meeting": meeting,
        "session": session,
        "registrations": registrations,
        "checked_in": sum(1 for r in registrations if r.checked_in_at),
        "can_check_in": bool(session and session.start - datetime.timedelta(hours=12) <= timezone.now()),
        "cancel_url": reverse("club:meeting", kwargs={"club": club.slug, "pk": meeting.pk}),
    }
    return render(request, "club/meetings/meeting_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def meeting_minutes(request, club, pk):
    """Facilitators, once the meeting has started: the minutes (text, PDF, topics); « Publier aux membres »."""
    meeting = get_meeting(request, club, pk, facilitate=True)
    if meeting.session is None or not meeting.session.has_started:
        raise Http404("Le compte rendu s'écrit une fois la rencontre commencée.")
    initial = {"minutes": meeting.minutes, "topics": list(meeting.topics.all())}
    form = MinutesForm(request.POST or None, request.FILES or None, club=meeting.club, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.minutes_save(
                    meeting=meeting,
                    by=request.user,
                    text=data["minutes"],
                    document=data.get("document"),
                    topics=list(data["topics"]),
                    new_topics=split_names(data["new_topics"]),
                    publish="publish" in request.POST,
                    site_url=site_url(request),
                )
            except ValidationError as exc:
                form_error(form, exc)
            else:
                published = "publish" in request.POST
                messages.success(
                    request, "Compte rendu publié aux membres." if published else "Compte rendu enregistré."
                )
                return HttpResponseRedirect(
                    reverse("club:meeting", kwargs={"club": meeting.club.slug, "pk": meeting.pk})
                )
        status = 400
    context = {"club": meeting.club, "meeting": meeting, "form": form}
    return render(request, "club/meetings/minutes_form.html", context, status=status)
