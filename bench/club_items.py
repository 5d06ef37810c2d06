"""Benchmark of the shared items' bookings (issue 18): 100 concurrent bookings of one vehicle for overlapping
periods, each in its own thread and database connection, started together. Expected on SQLite and on PostgreSQL:
exactly one confirmed, the 99 others refused with the French message naming the conflict, 0 errors (the unique
constraint ``item_booking_unit_once`` is the guard). Prints the outcome and the time taken; asserts nothing about
time (the exit code says whether the outcome was right).

Usage: python bench/club_items.py [--database-url URL] [--clients 100]
"""

import argparse
import datetime
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="")
    parser.add_argument("--clients", type=int, default=100)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="essaim-bench-items-")
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
    os.environ["ESSAIM_VAR_DIR"] = tmp
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

    import django

    django.setup()
    from django.core.exceptions import ValidationError
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone
    from machine import Machine

    from essaim.accounts.models import User
    from essaim.club.enums import BookingUnit, MemberStatus
    from essaim.club.models import Club, ItemBooking, Member, MemberPerson, SharedItem
    from essaim.club.services.items import item_book, period_of_days
    from essaim.directory.models import Structure
    from essaim.territories.models import Territory

    print(f"## Club shared items — {connection.vendor}, {args.clients} concurrent bookings of one vehicle")
    print(Machine().line())
    call_command("migrate", verbosity=0)
    territory = Territory.objects.create(slug="bench", name="Territoire du banc d'essai", kind="CA", siren="200072460")
    club = Club.objects.create(territory=territory, slug="club-bench", name="Club du banc d'essai")
    today = timezone.localdate()
    people = []
    for n in range(args.clients):
        structure = Structure.objects.create(name=f"Structure {n}", slug=f"structure-{n}", rna=f"W62{n:07d}")
        member = Member.objects.create(
            club=club, structure=structure, status=MemberStatus.ACTIVE, joined_on=today, expires_on=today
        )
        user = User.objects.create_user(email=f"membre{n}@bench.example")
        MemberPerson.objects.create(member=member, user=user)
        people.append((user, member))
    van = SharedItem.objects.create(
        club=club, owner=people[0][1], name="Camionnette", category="vehicle", unit=BookingUnit.DAY
    )
    first = today + datetime.timedelta(days=10)
    barrier = threading.Barrier(args.clients)
    results = [None] * args.clients

    def worker(index):
        user, member = people[index]
        start, end = period_of_days(
            first + datetime.timedelta(days=index % 5), first + datetime.timedelta(days=5 + index % 3)
        )
        try:
            barrier.wait(timeout=60)
            results[index] = item_book(item=van, member=member, by=user, start=start, end=end)
        except ValidationError as exc:
            results[index] = exc
        except Exception as exc:  # noqa: BLE001 -- counted as an error
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(args.clients)]
    t = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    elapsed = time.perf_counter() - t
    confirmed = sum(isinstance(r, ItemBooking) for r in results)
    refused = [r for r in results if isinstance(r, ValidationError) and "est déjà réservé" in r.messages[0]]
    errors = [r for r in results if not isinstance(r, ItemBooking) and r not in refused]
    in_db = ItemBooking.objects.filter(item=van, status="confirmed").count()
    print(
        f"  {confirmed} confirmed ({in_db} in the database), {len(refused)} refused clearly, {len(errors)} errors, "
        f"in {elapsed:.2f} s"
    )
    if refused:
        print(f"  message: {refused[0].messages[0]}")
    for error in errors[:3]:
        print(f"  error: {error!r}")
    ok = confirmed == 1 and in_db == 1 and len(refused) == args.clients - 1 and not errors
    print("  outcome ok" if ok else "  outcome WRONG")
    connection.close()
    shutil.rmtree(tmp, ignore_errors=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
