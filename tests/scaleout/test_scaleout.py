"""Essaim spread over several servers, shown working with real ones (issue 20): a PostgreSQL primary and its hot
standby, two web nodes (each with its own search index) behind nginx, two workers — started by the ``cluster``
fixture (tests/scaleout/conftest.py, ``make test-scaleout``).

The tests that stop a piece for good (the replica, node A) come last, in this file's order (``-p no:randomly``).
"""

import json
import re
import secrets
import string
import time
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from tests.scaleout.cluster import ADMIN_EMAIL, ADMIN_PASSWORD

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REMINDER_TASK = "essaim.support.tasks.send_booking_reminder"


def poll(check, *, timeout: float, what: str, interval: float = 0.2):
    """``check()``'s first true result within ``timeout`` seconds; fails the test with the last value otherwise."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"{what} : toujours pas après {timeout} s (dernière valeur : {result!r})")
        time.sleep(interval)


def csrf_token(client: httpx.Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    found = CSRF.search(response.text)
    assert found, f"pas de jeton CSRF dans {path}"
    return found.group(1)


def log_in_as_network_admin(client: httpx.Client) -> None:
    token = csrf_token(client, "/compte/connexion/")
    response = client.post(
        "/compte/connexion/", data={"csrfmiddlewaretoken": token, "login": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
    )
    assert response.status_code == 302, response.text[:2000]


def unique_word() -> str:
    return "essaimtest" + "".join(secrets.choice(string.ascii_lowercase) for _ in range(8))


def search_on(node, word: str) -> list[str]:
    response = httpx.get(f"{node.url}/api/v1/structures", params={"q": word}, timeout=10)
    assert response.status_code == 200, response.text[:500]
    return [card["name"] for card in response.json()["results"]]


def health(url: str) -> tuple[int, dict]:
    response = httpx.get(f"{url}/health", timeout=10)
    return response.status_code, response.json()


def replicas_of(body: dict) -> dict:
    return body["checks"]["replicas"]


def open_session(client: httpx.Client) -> tuple[int, dict]:
    """A published demo event taking registrations on this site, with an upcoming session that has seats left."""
    response = client.get("/api/v1/events", params={"limit": 200})
    assert response.status_code == 200, response.text[:500]
    for event in response.json()["results"]:
        if event["registration"]["mode"] != "here" or event["status"] != "scheduled":
            continue
        deadline = event["registration"]["deadline"]
        if deadline and datetime.fromisoformat(deadline) < datetime.now(UTC):
            continue
        for session in event["sessions"]:
            upcoming = datetime.fromisoformat(session["start"]) > datetime.now(UTC) + timedelta(hours=1)
            if upcoming and session["capacity"] and (session["seats_left"] or 0) > 1:
                return event["id"], session
    pytest.fail("La démo n'a aucun événement à venir avec des places et des inscriptions sur le site.")


def seats_left(client: httpx.Client, event_id: int, session_id: int) -> int:
    response = client.get(f"/api/v1/events/{event_id}")
    assert response.status_code == 200, response.text[:500]
    return next(s["seats_left"] for s in response.json()["sessions"] if s["id"] == session_id)


def test_a_structure_created_through_node_a_is_found_on_node_b(cluster):
    """Published through node A's officer pages, a structure is found by node B's search within 10 s: node A
    writes the change in the outbox, node B's ``index_sync --loop`` applies it to B's own index."""
    a, b = cluster.nodes["a"], cluster.nodes["b"]
    word = unique_word()
    ((commune,),) = cluster.sql(
        "SELECT commune_id FROM directory_structure WHERE status = 'published' AND commune_id IS NOT NULL LIMIT 1"
    )
    with httpx.Client(base_url=a.url, timeout=30) as client:
        log_in_as_network_admin(client)
        token = csrf_token(client, "/annuaire/referencer/")
        response = client.post(
            "/annuaire/referencer/",
            data={
                "csrfmiddlewaretoken": token,
                "name": f"Coopérative {word}",
                "family": "cooperative",
                "commune": commune,
                "description": "Une coopérative créée par le test de montée en charge.",
                "submitter_email": ADMIN_EMAIL,
            },
        )
        assert response.status_code == 200, response.text[:2000]
        ((pk,),) = cluster.sql("SELECT id FROM directory_structure WHERE name = %s", [f"Coopérative {word}"])
        time.sleep(0.5)  # a pending entry reaches no index: give node B's sync a few passes to (wrongly) add it
        assert search_on(b, word) == []
        token = csrf_token(client, f"/annuaire/moderation/structures/{pk}/")
        response = client.post(
            f"/annuaire/moderation/structures/{pk}/", data={"csrfmiddlewaretoken": token, "action": "publish"}
        )
        assert response.status_code == 302, response.text[:2000]
    assert cluster.sql("SELECT status FROM directory_structure WHERE id = %s", [pk]) == [("published",)]
    started = time.monotonic()
    found = poll(lambda: search_on(b, word), timeout=10, what="la structure publiée dans la recherche du nœud B")
    assert found == [f"Coopérative {word}"]
    print(f"trouvée sur le nœud B {time.monotonic() - started:.1f} s après sa publication sur le nœud A")


def test_the_author_of_a_registration_reads_it_back_at_once_and_it_reaches_the_replica(cluster):
    """Read-your-writes through nginx: while the standby applies no WAL, the author of a registration reads the
    seat taken (their reads go to the primary: cookie ``essaim_primary``), a new anonymous client still reads the
    old count (it is served by the replica: the routing is real); once replay resumes the row reaches the standby
    and a new client sees it."""
    with httpx.Client(base_url=cluster.proxy_url, timeout=30) as author:
        event_id, session = open_session(author)
        before = seats_left(author, event_id, session["id"])
        email = f"{unique_word()}@example.org"
        cluster.pause_replay()
        try:
            response = author.post(
                f"/api/v1/events/{event_id}/registrations",
                json={"name": "Camille Test", "email": email, "session": session["id"], "consent": True},
            )
            assert response.status_code == 201, response.text
            assert response.json()["status"] == "confirmed"
            assert "essaim_primary" in author.cookies
            assert seats_left(author, event_id, session["id"]) == before - 1
            for _ in range(4):  # both nodes, through nginx's round robin
                with httpx.Client(base_url=cluster.proxy_url, timeout=30) as stranger:
                    assert seats_left(stranger, event_id, session["id"]) == before
            on_standby = "SELECT count(*) FROM agenda_registration WHERE email = %s"
            assert cluster.sql(on_standby, [email], on="standby") == [(0,)]
        finally:
            cluster.resume_replay()
        poll(
            lambda: cluster.sql(on_standby, [email], on="standby") == [(1,)],
            timeout=10,
            what="l'inscription sur la réplique",
        )

        def a_new_client_sees_it():
            with httpx.Client(base_url=cluster.proxy_url, timeout=30) as stranger:
                return seats_left(stranger, event_id, session["id"]) == before - 1

        poll(a_new_client_sees_it, timeout=10, what="la place prise, lue par un nouveau client")


def test_an_officer_logs_in_through_the_load_balancer_as_a_browser_does(cluster):
    """A browser sends the page's Origin with a form: nginx must pass the Host the browser used (its port too), or
    Django's CSRF check refuses every login behind it (403)."""
    with httpx.Client(base_url=cluster.proxy_url, timeout=30, headers={"Origin": cluster.proxy_url}) as client:
        log_in_as_network_admin(client)
        response = client.get("/gestion/taches/")
        assert response.status_code == 200, response.status_code
        assert "Tâches de fond" in response.text


