# ruff: noqa: E501, S608 -- long report lines; benchmark SQL built from our own constants
"""Benchmark of the directory (issue 3): search, facets, clusters, HTTP throughput, reindex and SIRENE import.

Targets at N = 1,000,000 structures on this 2-core machine, on SQLite and on PostgreSQL:
- in-process search with facets on a standard mix of 200 queries: p50 ≤ 5 ms, p95 ≤ 15 ms, p99 ≤ 30 ms;
- at least 10× faster at p95 than the database's own full text (SQLite FTS5 / PostgreSQL tsvector + GIN, top 20 by
  rank and facets counted in SQL), and 100× faster than a naive ORM (icontains + COUNT per facet) on a sample;
- HTTP against `essaim serve` with 16 concurrent clients: ≥ 400 searches/s, p99 ≤ 100 ms, ≥ 70 % of in-process;
- clusters for any bbox, zoom and filters: p95 ≤ 20 ms, payload ≤ 50 KB;
- `essaim reindex` of 1M ≤ 60 s; `import_sirene` ≥ 100,000 rows/s scanned with peak memory < 400 MB.

Usage: python bench/directory.py [--database-url URL] [--count 1000000] [--sirene-rows 2000000] [--skip-http]
       [--data-dir DIR]  (keeps the generated structures and the index there, reused by the next run)
"""

import argparse
import csv
import http.client
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = [
    "ressourcerie", "recyclerie", "épicerie solidaire", "jardins partagés", "insertion", "chantier", "culture",
    "théâtre", "vélo", "garage solidaire", "crèche", "aide à domicile", "centre social", "fab lab", "numérique",
    "mutuelle", "santé", "club sportif", "football", "randonnée", "énergie citoyenne", "monnaie locale",
    "habitat", "tiers-lieu", "coopérative", "repair café", "amap", "paniers", "régie de quartier", "esat",
    "entreprise adaptée", "festival", "compagnie", "maison des jeunes", "foyer rural", "éducation populaire",
    "microcrédit", "épargne solidaire", "couveuse", "réemploi", "biodiversité", "compost", "cantine",
]  # fmt: skip
FACETS = [("family", "association"), ("family", "cooperative"), ("sector", "culture"), ("sector", "alimentation"),
          ("label", "ACI"), ("sector", "sport"), ("employer", "oui"), ("family", "mutuelle")]  # fmt: skip


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


def strip_accents(text):
    from essaim.core.text import fold

    return fold(text)


def typo(word, rng):
    if len(word) < 6:
        return word
    i = rng.randrange(2, len(word) - 1)
    return word[:i] + word[i + 1 :]


def query_mix(rng, communes, n=200):
    """1–3 French words, some without accents, some with a typo, half with a facet, a quarter with 20 km."""
    mix = []
    for k in range(n):
        words = " ".join(rng.sample(WORDS, rng.choice([1, 1, 2, 3]))).split()[:3]
        text = " ".join(words)
        if k % 3 == 1:
            text = strip_accents(text)
        if k % 5 == 2:
            text = " ".join(typo(w, rng) for w in text.split())
        params = {"q": text}
        if k % 2 == 0:
            name, value = rng.choice(FACETS)
            params[name] = value
        if k % 4 == 3:
            code, lat, lon = rng.choice(communes)
            params["near"] = f"{lat},{lon}"
            params["radius_km"] = "20"
        mix.append(params)
    return mix


def to_search(params):
    from essaim.search.params import parse_search

    return parse_search(params, seed=1).search


def timed(fn, items):
    out = []
    for item in items:
        t = time.perf_counter()
        fn(item)
        out.append((time.perf_counter() - t) * 1000)
    return out


def summary(label, ms, target=None):
    line = (
        f"{label}: p50 {percentile(ms, 50):.2f} ms, p95 {percentile(ms, 95):.2f} ms, p99 {percentile(ms, 99):.2f} ms"
    )
    return line + (f"  (target {target})" if target else "")


# --- database baselines (vendor-specific SQL lives here only) -----------------------------------------------------


