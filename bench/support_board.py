# ruff: noqa: E501 -- long report lines
"""Benchmark of the officers' board of accompanied projects (issue 17), against the grant queue in the same run.

Target, on SQLite and on PostgreSQL: the board of a territory with 20,000 open projects (each with a referent,
half of them referred to a partner, a third with a next step due, every one with a note) renders its first page
— and a filtered page — with a p95 within 2× the p95 of the grant queue page (``grants:queue``) of the same
officer, with the same number of queries at any size.

Each page is rendered in-process by Django's test client (the whole middleware stack and templates, DEBUG off),
warmed up, then measured in alternation (A, B, C, A, B, C…) so that a slower moment of the machine weighs on all.

Usage: python bench/support_board.py [--database-url URL] [--projects 20000] [--applications 200] [--runs 40]
       [--data-dir DIR]
"""

import argparse
import datetime
import shutil
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

TARGET_RATIO = 2.0


def populate(projects: int, applications: int):
    """A territory, its officer, three partners, ``projects`` open projects and ``applications`` filed grant
    applications (the queue's rows). Bulk inserts: the bench measures the pages, not the services."""
    from django.utils import timezone

    from essaim.accounts.enums import Role
    from essaim.accounts.models import Membership, User
    from essaim.grants.enums import ApplicationState, GrantForm
    from essaim.grants.models import Application, OpenPeriod, RuleVersion, Scheme
    from essaim.support.enums import Need, Stage
    from essaim.support.models import NextStep, Partner, Project, ProjectNote, Referral
    from essaim.territories.models import Commune, Departement, Region, Territory, TerritoryCommune

    region = Region.objects.create(code="32", name="Hauts-de-France")
    departement = Departement.objects.create(code="62", name="Pas-de-Calais", region=region)
    territory = Territory.objects.create(slug="bench", name="Territoire du banc d'essai", kind="CA", siren="200072460")
    communes = [
        Commune.objects.create(
            insee_code=f"62{n:03d}", name=f"Commune {n}", departement=departement, lat=50.4, lon=2.5
        )
        for n in range(30)
    ]
    TerritoryCommune.objects.bulk_create(TerritoryCommune(territory=territory, commune=c) for c in communes)
    officer = User.objects.create_user(email="agent@bench.example", password="bench-password-1")  # noqa: S106
    Membership.objects.create(user=officer, territory=territory, role=Role.OFFICER)
    colleagues = [User.objects.create_user(email=f"collegue{n}@bench.example") for n in range(5)]
    for user in colleagues:
        Membership.objects.create(user=user, territory=territory, role=Role.OFFICER)
    partners = [Partner.objects.create(territory=territory, name=f"Partenaire {n}") for n in range(3)]
    stages, needs, referents = list(Stage.values), list(Need.values), [officer, *colleagues]
    rows = Project.objects.bulk_create(
        (
            Project(
                territory=territory,
                title=f"Projet accompagné n° {n}",
                holder_name=f"Porteur {n}",
                holder_email=f"porteur{n}@bench.example",
                stage=stages[n % len(stages)],
                needs=[needs[n % len(needs)], needs[(n * 7) % len(needs)]],
                commune=communes[n % len(communes)],
                referent=referents[n % len(referents)],
            )
            for n in range(projects)
        ),
        batch_size=2000,
    )
    Referral.objects.bulk_create(
        (Referral(project=p, partner=partners[n % 3]) for n, p in enumerate(rows[::2])), batch_size=2000
    )
    due = timezone.localdate() + datetime.timedelta(days=10)
    NextStep.objects.bulk_create(
        (NextStep(project=p, title="Relancer", due_on=due) for p in rows[::3]), batch_size=2000
    )
    ProjectNote.objects.bulk_create((ProjectNote(project=p, text="Premier entretien.") for p in rows), batch_size=2000)

    scheme = Scheme.objects.create(
        territory=territory,
        slug="entreprendre-autrement",
        name="Entreprendre Autrement",
        attributing_name="Territoire du banc d'essai",
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
    applicants = [User.objects.create_user(email=f"demandeur{n}@bench.example") for n in range(applications)]
    now = timezone.now()
    Application.objects.bulk_create(
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
    )
    return territory, officer


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="")
    parser.add_argument("--projects", type=int, default=20_000)
    parser.add_argument("--applications", type=int, default=200)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--data-dir", default="")
    args = parser.parse_args()

    from timing import setup_django

    tmp = setup_django(database_url=args.database_url, data_dir=args.data_dir, prefix="essaim-bench-support-")
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from machine import Machine
    from timing import measure, percentile

    machine = Machine()
    projects, applications = (f"{n:,}".replace(",", " ") for n in (args.projects, args.applications))
    print(
        f"## Officers' board of projects — {connection.vendor}, {projects} projects, {applications} filed applications"
    )
    print(machine.line())
    call_command("migrate", verbosity=0)
    from essaim.support.models import Project

    t = time.perf_counter()
    if not Project.objects.exists():
        populate(args.projects, args.applications)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"loaded in {time.perf_counter() - t:.0f} s")
    from essaim.accounts.models import User
    from essaim.territories.models import Territory

    territory = Territory.objects.get(slug="bench")
    officer = User.objects.get(email="agent@bench.example")
    client = Client()
    client.force_login(officer)
    board = f"/accompagnement/suivi/{territory.slug}/"
    pairs = {
        "grant queue": (client, "/aides/instruction/"),
        "board, page 1": (client, board),
        "board, filtered (stage, need), page 3": (client, f"{board}?stage=study&need=financing&page=3"),
    }
    timings, queries = measure(pairs, args.runs)
    ok = True
    base = percentile(timings["grant queue"], 95)
    for label in pairs:
        ms = timings[label]
        p95 = percentile(ms, 95)
        line = f"  {label}: median {statistics.median(ms):.1f} ms, p95 {p95:.1f} ms, {queries[label]} queries"
        if label != "grant queue":
            ratio = p95 / base
            verdict = "ok" if ratio <= TARGET_RATIO else "MISSED"
            ok &= ratio <= TARGET_RATIO
            line += f" — p95 ratio to the grant queue {ratio:.2f}× (target ≤ {TARGET_RATIO:.0f}×) {verdict}"
        print(line)
    print(machine.steal_line())
    if not args.data_dir:
        connection.close()
        shutil.rmtree(tmp, ignore_errors=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