def test_a_reminder_enqueued_twice_is_sent_once_by_two_workers(cluster):
    """Two workers, the same booking's reminder enqueued twice: both tasks run, one mail leaves."""
    assert len(cluster.workers) >= 2
    email = f"{unique_word()}@example.org"
    output = cluster.shell(
        "import json\n"
        "from datetime import timedelta\n"
        "from django.utils import timezone\n"
        "from essaim.support.enums import BookingStatus\n"
        "from essaim.support.models import Booking\n"
        "from essaim.support.tasks import send_booking_reminder\n"
        "booking = Booking.objects.filter(anonymised_at__isnull=True).order_by('pk').first()\n"
        "start = timezone.now() + timedelta(days=2)\n"
        "Booking.objects.filter(pk=booking.pk).update(\n"
        f"    status=BookingStatus.BOOKED, starts_at=start, ends_at=start + timedelta(hours=1), email={email!r},\n"
        "    reminder_sent_at=None)\n"
        "results = [send_booking_reminder.enqueue(booking.pk) for _ in range(2)]\n"
        "print(json.dumps([int(r.id) for r in results]))\n",
        env=cluster.nodes["a"].env,
    )
    job_ids = json.loads(output.strip().splitlines()[-1])
    assert len(set(job_ids)) == 2

    def finished():
        rows = cluster.sql("SELECT status, return_value FROM jobs_job WHERE id = ANY(%s)", [job_ids])
        return rows if len(rows) == 2 and all(status in ("SUCCESSFUL", "FAILED") for status, _ in rows) else None

    rows = poll(finished, timeout=20, what="les deux tâches de rappel terminées")
    assert sorted(rows, key=lambda row: str(row[1])) == [("SUCCESSFUL", False), ("SUCCESSFUL", True)]
    mails = [path for path in cluster.mail_dir.iterdir() if f"To: {email}" in path.read_text(errors="replace")]
    assert len(mails) == 1, mails