def fts_setup(connection):
    with connection.cursor() as c:
        if connection.vendor == "sqlite":
            c.execute("DROP TABLE IF EXISTS bench_fts")
            c.execute(
                "CREATE VIRTUAL TABLE bench_fts USING fts5(name, description, content='directory_structure', "
                "content_rowid='id', tokenize='unicode61 remove_diacritics 2')"
            )
            c.execute(
                "INSERT INTO bench_fts(rowid, name, description) SELECT id, name, description FROM directory_structure"
            )
        else:
            c.execute("ALTER TABLE directory_structure ADD COLUMN IF NOT EXISTS bench_tsv tsvector")
            # Only rows not yet done: with --data-dir the structures are reused, and rewriting every row again
            # would leave a million dead rows for the phases that follow to read through.
            c.execute(
                "UPDATE directory_structure SET bench_tsv = to_tsvector('french', name || ' ' || description) "
                "WHERE bench_tsv IS NULL"
            )
            c.execute("CREATE INDEX IF NOT EXISTS bench_tsv_gin ON directory_structure USING gin(bench_tsv)")
            c.execute("ANALYZE directory_structure")


def fts_query(connection, params):
    """Top 20 by rank and facets (family, sector, label) counted in SQL over the whole match set."""
    words = [w for w in strip_accents(params["q"]).replace("-", " ").split() if len(w) > 1]
    filters, args = [], []
    join = ""
    for name in ("family",):
        if params.get(name):
            filters.append("s.family = %s")
            args.append(params[name])
    if params.get("sector"):
        join += " JOIN directory_structure_sectors ss ON ss.structure_id = s.id JOIN directory_sector sec ON sec.id = ss.sector_id"
        filters.append("sec.slug = %s")
        args.append(params["sector"])
    if params.get("near"):
        lat, lon = (float(x) for x in params["near"].split(","))
        filters.append("s.lat BETWEEN %s AND %s AND s.lon BETWEEN %s AND %s")
        args += [lat - 0.18, lat + 0.18, lon - 0.28, lon + 0.28]
    with connection.cursor() as c:
        if connection.vendor == "sqlite":
            match = " ".join(f'"{w}"' for w in words)
            base = f"FROM bench_fts f JOIN directory_structure s ON s.id = f.rowid {join} WHERE bench_fts MATCH %s"
            where = "".join(f" AND {f}" for f in filters)
            c.execute(f"SELECT s.id {base}{where} ORDER BY bm25(bench_fts) LIMIT 20", [match, *args])
            c.fetchall()
            for column in ("s.family", "s.commune_id"):
                c.execute(f"SELECT {column}, COUNT(*) {base}{where} GROUP BY {column}", [match, *args])
                c.fetchall()
            c.execute(
                f"SELECT l.label, COUNT(*) {base}{where.replace('%s', '%s')} AND 1=1 GROUP BY l.label".replace(
                    "FROM bench_fts f", "FROM bench_fts f JOIN directory_structurelabel l ON l.structure_id = f.rowid"
                ),
                [match, *args],
            )
            c.fetchall()
        else:
            base = f"FROM directory_structure s {join} WHERE s.bench_tsv @@ plainto_tsquery('french', %s)"
            where = "".join(f" AND {f}" for f in filters)
            q = " ".join(words)
            c.execute(
                f"SELECT s.id {base}{where} ORDER BY ts_rank(s.bench_tsv, plainto_tsquery('french', %s)) DESC LIMIT 20",
                [q, *args, q],
            )
            c.fetchall()
            for column in ("s.family", "s.commune_id"):
                c.execute(f"SELECT {column}, COUNT(*) {base}{where} GROUP BY {column}", [q, *args])
                c.fetchall()
            c.execute(
                f"SELECT l.label, COUNT(*) FROM directory_structure s JOIN directory_structurelabel l ON l.structure_id = s.id {join} "
                f"WHERE s.bench_tsv @@ plainto_tsquery('french', %s){where} GROUP BY l.label",
                [q, *args],
            )
            c.fetchall()


def naive_orm(params):
    from django.db.models import Count, Q

    from essaim.directory.models import Structure

    qs = Structure.objects.filter(status="published")
    for word in params["q"].split():
        qs = qs.filter(Q(name__icontains=word) | Q(description__icontains=word))
    for name in ("family",):
        if params.get(name):
            qs = qs.filter(family=params[name])
    if params.get("sector"):
        qs = qs.filter(sectors__slug=params["sector"])
    list(qs.order_by("name")[:20])
    qs.count()
    for facet in ("family", "commune", "is_employer", "labels__label", "sectors__slug"):
        list(qs.values(facet).annotate(n=Count("id")))


# --- SIRENE stock files ---------------------------------------------------------------------------------------------


