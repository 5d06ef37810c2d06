"""The scale-out suite (marker ``scaleout``): real servers started on this machine by tests/scaleout/cluster.py —
a PostgreSQL primary and its hot standby, two web nodes behind nginx, two workers.

- It runs only under ``ESSAIM_SCALEOUT=run`` (``make test-scaleout``, part of ``make test``); otherwise its tests
  are skipped. tests/scaleout/test_deploy_files.py is not part of it: it runs in the normal suite.
- Under ``ESSAIM_SCALEOUT=run``, a missing PostgreSQL 15 (initdb, pg_basebackup) or nginx skips it on a laptop and
  fails it when ``CI=true``.
- The tests use no database of pytest-django (no ``db`` fixture): they talk HTTP to the nodes and SQL to the
  cluster's own servers, all on 127.0.0.1, which the suite's ``--allow-hosts`` lets through pytest-socket.
- A failed test prints the end of every process's log of the cluster.
"""

import os
from pathlib import Path

import pytest

from tests.scaleout.cluster import Cluster, missing_tools

HERE = Path(__file__).resolve().parent
RUN = os.environ.get("ESSAIM_SCALEOUT") == "run"
CI = os.environ.get("CI") == "true"
SKIP_REASON = "lancée par `make test-scaleout` (une vraie grappe : primaire, réplique, deux nœuds, nginx)"
# Short windows, so that the suite sees each state change within seconds (the defaults are for production).
CLUSTER_SETTINGS = {
    "replica_max_lag_s": 3600,  # a replica paused on purpose (read-your-writes) must not be skipped for its lag
    "replica_pin_seconds": 10,
    "replica_check_s": 1,
    "replica_connect_timeout_s": 2,
    "health_tasks_max_wait_s": 3,
    "extra_env": {"ESSAIM_HEALTH_INDEX_MAX_WAIT_S": "3"},
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if Path(item.path).resolve() == HERE / "test_scaleout.py":
            item.add_marker(pytest.mark.scaleout)
            if not RUN:
                item.add_marker(pytest.mark.skip(reason=SKIP_REASON))


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="module")
def cluster():
    """Primary, standby, node A and node B behind nginx, two workers; the demo loaded and a network admin."""
    missing = missing_tools()
    if missing:
        message = (
            f"Outils introuvables pour la suite scaleout : {', '.join(missing)} (apt-get install postgresql-15 nginx)"
        )
        if CI:
            pytest.fail(f"{message} alors que CI=true : elle doit tourner en intégration continue.", pytrace=False)
        pytest.skip(message)
    with Cluster(**CLUSTER_SETTINGS) as running:
        running.start_primary()
        running.setup_site()
        running.start_standby()
        running.start_node("a")
        running.start_node("b")
        running.start_worker()
        running.start_worker()
        running.start_proxy()
        yield running


@pytest.fixture(autouse=True)
def _cluster_logs_on_failure(request):
    """The end of each process's log under a failed test's report (captured output of its teardown)."""
    yield
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed and "cluster" in request.fixturenames:
        request.getfixturevalue("cluster").print_logs()
