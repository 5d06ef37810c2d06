# ruff: noqa: E501 -- long report lines
"""Benchmark of the public observatory page of a territory (issue 19), against its territory page in the same run.

Target, on SQLite and on PostgreSQL: at national scale (1,000,000 structures over every commune of France,
100,000 registrations, 10,000 grant applications), ``observatory:territory`` of the CABBALR has a p95 within 3× the
p95 of its territory page (``territories:detail``). The page reads every registered capability's figures through
``essaim.observatory.figures``; a year's figures are kept in the cache (the page says when they were computed) and
the charts are drawn once per data, so the p95 is the cached page; the first (cold) request is printed apart.

Each page is rendered in-process by Django's test client (the whole middleware stack and templates, DEBUG off),
warmed up, then measured in alternation so that a slower moment of the machine weighs on both.

Usage: python bench/observatory_page.py [--database-url URL] [--structures 1000000] [--registrations 100000]
       [--applications 10000] [--runs 40] [--data-dir DIR]
"""

import argparse
import datetime
import shutil
import statistics
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

TARGET_RATIO = 3.0
CABBALR_SIREN = "200072460"


def populate(structures: int, registrations: int, applications: int):
    """France's communes, the demo territories, ``structures`` generated structures over every commune, events of
    the CABBALR with ``registrations`` confirmed registrations (a third checked in), ``applications`` grant
    applications. Bulk inserts: the bench measures the pages, not the services."""
    from django.utils import timezone

    from essaim.accounts.models import User
    from essaim.agenda.enums import EventType, Publication, RegistrationMode, RegistrationStatus
    from essaim.agenda.models import Event, Registration, Session
    from essaim.directory.generator import generate_structures
    from essaim.grants.enums import ApplicationState, GrantForm
    from essaim.grants.models import Application, OpenPeriod, RuleVersion, Scheme
    from essaim.territories.demo import load_demo_territories
    from essaim.territories.services import geo_import, read_communes_file

    geo_import(rows=read_communes_file())
    load_demo_territories()
    from essaim.territories.models import Territory

    territory = Territory.objects.get(siren=CABBALR_SIREN)
    generate_structures(count=structures, seed=19, batch_size=10000)

    now = timezone.now()
    events = max(1, registrations // 100)
    types = list(EventType.values)
    created = Event.objects.bulk_create(
        (
            Event(
                territory=territory,
                title=f"Rencontre de l'ESS n° {n}",
                summary="Un rendez-vous de l'économie sociale et solidaire.",
                event_type=types[n % len(types)],
                publication=Publication.PUBLISHED,
                published_at=now,
                registration_mode=RegistrationMode.HERE,
            )
            for n in range(events)
        ),
        batch_size=1000,
    )
    sessions = Session.objects.bulk_create(
        (
            Session(
                event=e,
                start=now - datetime.timedelta(days=(n * 7) % 300),
                end=now - datetime.timedelta(days=(n * 7) % 300) + datetime.timedelta(hours=2),
                capacity=None,
                uid=uuid.uuid4(),
            )
            for n, e in enumerate(created)
        ),
        batch_size=1000,
    )
    Registration.objects.bulk_create(
        (
            Registration(
                session=sessions[n % len(sessions)],
                name=f"Personne {n}",
                email=f"personne{n}@bench.example",
                status=RegistrationStatus.CONFIRMED,
                consent_at=now,
                checked_in_at=now if n % 3 == 0 else None,
            )
            for n in range(registrations)
        ),
        batch_size=5000,
    )

    scheme = Scheme.objects.create(
        territory=territory,
        slug="entreprendre-autrement",
        name="Entreprendre Autrement",
        attributing_name="CABBALR",
        attributing_siret="20007246000014",
        is_published=True,
    )
    rule = RuleVersion.objects.create(
        scheme=scheme,
        valid_from=datetime.date(2014, 1, 1),
        amount_per_fte=Decimal("2000.00"),
        fte_cap=Decimal("4.00"),
        investment_rate=Decimal("0.2000"),
        investment_base_cap=Decimal("15000.00"),
    )
    OpenPeriod.objects.create(scheme=scheme, starts_on=datetime.date(2000, 1, 1))
    applicants = User.objects.bulk_create(
        (User(email=f"demandeur{n}@bench.example", password="!") for n in range(applications)),  # noqa: S106
        batch_size=5000,
    )
    Application.objects.bulk_create(
        (
            Application(
                scheme=scheme,
                rule=rule,
                applicant=applicant,
                form=GrantForm.START,
                state=ApplicationState.SUBMITTED,
                submitted_at=now - datetime.timedelta(hours=n),
                project_title=f"Demande n° {n}",
                new_structure_name=f"Structure {n}",
            )
            for n, applicant in enumerate(applicants)
        ),
        batch_size=2000,
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="")
    parser.add_argument("--structures", type=int, default=1_000_000)
    parser.add_argument("--registrations", type=int, default=100_000)
    parser.add_argument("--applications", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--data-dir", default="")
    args = parser.parse_args()

    from timing import setup_django

    tmp = setup_django(database_url=args.database_url, data_dir=args.data_dir, prefix="essaim-bench-observatory-")
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from machine import Machine
    from timing import measure, percentile

    machine = Machine()
    scale = ", ".join(
        f"{n:,} {what}".replace(",", " ")
        for n, what in (
            (args.structures, "structures"),
            (args.registrations, "registrations"),
            (args.applications, "grant applications"),
        )
    )
    print(f"## Observatory page of a territory — {connection.vendor}, {scale}")
    print(machine.line())
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    from essaim.core.indicators import capabilities
    from essaim.directory.models import Structure

    t = time.perf_counter()
    if not Structure.objects.filter(is_generated=True).exists():
        populate(args.structures, args.registrations, args.applications)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"loaded in {time.perf_counter() - t:.0f} s")
    from essaim.territories.models import Territory

    territory = Territory.objects.get(siren=CABBALR_SIREN)
    print(f"capabilities registered: {', '.join(c.code for c in capabilities())}")
    client = Client()
    observatory = f"/observatoire/{territory.slug}/"
    cache.clear()
    t = time.perf_counter()
    response = client.get(observatory)
    assert response.status_code == 200, response.status_code
    print(f"  observatory page, cold (figures computed, charts drawn): {(time.perf_counter() - t) * 1000:.0f} ms")
    pairs = {
        "territory page": (client, territory.get_absolute_url()),
        "observatory page": (client, observatory),
    }
    timings, queries = measure(pairs, args.runs)
    base = percentile(timings["territory page"], 95)
    ok = True
    for label in pairs:
        ms = timings[label]
        p95 = percentile(ms, 95)
        line = f"  {label}: median {statistics.median(ms):.1f} ms, p95 {p95:.1f} ms, {queries[label]} queries"
        if label != "territory page":
            ratio = p95 / base
            verdict = "ok" if ratio <= TARGET_RATIO else "MISSED"
            ok &= ratio <= TARGET_RATIO
            line += f" — p95 ratio to the territory page {ratio:.2f}× (target ≤ {TARGET_RATIO:.0f}×) {verdict}"
        print(line)
    print(machine.steal_line())
    if not args.data_dir:
        connection.close()
        shutil.rmtree(tmp, ignore_errors=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
