# ruff: noqa: E501 -- long report lines
"""Benchmark of the club's pooling board (issue 18), against the directory's search page in the same run.

Target, on SQLite and on PostgreSQL: with 2,000 member structures and 10,000 offers and needs, the board (first
page, and filtered by kind, category and text) and a need's page with its matching suggestions render with a p95
within 2× the p95 of the directory search page (``/annuaire/?q=…``) of the same run.

Pages are rendered in-process by Django's test client (the whole middleware stack and templates, DEBUG off), as a
member, warmed up, then measured in alternation so that a slower moment of the machine weighs on all. It prints
figures; it asserts nothing about time (the exit code says whether the ratio was met).

Usage: python bench/club_board.py [--database-url URL] [--members 2000] [--listings 10000] [--runs 30]
"""

import argparse
import datetime
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

TARGET_RATIO = 2.0


def populate(members: int, listings: int):
    """The Pas-de-Calais communes, a territory, ``members`` generated structures each a member of the club with one
    person, ``listings`` offers and needs spread over categories, communes and periods, and the search index."""
    from django.utils import timezone

    from essaim.accounts.models import User
    from essaim.club.enums import ListingCategory, ListingKind, MemberStatus
    from essaim.club.models import Club, Listing, Member, MemberPerson
    from essaim.core.text import fold
    from essaim.directory.generator import generate_structures
    from essaim.directory.models import Structure
    from essaim.search.indexer import reindex
    from essaim.territories.models import Commune, Territory, TerritoryCommune
    from essaim.territories.services import geo_import, read_communes_file

    geo_import(rows=(r for r in read_communes_file() if r["departement"] == "62"))
    communes = Commune.objects.filter(departement__code="62")
    territory = Territory.objects.create(slug="bench", name="Territoire du banc d'essai", kind="CA", siren="200072460")
    TerritoryCommune.objects.bulk_create(TerritoryCommune(territory=territory, commune=c) for c in communes)
    generate_structures(count=members, seed=7, communes=communes)
    club = Club.objects.create(territory=territory, slug="club-bench", name="Club des entrepreneurs du banc d'essai")
    today = timezone.localdate()
    structures = list(Structure.objects.order_by("pk")[:members])
    Member.objects.bulk_create(
        Member(
            club=club,
            structure=s,
            status=MemberStatus.ACTIVE,
            joined_on=today,
            expires_on=today + datetime.timedelta(days=300),
        )
        for s in structures
    )
    member_rows = list(Member.objects.filter(club=club).select_related("structure").order_by("pk"))
    users = User.objects.bulk_create(
        User(email=f"membre{n}@bench.example", full_name=f"Membre {n}") for n in range(len(member_rows))
    )
    MemberPerson.objects.bulk_create(MemberPerson(member=m, user=u) for m, u in zip(member_rows, users, strict=True))
    user = User.objects.get(email="membre0@bench.example")
    user.set_password("bench-password-1")
    user.save()
    categories, words = (
        list(ListingCategory.values),
        ["camionnette", "salle", "comptable", "local", "sono", "formation", "graphisme", "stockage"],
    )
    now = timezone.now()
    rows = []
    for n in range(listings):
        member = member_rows[n % len(member_rows)]
        title = f"{words[n % len(words)].capitalize()} n° {n}"
        description = "Annonce du banc d'essai, disponible en semaine."
        start = today + datetime.timedelta(days=n % 60) if n % 3 else None
        rows.append(
            Listing(
                club=club,
                member=member,
                kind=ListingKind.NEED if n % 4 == 0 else ListingKind.OFFER,
                category=categories[(n // 4) % len(categories)],
                title=title,
                description=description,
                commune_id=member.structure.commune_id,
                available_from=start,
                available_until=start + datetime.timedelta(days=90) if start and n % 2 else None,
                is_free=n % 2 == 0,
                contact_name="Contact",
                contact_email=f"contact{n}@bench.example",
                show_publicly=n % 5 != 0,
                search_text=fold(f"{title} {description}"),
                created_at=now - datetime.timedelta(minutes=n),
                updated_at=now,
            )
        )
    Listing.objects.bulk_create(rows, batch_size=2000)
    reindex()
    return club


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="")
    parser.add_argument("--members", type=int, default=2_000)
    parser.add_argument("--listings", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    from timing import setup_django

    tmp = setup_django(database_url=args.database_url, prefix="essaim-bench-club-")
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from machine import Machine
    from timing import measure, percentile

    machine = Machine()
    print(f"## Club pooling board — {connection.vendor}, {args.members} members, {args.listings} offers and needs")
    print(machine.line())
    call_command("migrate", verbosity=0)
    t = time.perf_counter()
    club = populate(args.members, args.listings)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"loaded in {time.perf_counter() - t:.0f} s")
    from essaim.accounts.models import User
    from essaim.club.matching import matches_for
    from essaim.club.models import Listing

    client = Client()
    client.force_login(User.objects.get(email="membre0@bench.example"))
    need = next(
        x for x in Listing.objects.filter(club=club, kind="need").order_by("-created_at")[:50] if matches_for(x)
    )
    board = f"/club/{club.slug}/mutualisation/"
    pairs = {
        "directory search": (client, "/annuaire/?q=association"),
        "board, page 1": (client, board),
        "board, filtered (offers, vehicle, text), page 1": (
            client,
            f"{board}?kind=offer&category=vehicle&q=camionnette",
        ),
        "board, page 5": (client, f"{board}?page=5"),
        "a need with its matching offers": (client, f"{board}{need.pk}/"),
    }
    timings, queries = measure(pairs, args.runs)
    ok = True
    base = percentile(timings["directory search"], 95)
    for label in pairs:
        ms = timings[label]
        p95 = percentile(ms, 95)
        line = f"  {label}: median {statistics.median(ms):.1f} ms, p95 {p95:.1f} ms, {queries[label]} queries"
        if label != "directory search":
            ratio = p95 / base
            verdict = "ok" if ratio <= TARGET_RATIO else "MISSED"
            ok &= ratio <= TARGET_RATIO
            line += f" — p95 ratio to the directory search {ratio:.2f}× (target ≤ {TARGET_RATIO:.0f}×) {verdict}"
        print(line)
    print(f"  matching suggestions for the need: {len(matches_for(need))}")
    print(machine.steal_line())
    connection.close()
    shutil.rmtree(tmp, ignore_errors=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
