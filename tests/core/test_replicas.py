"""The read replicas' rule (essaim/core/replicas.py): which request reads where, the pin after a write, the states
a probe gives, the retry on the primary. The same rule with real servers (a hot standby, two nodes, nginx) is
tests/scaleout/."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import signing
from django.db import OperationalError
from django.http import HttpResponse
from django.test import RequestFactory

from essaim.core import replicas
from essaim.core.replicas import COOKIE, ReplicaMiddleware, ReplicaRouter, ReplicaState, state_of
from essaim.directory.models import Structure
from essaim.jobs.models import Job


class Person:
    is_authenticated = True


@pytest.fixture
def one_replica(monkeypatch):
    """One configured replica whose state the test sets (no server: the views below read nothing)."""
    states = {"replica_1": ReplicaState("ok", 0.2)}
    monkeypatch.setattr(replicas, "replica_aliases", lambda: ["replica_1"])
    monkeypatch.setattr(replicas, "current_state", lambda alias, fresh=False: states[alias])
    return states


def served(request, *, status=200, model=Structure):
    """Runs the middleware around a view that tells where it would read ``model``."""
    seen = []

    def view(request):
        seen.append(ReplicaRouter().db_for_read(model))
        return HttpResponse(status=status if len(seen) == 1 else 200)

    response = ReplicaMiddleware(view)(request)
    return seen, response


def get(path="/annuaire/", user=None, **headers):
    request = RequestFactory().get(path, **headers)
    request.user = user or AnonymousUser()
    return request


def test_an_anonymous_public_read_goes_to_the_replica(one_replica):
    seen, response = served(get("/annuaire/"))
    assert seen == ["replica_1"]
    assert COOKIE not in response.cookies


def test_reads_of_what_must_be_fresh_stay_on_the_primary_even_for_an_anonymous_read(one_replica):
    assert served(get("/annuaire/"), model=Job)[0] == ["default"]


@pytest.mark.parametrize("path", ["/gestion/", "/compte/connexion/", "/admin/", "/health"])
def test_the_back_office_the_account_pages_and_health_read_from_the_primary(one_replica, path):
    assert served(get(path))[0] == ["default"]


def test_a_logged_in_person_or_an_api_token_reads_from_the_primary(one_replica):
    assert served(get(user=Person()))[0] == ["default"]
    assert served(get("/api/v1/events", HTTP_AUTHORIZATION="Bearer x"))[0] == ["default"]


def test_a_write_pins_its_author_to_the_primary_for_a_while(one_replica, settings):
    request = RequestFactory().post("/api/v1/events/1/registrations")
    request.user = AnonymousUser()
    seen, response = served(request)
    assert seen == ["default"]
    cookie = response.cookies[COOKIE]
    assert cookie["max-age"] == settings.ESSAIM_REPLICA_PIN_SECONDS and cookie["httponly"]
    after = get(HTTP_COOKIE=f"{COOKIE}={cookie.value}")
    assert served(after)[0] == ["default"]
    forged = get(HTTP_COOKIE=f"{COOKIE}=1")
    assert served(forged)[0] == ["replica_1"]


def test_an_expired_pin_reads_from_the_replica_again(one_replica, settings, monkeypatch):
    request = RequestFactory().post("/api/v1/events/1/registrations")
    request.user = AnonymousUser()
    _, response = served(request)
    later = signing.time.time() + settings.ESSAIM_REPLICA_PIN_SECONDS + 1
    monkeypatch.setattr(signing.time, "time", lambda: later)
    assert served(get(HTTP_COOKIE=f"{COOKIE}={response.cookies[COOKIE].value}"))[0] == ["replica_1"]


@pytest.mark.parametrize("status", ["lagging", "down"])
def test_a_lagging_or_dead_replica_is_skipped(one_replica, status):
    one_replica["replica_1"] = ReplicaState(status)
    assert served(get())[0] == ["default"]


def test_a_page_that_fails_on_a_replica_that_died_is_served_again_from_the_primary(monkeypatch):
    calls = []

    def state(alias, fresh=False):
        calls.append(fresh)
        return ReplicaState("down" if fresh else "ok")

    monkeypatch.setattr(replicas, "replica_aliases", lambda: ["replica_1"])
    monkeypatch.setattr(replicas, "current_state", state)
    seen, response = served(get(), status=500)
    assert seen == ["replica_1", "default"] and response.status_code == 200
    assert calls == [False, True]


def test_a_page_that_fails_on_a_living_replica_is_not_served_twice(one_replica):
    seen, response = served(get(), status=500)
    assert seen == ["replica_1"] and response.status_code == 500


def test_without_replicas_everything_reads_from_the_primary_and_no_cookie_is_set():
    request = RequestFactory().post("/api/v1/events/1/registrations")
    request.user = AnonymousUser()
    seen, response = served(request)
    assert seen == ["default"] and COOKIE not in response.cookies
    assert served(get())[0] == ["default"]


def test_writes_and_migrations_go_to_the_primary():
    router = ReplicaRouter()
    assert router.db_for_write(Structure) == "default"
    assert router.allow_migrate("default", "directory") is True
    assert router.allow_migrate("replica_1", "directory") is False


def test_what_a_probe_means():
    assert state_of(True, 0.5, "streaming", max_lag=10).status == "ok"
    assert state_of(True, 12.0, "streaming", max_lag=10).status == "lagging"
    cut = state_of(True, 0.0, None, max_lag=10)
    assert (cut.status, cut.error) == ("lagging", "not_streaming")
    assert state_of(False, None, None, max_lag=10).status == "ok"  # the primary named as a replica
    assert ReplicaState("down", None, "OperationalError").as_dict() == {"status": "down", "error": "OperationalError"}


def test_a_probe_of_a_replica_that_does_not_answer_says_down(monkeypatch, settings):
    class Refusing:
        def cursor(self):
            raise OperationalError("refused")

        def close(self):
            raise RuntimeError("already gone")

    monkeypatch.setattr(replicas, "connections", {"replica_1": Refusing()})
    state = replicas.probe("replica_1")
    assert (state.status, state.error) == ("down", "OperationalError")


def test_states_are_kept_a_few_seconds_per_process(monkeypatch, settings):
    clock = [1000.0]
    probes = []
    monkeypatch.setattr(replicas.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(replicas, "probe", lambda alias: probes.append(alias) or ReplicaState("ok", 0, "", clock[0]))
    monkeypatch.setattr(replicas, "_states", {})
    replicas.current_state("replica_1")
    clock[0] += settings.ESSAIM_REPLICA_CHECK_S - 0.5
    replicas.current_state("replica_1")
    assert probes == ["replica_1"]
    clock[0] += 1
    replicas.current_state("replica_1")
    assert probes == ["replica_1", "replica_1"]
    replicas.current_state("replica_1", fresh=True)
    assert len(probes) == 3


@pytest.mark.django_db
def test_health_says_degraded_with_200_when_only_a_replica_fails(client, monkeypatch):
    monkeypatch.setattr(replicas, "replica_aliases", lambda: ["replica_1"])
    monkeypatch.setattr(
        replicas, "current_state", lambda alias, fresh=False: ReplicaState("down", None, "OperationalError")
    )
    response = client.get("/health")
    body = response.json()
    assert response.status_code == 200 and body["status"] == "degraded"
    assert body["checks"]["replicas"] == {
        "status": "degraded",
        "replicas": {"replica_1": {"status": "down", "error": "OperationalError"}},
    }
