"""Proposing an event (any person with an account, typically a member of an ESS structure): it goes to the
moderation queue of the chosen territory's officers, who publish or refuse it."""

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import render

from essaim.agenda.enums import AttendanceMode, RegistrationMode
from essaim.agenda.models import Campaign, Event, Venue
from essaim.agenda.services import ProposalError, event_propose
from essaim.www.agenda.forms import ProposalForm, ProposalSessionFormSet


@login_required
def propose(request):
    """Login required. The proposal form (a campaign with an open call, a structure the person manages, one or several
    sessions), and the person's proposals with where each stands."""
    initial = {}
    wanted = Campaign.objects.filter(slug=request.GET.get("campagne", ""), is_published=True).first()
    if wanted is not None:
        initial = {"campaign": wanted.pk, "territory": wanted.territory_id}
    form = ProposalForm(request.POST or None, user=request.user, initial=initial)
    sessions = ProposalSessionFormSet(request.POST or None, prefix="seances")
    if request.method == "POST" and form.is_valid() and sessions.is_valid():
        data = form.cleaned_data
        territory = data["territory"]
        rows = [
            (f.cleaned_data.get("label", ""), f.cleaned_data["start"], f.cleaned_data["end"])
            for f in sessions.forms
            if f.has_changed() and f.cleaned_data.get("start")
        ]
        try:
            with transaction.atomic():
                commune = data["commune"]
                venue = Venue.objects.filter(territory=territory, name=data["venue_name"], commune=commune).first()
                if venue is None:
                    venue = Venue.objects.create(
                        territory=territory,
                        name=data["venue_name"],
                        address=data["venue_address"],
                        postcode=commune.postcode_list[0] if commune.postcode_list else "",
                        commune=commune,
                        lat=commune.lat,
                        lon=commune.lon,
                        coordinates_approximate=True,
                    )
                event = Event(
                    territory=territory,
                    campaign=data.get("campaign"),
                    structure=data.get("structure"),
                    title=data["title"],
                    summary=data["summary"],
                    description=data["description"],
                    event_type=data["event_type"],
                    venue=venue,
                    attendance_mode=AttendanceMode.IN_PERSON,
                    registration_mode=RegistrationMode.NONE,
                    proposer_structure=data["proposer_structure"],
                )
                event_propose(
                    event=event,
                    audiences=data["audiences"],
                    by=request.user,
                    sessions=rows,
                    site_url=request.build_absolute_uri("/").rstrip("/"),
                )
        except ProposalError as exc:
            form.add_error("campaign", str(exc))
        else:
            return render(request, "agenda/propose_done.html", {"event": event, "territory": territory})
    proposals = (
        Event.objects.filter(proposed_by=request.user).select_related("territory", "campaign").order_by("-created_at")
    )
    return render(request, "agenda/propose.html", {"form": form, "sessions": sessions, "proposals": proposals})
