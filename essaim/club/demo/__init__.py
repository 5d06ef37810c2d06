"""The demo of the club (seeds 001 and 004, fiche 6 of seed 002), alive on any day ``essaim demo`` runs: every date
is relative to ``today``. Each part loads its own rows (``membership`` first: the club, its charter and its 22
member structures from the directory; then meetings, pooling, calls and practices on that club). Idempotent."""

from django.db import transaction
from django.utils import timezone

from essaim.club.demo.calls import load_demo_calls
from essaim.club.demo.meetings import load_demo_meetings
from essaim.club.demo.membership import load_demo_membership
from essaim.club.demo.pooling import load_demo_pooling
from essaim.club.demo.practices import load_demo_practices


@transaction.atomic
def load_demo_club(*, territories: dict, today=None) -> dict:
    """Returns {"club": Club, "accounts": [(email, what)], "members": int, "meetings": int, "listings": int,
    "answers": int, "practices": int}."""
    today = today or timezone.localdate()
    membership = load_demo_membership(territories=territories, today=today)
    club = membership["club"]
    return {
        "club": club,
        "accounts": membership["accounts"],
        "members": membership["members"],
        "meetings": load_demo_meetings(club=club, today=today)["meetings"],
        "listings": load_demo_pooling(club=club, today=today)["listings"],
        "answers": load_demo_calls(club=club, today=today)["answers"],
        "practices": load_demo_practices(club=club, today=today)["practices"],
    }
