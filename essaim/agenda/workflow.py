"""The publication workflow of an event, explicit: the table of allowed transitions, and one service that applies a
transition and writes its log row. No other code changes ``Event.publication``."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from essaim.agenda import perms
from essaim.agenda.enums import Publication
from essaim.agenda.models import Event, EventTransition


class TransitionError(Exception):
    """A transition that the workflow does not allow from the event's current state."""


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset
    target: str
    by_manager: bool  # True: the territory's officers; False: the person who proposes
    button_class: str = "btn"


TRANSITIONS = {
    t.name: t
    for t in [
        Transition("publish", "Publier", frozenset({Publication.DRAFT}), Publication.PUBLISHED, True),
        Transition("submit", "Proposer à la modération", frozenset({Publication.DRAFT}), Publication.PROPOSED, False),
        Transition("approve", "Accepter et publier", frozenset({Publication.PROPOSED}), Publication.PUBLISHED, True),
        Transition(
            "reject", "Refuser", frozenset({Publication.PROPOSED}), Publication.REJECTED, True, "btn btn-danger"
        ),
        Transition(
            "unpublish", "Dépublier", frozenset({Publication.PUBLISHED}), Publication.DRAFT, True, "btn btn-secondary"
        ),
        Transition(
            "reopen",
            "Remettre en brouillon",
            frozenset({Publication.REJECTED}),
            Publication.DRAFT,
            True,
            "btn btn-secondary",
        ),
    ]
}


def available_transitions(*, event: Event, user) -> list[Transition]:
    """The transitions this person may apply to this event now (for the buttons of the event's back-office page)."""
    manager = perms.can_manage_event(user, event)
    return [
        t
        for t in TRANSITIONS.values()
        if event.publication in t.sources and (manager if t.by_manager else perms.can_submit_event(user, event))
    ]


def event_transition(*, event: Event, name: str, by, note: str = "", site_url: str = "") -> Event:
    """Applies the transition ``name`` to the event and logs it. Locks the event row so that two officers moderating
    the same proposal at once cannot both apply a transition from the same state.

    Publishing stamps ``published_at`` (first time only); a rejection keeps the officer's note as the message shown
    to the person who proposed the event. The proposer is told by mail of an approval or a rejection."""
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise TransitionError(f"Transition inconnue : {name}.")
    with transaction.atomic():
        locked = Event.objects.select_for_update(of=("self",)).get(pk=event.pk)
        allowed = perms.can_manage_event(by, locked) if transition.by_manager else perms.can_submit_event(by, locked)
        if not allowed:
            raise PermissionDenied("Vous ne pouvez pas faire cette action sur cet événement.")
        if locked.publication not in transition.sources:
            raise TransitionError(
                f"« {transition.label} » est impossible : l'événement est {locked.get_publication_display()}."
            )
        source = locked.publication
        locked.publication = transition.target
        if transition.target == Publication.PUBLISHED and locked.published_at is None:
            locked.published_at = timezone.now()
        if name == "reject":
            locked.moderation_note = note
        locked.save(update_fields=["publication", "published_at", "moderation_note", "updated_at"])
        EventTransition.objects.create(
            event=locked,
            name=name,
            from_state=source,
            to_state=transition.target,
            by=by if getattr(by, "is_authenticated", False) else None,
            note=note,
        )
        if name in {"approve", "reject"} and (locked.proposer_email or locked.proposed_by_id):
            from essaim.agenda.tasks import send_moderation_outcome

            transaction.on_commit(lambda: send_moderation_outcome.enqueue(locked.pk, site_url))
        if name == "submit":
            from essaim.agenda.tasks import send_moderation_request

            transaction.on_commit(lambda: send_moderation_request.enqueue(locked.pk, site_url))
    event.refresh_from_db()
    return event