def test_health_of_each_node_reports_the_workers_and_the_replica(cluster):
    """Everything up: each node's /health is 200 with the replica ok. Workers stopped and a task waiting longer
    than ESSAIM_HEALTH_TASKS_MAX_WAIT_S (3 s here): both nodes answer 503 with the tasks check failing. A worker
    again: 200."""
    nodes = [cluster.nodes["a"], cluster.nodes["b"]]
    for node in nodes:
        status, body = health(node.url)
        assert status == 200, body
        assert replicas_of(body)["replicas"]["replica_1"]["status"] == "ok", body
    cluster.stop_workers()
    try:
        cluster.shell(
            "from essaim.support.tasks import send_booking_reminder\nsend_booking_reminder.enqueue(0)\n",
            env=nodes[0].env,
        )
        for node in nodes:
            status, body = poll(
                lambda node=node: (result := health(node.url))[0] == 503 and result,
                timeout=15,
                what=f"le 503 du nœud {node.name} sans worker",
            )
            assert body["checks"]["tasks"]["status"] == "error", body
            assert body["checks"]["tasks"]["oldest_due_s"] >= 3, body
            assert body["checks"]["database"]["status"] == "ok", body
    finally:
        cluster.start_worker()
    for node in nodes:
        poll(lambda node=node: health(node.url)[0] == 200, timeout=15, what=f"le 200 du nœud {node.name}")
    cluster.start_worker()


def test_a_node_whose_index_sync_stopped_says_its_search_lags_and_the_other_node_does_not(cluster):
    """Node A's ``index_sync`` stopped and a change written: after ESSAIM_HEALTH_INDEX_MAX_WAIT_S (3 s here) node A's
    /health says its index is ``behind`` (``degraded``, 200: it still serves), node B's stays ``ok``; A's sync
    again: A catches up and says ``ok``."""
    a, b = cluster.nodes["a"], cluster.nodes["b"]
    a.stop_index_sync()
    try:
        cluster.shell(
            "from django.db import transaction\n"
            "from essaim.core.models import search_outbox_add\n"
            "from essaim.directory.models import Structure\n"
            "pk = Structure.objects.filter(status='published').values_list('pk', flat=True).first()\n"
            "with transaction.atomic():\n"
            "    search_outbox_add(model='directory.structure', ids=[pk])\n",
            env=b.env,
        )
        status, body = poll(
            lambda: (result := health(a.url))[1]["checks"]["search_index"]["state"] == "behind" and result,
            timeout=25,
            what="l'index en retard signalé par le nœud A",
        )
        assert status == 200 and body["status"] == "degraded", body
        assert body["checks"]["search_index"]["oldest_pending_s"] >= 3, body
        status, body = health(b.url)
        assert status == 200 and body["checks"]["search_index"]["state"] == "ready", body
    finally:
        cluster.start_index_sync(a)
    poll(
        lambda: health(a.url)[1]["checks"]["search_index"]["state"] == "ready",
        timeout=25,
        what="l'index du nœud A rattrapé",
    )


def test_the_site_keeps_working_on_the_primary_when_the_replica_stops(cluster):
    """The standby stopped: public pages and the API answer 200 through nginx (the nodes skip the replica within
    ESSAIM_REPLICA_CONNECT_TIMEOUT_S), and each node's /health says the replica is down while answering 200,
    ``degraded``."""
    cluster.stop_standby()
    limit = int(cluster.settings["ESSAIM_REPLICA_CONNECT_TIMEOUT_S"]) + 2
    with httpx.Client(base_url=cluster.proxy_url, timeout=30) as client:
        paths = ["/", "/annuaire/", "/agenda/", "/api/v1/events", "/api/v1/structures?q=cooperative"] * 2
        assert len(paths) == 10
        for path in paths:
            started = time.monotonic()
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            assert time.monotonic() - started < limit, path
    for node in (cluster.nodes["a"], cluster.nodes["b"]):
        status, body = poll(
            lambda node=node: (result := health(node.url))[1]["status"] == "degraded" and result,
            timeout=limit + 5,
            what=f"la réplique signalée arrêtée par le nœud {node.name}",
        )
        assert status == 200, body
        assert replicas_of(body)["replicas"]["replica_1"]["status"] == "down", body


def test_node_b_serves_alone_when_node_a_stops(cluster):
    """Node A stopped: 20 requests through nginx all answer 200 (nginx passes them to node B)."""
    cluster.nodes["a"].stop()
    with httpx.Client(base_url=cluster.proxy_url, timeout=30) as client:
        statuses = [client.get(path).status_code for path in ["/", "/api/v1/events"] * 10]
    assert statuses == [200] * 20
