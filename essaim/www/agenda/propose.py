"""Proposing an event (any person with an account, typically a member of an ESS structure): it goes to the
moderation queue of the chosen territory's officers, who publish or refuse it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from essaim.agenda.enums import AttendanceMode, RegistrationMode
from essaim.agenda.models import Event, Session, Venue
from essaim.agenda.services import event_propose
from essaim.www.agenda.forms import ProposalForm


@login_required
def propose(request):
    """Login required. The proposal form, and the person's proposals with where each stands."""
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        territory = data["territory"]
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
                site_url=request.build_absolute_uri("/").rstrip("/"),
            )
            Session.objects.create(event=event, start=data["start"], end=data["end"])
        messages.success(
            request,
            f"Merci ! « {event.title} » est proposé à l'équipe de {territory.name}, qui le relira avant publication. "
            "Vous serez prévenu·e par e-mail.",
        )
        return HttpResponseRedirect(reverse("agenda:propose"))
    proposals = Event.objects.filter(proposed_by=request.user).select_related("territory").order_by("-created_at")
    return render(request, "agenda/propose.html", {"form": form, "proposals": proposals})