def write_sirene(tmp, n_et, communes, rng):
    data = ROOT / "tests" / "directory" / "data"
    with open(data / "StockUniteLegale_synthetic_62.csv", newline="") as f:
        ul_header = next(csv.reader(f))
    with open(data / "StockEtablissement_synthetic_62.csv", newline="") as f:
        reader = csv.reader(f)
        et_header = next(reader)
        et_model = next(reader)
    from essaim.directory.generator import _luhn_complete

    ul_path, et_path = Path(tmp) / "StockUniteLegale.csv", Path(tmp) / "StockEtablissement.csv"
    n_ul = n_et // 2
    ui = {n: i for i, n in enumerate(ul_header)}
    ei = {n: i for i, n in enumerate(et_header)}
    sirens = []
    with open(ul_path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(ul_header)
        for k in range(n_ul):
            siren = _luhn_complete(f"{10000000 + k:08d}")
            sirens.append(siren)
            row = [""] * len(ul_header)
            row[ui["siren"]] = siren
            ess = k % 10 == 0
            row[ui["categorieJuridiqueUniteLegale"]] = "9220" if ess else rng.choice(["5710", "5499", "1000", "6540"])
            row[ui["economieSocialeSolidaireUniteLegale"]] = "O" if ess else "N"
            row[ui["denominationUniteLegale"]] = f"UNITE LEGALE {k}"
            row[ui["etatAdministratifUniteLegale"]] = "A"
            w.writerow(row)
    codes = [c for c, _, _ in communes]
    with open(et_path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(et_header)
        for k in range(n_et):
            row = list(et_model)
            siren = sirens[k % n_ul]
            row[ei["siren"]] = siren
            row[ei["siret"]] = _luhn_complete(f"{siren}{k // n_ul + 1:04d}")
            row[ei["codeCommuneEtablissement"]] = rng.choice(codes)
            row[ei["etatAdministratifEtablissement"]] = "A" if k % 7 else "F"
            w.writerow(row)
    return ul_path, et_path


# --- HTTP --------------------------------------------------------------------------------------------------------


def http_bench(port, paths, clients=16, seconds=15.0):
    latencies, lock, stop = [], threading.Lock(), time.monotonic() + seconds
    errors = [0]

    def worker(offset):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        i = offset
        mine = []
        while time.monotonic() < stop:
            path = paths[i % len(paths)]
            i += clients
            t = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    errors[0] += 1
            except (OSError, http.client.HTTPException):
                errors[0] += 1
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            mine.append((time.perf_counter() - t) * 1000)
        with lock:
            latencies.extend(mine)

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    return len(latencies) / elapsed, latencies, errors[0]


WRK_SCRIPT = """
local paths = {}
for line in io.lines(%s) do paths[#paths + 1] = line end
local threads = 0
function setup(thread) thread:set("first", threads * 101); threads = threads + 1 end
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[((first + n) %% #paths) + 1])
end
"""


def wrk_ms(value: str) -> float:
    """wrk's durations ("850.00us", "37.34ms", "1.02s") in milliseconds."""
    for suffix, factor in (("us", 0.001), ("ms", 1.0), ("s", 1000.0)):
        if value.endswith(suffix):
            return float(value[: -len(suffix)]) * factor
    raise ValueError(value)


def wrk_bench(port, paths, tmp, clients=16, seconds=15.0):
    """The same load from wrk (a load generator written in C, Debian's package): 16 connections over 2 threads,
    cycling through the paths. Leaves the cores to the server, where 16 Python client threads take a share."""
    paths_file, script = Path(tmp) / "wrk-paths.txt", Path(tmp) / "wrk-paths.lua"
    paths_file.write_text("\n".join(paths) + "\n")
    script.write_text(WRK_SCRIPT % json.dumps(str(paths_file)))
    command = ["wrk", "-t2", f"-c{clients}", f"-d{round(seconds)}s", "--latency", "-s", str(script)]
    out = subprocess.run([*command, f"http://127.0.0.1:{port}"], capture_output=True, text=True, check=True).stdout  # noqa: S603
    figures = {"errors": 0}
    for line in out.splitlines():
        parts = line.split()
        if line.startswith("Requests/sec:"):
            figures["qps"] = float(parts[1])
        elif len(parts) == 2 and parts[0] in ("50%", "99%"):
            figures[parts[0]] = wrk_ms(parts[1])
        elif line.strip().startswith(("Non-2xx", "Socket errors")):
            figures["errors"] += sum(int(p.strip(",")) for p in parts if p.strip(",").isdigit())
    return figures


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="")
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--sirene-rows", type=int, default=2_000_000)
    parser.add_argument("--naive-sample", type=int, default=10)
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument("--http-seconds", type=float, default=15.0)
    parser.add_argument(
        "--data-dir",
        default="",
        help="keep the SQLite database and the index here and reuse the generated structures on the next run",
    )
    args = parser.parse_args()

    tmp = args.data_dir or tempfile.mkdtemp(prefix="essaim-bench-dir-")
    Path(tmp).mkdir(parents=True, exist_ok=True)
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
    os.environ["ESSAIM_VAR_DIR"] = tmp
    os.environ["ESSAIM_SEARCH_INDEX_DIR"] = f"{tmp}/index"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from machine import Machine

    from essaim.directory.generator import generate_structures
    from essaim.search.index import get_index
    from essaim.search.indexer import reindex
    from essaim.search.query import StructureSearch, cluster_structures, search_structures
    from essaim.territories.models import Commune
    from essaim.territories.services import geo_import, read_communes_file

    machine = Machine()
    engine = connection.vendor
    print(f"## Directory — {engine}, N = {args.count:,}".replace(",", " "))
    print(machine.line())
    call_command("migrate", verbosity=0)
    geo_import(rows=read_communes_file())

    from essaim.directory.models import Structure

    existing = Structure.objects.filter(is_generated=True).count()
    if existing == args.count:
        print(f"generate_structures: {existing:,} rows already there (reused)".replace(",", " "))
    elif existing:
        sys.exit(f"{tmp} holds {existing} generated structures, not {args.count}: use another --data-dir.")
    else:
        t = time.perf_counter()
        generate_structures(count=args.count, seed=7, batch_size=10000)
        print(f"generate_structures: {args.count:,} rows in {time.perf_counter() - t:.1f} s".replace(",", " "))

    t = time.perf_counter()
    indexed = reindex()
    reindex_s = time.perf_counter() - t
    target = 60 * args.count / 1_000_000
    print(
        f"reindex: {indexed:,} structures in {reindex_s:.1f} s, {get_index().searcher().num_segments} segment(s) (target ≤ {target:.0f} s at this N; {target / reindex_s:.1f}× margin)".replace(
            ",", " "
        )
    )

    rng = random.Random(42)
    communes = list(
        Commune.objects.filter(population__gt=20000, lat__isnull=False).values_list("insee_code", "lat", "lon")
    )
    mix = query_mix(rng, communes)
    searches = [to_search(p) for p in mix]
    for s in searches[:20]:
        search_structures(s)  # warm-up
    get_index().typos.ready()  # the vocabulary of misspelt words, built in the background after the reindex
    engine_ms = timed(search_structures, searches)
    p95 = percentile(engine_ms, 95)
    in_process_qps = 1000 * len(engine_ms) / sum(engine_ms)
    print(summary("search+facets in-process (200 queries)", engine_ms, "p50 ≤ 5, p95 ≤ 15, p99 ≤ 30"))
    print(f"  in-process throughput (1 thread): {in_process_qps:.0f} searches/s; mean matches "
          f"{statistics.mean(search_structures(s).count for s in searches[:50]):.0f}")  # fmt: skip
    # What the API does (result cards included), from as many threads as cores: tantivy releases the GIL.
    with_cards = [StructureSearch(**{**s.__dict__, "with_cards": True}) for s in searches]
    threads_n = os.cpu_count() or 1
    t = time.perf_counter()
    workers = [threading.Thread(target=lambda: [search_structures(s) for s in with_cards]) for _ in range(threads_n)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    in_process_all_qps = threads_n * len(with_cards) / (time.perf_counter() - t)
    print(f"  in-process throughput with result cards, {threads_n} threads: {in_process_all_qps:.0f} searches/s")

    t = time.perf_counter()
    fts_setup(connection)
    print(f"{'FTS5' if engine == 'sqlite' else 'tsvector+GIN'} index built in {time.perf_counter() - t:.1f} s")
    fts_ms = timed(lambda p: fts_query(connection, p), mix)
    print(summary(f"database full text ({'SQLite FTS5' if engine == 'sqlite' else 'PostgreSQL tsvector'})", fts_ms))
    print(f"  ratio at p95: {percentile(fts_ms, 95) / p95:.1f}× (target ≥ 10×)")

    sample = mix[: args.naive_sample]
    naive_ms = timed(naive_orm, sample)
    print(summary(f"naive ORM icontains + COUNT per facet ({len(sample)} queries)", naive_ms))
    print(f"  ratio at p95: {percentile(naive_ms, 95) / p95:.0f}× (target ≥ 100×)")

    boxes = []
    for _ in range(220):
        zoom = rng.randint(5, 16)
        code, lat, lon = rng.choice(communes)
        half_lon = 360 / 2**zoom * 2.5
        half_lat = half_lon * 0.65
        params = {"bbox": f"{lon - half_lon},{lat - half_lat},{lon + half_lon},{lat + half_lat}"}
        if rng.random() < 0.5:
            name, value = rng.choice(FACETS)
            params[name] = value
        if rng.random() < 0.25:
            params["q"] = rng.choice(WORDS)
        boxes.append((to_search(params), zoom, params))
    sizes = []

    def one_cluster(item):
        data = cluster_structures(item[0], zoom=item[1])
        sizes.append(len(json.dumps(data)) + 60 * len(data["points"]))  # + name and url added by the API

    for item in boxes[200:]:
        cluster_structures(item[0], zoom=item[1])  # warm-up (as for searches), on boxes not measured
    boxes = boxes[:200]
    cluster_ms = timed(one_cluster, boxes)
    print(summary("clusters (200 bbox × zoom 5–16 × filters)", cluster_ms, "p95 ≤ 20"))
    print(f"  payload: max {max(sizes) / 1024:.1f} KB, p95 {percentile(sizes, 95) / 1024:.1f} KB (target ≤ 50 KB)")

    # SIRENE import: scan rate and peak memory, in a child process (its own max RSS).
    t = time.perf_counter()
    ul, et = write_sirene(tmp, args.sirene_rows, communes, rng)
    print(
        f"SIRENE stock files written ({args.sirene_rows:,} establishments) in {time.perf_counter() - t:.1f} s".replace(
            ",", " "
        )
    )
    code = (
        "import os,sys,time,resource,django;django.setup();"
        "from essaim.directory.imports.sirene import import_sirene;t=time.perf_counter();"
        f"r=import_sirene(unites_legales={str(ul)!r},etablissements={str(et)!r},territories=['200072460']);"
        "s=time.perf_counter()-t;"
        # The child's own high-water mark (VmHWM, kB): ru_maxrss of a child started from a large parent reports
        # the parent's peak on this machine.
        "hwm=int(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM:')));"
        "print(json.dumps({'scanned':r.scanned,'seconds':s,'created':r.created,'rss':hwm}))"
    )
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import json;" + code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=os.environ,
        check=True,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    n_ul = args.sirene_rows // 2
    rate = (result["scanned"] + n_ul) / result["seconds"]
    print(f"import_sirene: {result['scanned'] + n_ul:,} rows scanned (both files) in {result['seconds']:.1f} s = "
          f"{rate:,.0f} rows/s (target ≥ 100 000); peak memory {result['rss'] / 1024:.0f} MB (target < 400 MB); "
          f"{result['created']} created in the CABBALR".replace(",", " "))  # fmt: skip

    if args.skip_http:
        print(machine.steal_line())
        return
    port = 8765
    env = dict(os.environ, ESSAIM_ENV="production", ESSAIM_HTTPS="false", SECRET_KEY="b" * 64,
               ALLOWED_HOSTS="127.0.0.1,localhost", DEBUG="false")  # fmt: skip
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], env=env, cwd=ROOT, check=True
    )  # noqa: S603
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "serve", "--bind", f"127.0.0.1:{port}"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                c.request("GET", "/api/v1/structures?q=velo")
                if c.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        paths = ["/api/v1/structures?" + urllib.parse.urlencode(p) for p in mix]
        http_bench(port, paths, seconds=3)  # warm every worker
        qps, latencies, errors = http_bench(port, paths, seconds=args.http_seconds)
        print(f"HTTP, 16 Python client threads against `essaim serve`: {qps:.0f} searches/s (target ≥ 400), "
              f"p50 {percentile(latencies, 50):.1f} ms, p99 {percentile(latencies, 99):.1f} ms (target ≤ 100), "
              f"{errors} errors; {100 * qps / in_process_qps:.0f} % of in-process throughput with 1 thread, "
              f"{100 * qps / in_process_all_qps:.0f} % with {threads_n} (target ≥ 70 %)")  # fmt: skip
        if shutil.which("wrk"):
            w = wrk_bench(port, paths, tmp, seconds=args.http_seconds)
            print(f"HTTP, 16 connections from wrk against `essaim serve`: {w['qps']:.0f} searches/s (target ≥ 400), "
                  f"p50 {w['50%']:.1f} ms, p99 {w['99%']:.1f} ms (target ≤ 100), {w['errors']} errors; "
                  f"{100 * w['qps'] / in_process_all_qps:.0f} % of in-process with {threads_n} threads (target ≥ 70 %)")  # fmt: skip
        else:
            print("wrk is not installed (apt-get install wrk): HTTP measured with the Python client only")
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(machine.steal_line())


if __name__ == "__main__":
    main()
