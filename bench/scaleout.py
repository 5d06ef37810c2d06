"""Benchmark of the scale-out (issue #20), on the cluster of the `scaleout` tests (tests/scaleout/cluster.py): a
PostgreSQL 15 primary and its hot standby, web nodes (`essaim serve`, one granian worker of four threads), nginx
from deploy/nginx/essaim.conf, the demo loaded. Two measures, each a ratio of two configurations run in alternating
rounds of the same run (this machine drifts more than the effects measured):

1. **Nodes**: anonymous public search and pages through nginx, ``--clients`` concurrent clients for ``--seconds``
   a round, with one node pinned to core 0 (`taskset`) against two nodes pinned to cores 0 and 1. Target: two
   nodes ≥ 1.7× one node. nginx, PostgreSQL and the load generator are not pinned: on a machine of two cores they
   share the cores with the nodes (the one-node configuration leaves them a core of their own).
2. **Replica**: the primary's CPU time per request (its postmaster and every backend, from /proc) for the same
   anonymous reads with the nodes reading on the standby against reading on the primary. Target: lower.

Usage: python bench/scaleout.py [--rounds 3] [--seconds 15] [--clients 24]
"""

import argparse
import concurrent.futures
import http.client
import os
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine import cpu_model  # noqa: E402
from tests.scaleout.cluster import Cluster, missing_tools  # noqa: E402

TARGET_NODES = 1.7
WORDS = ["cooperative", "insertion", "association", "recyclerie", "cafe", "velo", "alimentation", "culture"]
PATHS = [
    *(f"/api/v1/structures?q={word}" for word in WORDS),
    *(f"/annuaire/?q={word}" for word in WORDS[:4]),
    "/agenda/",
    "/api/v1/events",
]
TICKS = os.sysconf("SC_CLK_TCK")


def load(port: int, clients: int, seconds: float) -> tuple[int, int]:
    """``clients`` keep-alive clients requesting PATHS in turn for ``seconds``; returns (answered 200, others)."""
    stop = time.monotonic() + seconds
    lock = threading.Lock()
    counts = [0, 0]

    def client(offset: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        done = ok = 0
        number = offset
        while time.monotonic() < stop:
            path = PATHS[number % len(PATHS)]
            number += 1
            try:
                connection.request("GET", path, headers={"Host": "127.0.0.1"})
                response = connection.getresponse()
                response.read()
                ok += response.status == 200
                done += 1
            except OSError:
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                done += 1
        connection.close()
        with lock:
            counts[0] += ok
            counts[1] += done - ok

    with concurrent.futures.ThreadPoolExecutor(clients) as pool:
        list(pool.map(client, range(clients)))
    return counts[0], counts[1]


def cpu_seconds(data: Path) -> float:
    """CPU time of a PostgreSQL server: its postmaster (with its reaped children) and its living backends."""
    postmaster = int((data / "postmaster.pid").read_text().split()[0])
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        pid, ppid = int(stat.parent.name), int(fields[1])
        if pid == postmaster:
            total += sum(int(value) for value in fields[11:15])  # utime, stime, cutime, cstime
        elif ppid == postmaster:
            total += int(fields[11]) + int(fields[12])
    return total / TICKS


def rounds_of(configurations, rounds, run):
    """Runs ``run(name)`` for each configuration in turn, ``rounds`` times; sums what each returns."""
    totals = {name: [0.0, 0.0] for name in configurations}
    for number in range(rounds):
        for name in configurations:
            first, second = run(name)
            totals[name][0] += first
            totals[name][1] += second
            print(f"  round {number + 1} {name:<18} {first:>10.1f} {second:>10.3f}", flush=True)
    return totals


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--clients", type=int, default=24)
    args = parser.parse_args()
    missing = missing_tools()
    if missing:
        raise SystemExit(f"Missing for the cluster: {', '.join(missing)}")
    print(f"Scale-out, {os.cpu_count()} cores — {cpu_model()}", flush=True)
    quiet = lambda message: None  # noqa: E731
    with Cluster(replica_max_lag_s=60, log=quiet) as cluster:
        cluster.start_primary()
        cluster.setup_site()
        cluster.start_standby()
        primary_data = cluster.pg_data("primary")

        # 1. One node against two, each pinned to a core of its own.
        a = cluster.start_node("a", cpu=0, replicas=False)
        b = cluster.start_node("b", cpu=1, replicas=False)
        groups = {"one node (core 0)": [a], "two nodes (0 and 1)": [a, b]}

        def through(name):
            cluster.start_proxy(groups[name])
            load(cluster.proxy_port, args.clients, 2.0)  # warm-up: connections, caches
            ok, failed = load(cluster.proxy_port, args.clients, args.seconds)
            cluster.stop_proxy()
            if failed:
                print(f"  {name}: {failed} answers other than 200", flush=True)
            return ok / args.seconds, 0.0

        print("requests/s through nginx (200 only):", flush=True)
        totals = rounds_of(groups, args.rounds, through)
        one, two = (totals[name][0] / args.rounds for name in groups)
        ratio = two / one
        print(
            f"one node {one:,.0f} req/s, two nodes {two:,.0f} req/s: {ratio:.2f}× "
            f"(target ≥ {TARGET_NODES}: {'met' if ratio >= TARGET_NODES else 'MISSED'})",
            flush=True,
        )
        a.stop()
        b.stop()

        # 2. The primary's CPU per request, anonymous reads on the standby against on the primary.
        pairs = {
            "reads on primary": [cluster.start_node("pa", replicas=False), cluster.start_node("pb", replicas=False)],
            "reads on replica": [cluster.start_node("ra", replicas=True), cluster.start_node("rb", replicas=True)],
        }

        def primary_cpu(name):
            cluster.start_proxy(pairs[name])
            load(cluster.proxy_port, args.clients, 2.0)
            before = cpu_seconds(primary_data)
            ok, _ = load(cluster.proxy_port, args.clients, args.seconds)
            used = cpu_seconds(primary_data) - before
            cluster.stop_proxy()
            return ok, used

        print("requests answered, primary CPU seconds:", flush=True)
        totals = rounds_of(pairs, args.rounds, primary_cpu)
        per = {name: 1000 * used / requests for name, (requests, used) in totals.items()}
        on_primary, on_replica = per["reads on primary"], per["reads on replica"]
        verdict = "lower: met" if on_replica < on_primary else "not lower: MISSED"
        print(
            f"primary CPU per request: {on_primary:.3f} ms with reads on the primary, {on_replica:.3f} ms with "
            f"reads on the replica: {on_replica / on_primary:.2f}× ({verdict})",
            flush=True,
        )


if __name__ == "__main__":
    main()
