# ruff: noqa: E501 -- long report lines
"""Benchmark of the yearly evaluation report (issue 19), against the campaign programme PDF in the same run.

Target, on SQLite and on PostgreSQL: the PDF report of a territory for the elected members (key figures through the
observatory's figures, up to six charts with their tables, the evaluation of its sixteen fiches, the budget) renders
within 3× the time of the Mois de l'ESS programme PDF (``essaim.agenda.programme.render_programme_pdf``, uncached)
of the same run.

The data is the demo's (``essaim demo`` without the geography of all France: the Pas-de-Calais and the CABBALR's
communes): the CABBALR's sixteen fiches evaluated last year, its Mois de l'ESS, grants, support and club. Both PDFs
are rendered in-process, warmed up, then in alternation so that a slower moment of the machine weighs on both. It
prints figures; the exit code says whether the ratio was met.

Usage: python bench/observatory_report.py [--database-url URL] [--runs 7]
"""

import argparse
import io
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

TARGET_RATIO = 3.0
CABBALR_SIREN = "200072460"


def populate():
    """The demo, as ``essaim demo`` loads it, on the Pas-de-Calais communes; returns (territory, campaign)."""
    from django.test.utils import override_settings

    from essaim.accounts.demo import load_demo_accounts
    from essaim.agenda.demo import load_demo_agenda
    from essaim.club.demo import load_demo_club
    from essaim.directory.demo import load_demo_structures
    from essaim.grants.demo import load_demo_grants
    from essaim.observatory.demo import load_demo_observatory
    from essaim.support.demo import load_demo_support
    from essaim.territories.demo import load_demo_territories
    from essaim.territories.services import geo_import, read_communes_file

    demo_epcis = {"200069672", CABBALR_SIREN}
    geo_import(rows=(r for r in read_communes_file() if r["departement"] == "62" or r["epci_siren"] in demo_epcis))
    territories = load_demo_territories()
    load_demo_accounts(territories)
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        load_demo_structures(territories=territories, with_generated=0)
        agenda = load_demo_agenda(territories=territories)
        load_demo_grants(territories=territories)
        load_demo_support(territories=territories)
        load_demo_club(territories=territories)
        load_demo_observatory(territories=territories)
    return territories["cabbalr"], agenda["campaign"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    from timing import setup_django

    tmp = setup_django(database_url=args.database_url, prefix="essaim-bench-report-")
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone
    from machine import Machine

    from essaim.agenda.programme import render_programme_pdf
    from essaim.observatory.report import report_data, report_pdf

    machine = Machine()
    print(f"## Evaluation report PDF against the campaign programme PDF — {connection.vendor}")
    print(machine.line())
    call_command("migrate", verbosity=0, stdout=io.StringIO())
    t = time.perf_counter()
    territory, campaign = populate()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"loaded in {time.perf_counter() - t:.0f} s")
    year = timezone.localdate().year - 1
    site = "https://essaim.example"

    def programme():
        return render_programme_pdf(campaign=campaign, site_url=site)

    def report():
        return report_pdf(report_data(territory, year))

    jobs = {"campaign programme PDF": programme, f"evaluation report PDF {year}": report}
    sizes = {}
    for label, job in jobs.items():  # warm up: templates, fonts, matplotlib
        sizes[label] = len(job())
    timings = {label: [] for label in jobs}
    for _ in range(args.runs):
        for label, job in jobs.items():
            t = time.perf_counter()
            job()
            timings[label].append((time.perf_counter() - t) * 1000)
    base = statistics.median(timings["campaign programme PDF"])
    ok = True
    for label, ms in timings.items():
        median = statistics.median(ms)
        line = f"  {label}: median {median:.0f} ms, max {max(ms):.0f} ms, {sizes[label] // 1024} KiB"
        if label != "campaign programme PDF":
            ratio = median / base
            verdict = "ok" if ratio <= TARGET_RATIO else "MISSED"
            ok &= ratio <= TARGET_RATIO
            line += f" — ratio to the programme {ratio:.2f}× (target ≤ {TARGET_RATIO:.0f}×) {verdict}"
        print(line)
    print(machine.steal_line())
    connection.close()
    shutil.rmtree(tmp, ignore_errors=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
