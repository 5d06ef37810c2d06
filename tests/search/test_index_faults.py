"""A missing, corrupt or emptied search index: detected (at start, when opened, when read), logged, rebuilt in the
background once at a time; meanwhile the directory lists from the database with a French notice and the search API
answers 503 with Retry-After, never 0 results or a 500."""

import fcntl
import logging
import shutil
import threading

import pytest

from essaim.directory.enums import Family
from essaim.search import index as index_module
from essaim.search import recovery
from essaim.search.fallback import database_search
from essaim.search.index import get_index
from essaim.search.query import StructureSearch, search_structures
from tests.directory.factories import StructureFactory

pytestmark = pytest.mark.django_db(transaction=True)

NOTICE = "en cours de reconstruction"


@pytest.fixture(autouse=True)
def _fresh_recovery_state():
    recovery.forget()
    yield
    recovery.forget()


@pytest.fixture
def structures(reindexed):
    """Three published structures (and one pending), indexed by a full build."""
    built = [
        StructureFactory(name="Garage solidaire", family=Family.ASSOCIATION),
        StructureFactory(name="Recyclerie du Ternois", family=Family.ASSOCIATION),
        StructureFactory(name="Scop Menuiserie", family=Family.COOPERATIVE),
    ]
    StructureFactory(name="Brouillon caché", pending=True)
    assert reindexed() == 3
    return built


@pytest.fixture
def held_rebuild(monkeypatch):
    """The background rebuild waits until the test calls ``release()``: what users see meanwhile is checked
    without a race against a rebuild of three rows."""
    gate = threading.Event()
    started = []
    original = recovery._rebuild

    def slow_rebuild(path, lock_file):
        started.append(path)
        gate.wait(30)
        original(path, lock_file)

    monkeypatch.setattr(recovery, "_rebuild", slow_rebuild)

    class Held:
        runs = started

        @staticmethod
        def release(path):
            gate.set()
            assert recovery.wait_for_rebuild(path, timeout=60)

    yield Held
    gate.set()


def index_path():
    return get_index().path


def assert_degraded_then_rebuilt(client, structures, held_rebuild):
    """While the rebuild is held: the directory lists from the database with the notice, the API answers 503;
    after it: the index answers again, with every published structure."""
    path = index_path()
    page = client.get("/annuaire/")
    html = page.content.decode()
    assert page.status_code == 200
    assert NOTICE in html
    assert "3 structures" in html
    for structure in structures:
        assert structure.name in html
    assert "Brouillon caché" not in html
    filtered = client.get("/annuaire/", {"family": "cooperative", "q": "menuiserie"}).content.decode()
    assert "1 structure" in filtered and "Scop Menuiserie" in filtered and "Garage solidaire" not in filtered
    api = client.get("/api/v1/structures")
    assert api.status_code == 503
    assert api["Retry-After"] == "60"
    assert "réindexation" in api.json()["detail"]
    assert held_rebuild.runs == [path], "exactly one rebuild started"
    held_rebuild.release(path)
    api = client.get("/api/v1/structures", {"q": "garage"})
    assert api.status_code == 200, api.content
    assert [r["name"] for r in api.json()["results"]] == ["Garage solidaire"]
    page = client.get("/annuaire/").content.decode()
    assert NOTICE not in page and "3 structures" in page


def test_a_deleted_index_directory_is_rebuilt_while_the_directory_lists_from_the_database(
    client, structures, held_rebuild, caplog
):
    shutil.rmtree(index_path())
    with caplog.at_level(logging.ERROR, logger="essaim.search"):
        assert_degraded_then_rebuilt(client, structures, held_rebuild)
    assert "rebuilding it in the background" in caplog.text


def test_an_emptied_index_is_rebuilt_when_the_database_has_structures(client, structures, held_rebuild):
    with get_index().writer() as writer:
        writer.delete_all_documents()
    assert_degraded_then_rebuilt(client, structures, held_rebuild)


@pytest.mark.parametrize("damage", ["meta-garbage", "meta-empty", "segment-deleted", "segment-zeroed"])
def test_an_index_that_cannot_be_opened_is_emptied_and_rebuilt(client, structures, held_rebuild, damage, caplog):
    """As a new process finds it: the opened handles are forgotten before the damage."""
    path = index_path()
    index_module._indexes.clear()
    if damage.startswith("meta"):
        (path / "meta.json").write_text("{garbage" if damage == "meta-garbage" else "")
    else:
        for segment_file in path.glob("*.term"):
            if damage == "segment-deleted":
                segment_file.unlink()
            else:
                segment_file.write_bytes(b"\0" * segment_file.stat().st_size)
    with caplog.at_level(logging.ERROR, logger="essaim.search"):
        assert_degraded_then_rebuilt(client, structures, held_rebuild)
    assert "cannot be opened" in caplog.text


def test_a_damaged_store_found_while_reading_answers_503_and_is_rebuilt(client, structures, held_rebuild):
    """A truncated document store opens fine and fails (a Rust panic) only when a result card is read."""
    path = index_path()
    index_module._indexes.clear()
    for store in path.glob("*.store"):
        store.write_bytes(store.read_bytes()[:5])
    response = client.get("/api/v1/structures")
    assert response.status_code == 503 and response["Retry-After"] == "60"
    assert held_rebuild.runs == [path]
    held_rebuild.release(path)
    response = client.get("/api/v1/structures")
    assert response.status_code == 200 and response.json()["count"] == 3


def test_a_rebuild_held_by_another_process_is_waited_for_not_doubled(client, structures, held_rebuild):
    path = index_path()
    with open(recovery.lock_path(path), "a") as other_process:
        fcntl.flock(other_process, fcntl.LOCK_EX | fcntl.LOCK_NB)
        shutil.rmtree(path)
        page = client.get("/annuaire/").content.decode()
        assert NOTICE in page and "Garage solidaire" in page
        assert client.get("/api/v1/structures").status_code == 503
        assert held_rebuild.runs == [], "the other process rebuilds it"
        assert recovery.rebuilding(path)
        fcntl.flock(other_process, fcntl.LOCK_UN)
    assert not recovery.rebuilding(path)
    recovery.forget()  # past the few seconds the database's answer is kept
    assert client.get("/api/v1/structures").status_code == 503  # still empty: this process takes the rebuild over
    assert held_rebuild.runs == [path]
    held_rebuild.release(path)
    assert client.get("/api/v1/structures").json()["count"] == 3


def test_an_index_never_built_is_not_rebuilt_by_itself(client, db):
    """A node that only applies the outbox (never ran ``essaim reindex``) keeps its index as it is."""
    StructureFactory(name="Garage solidaire")
    result = search_structures(StructureSearch())
    assert result.count == 0
    assert not recovery.rebuilding(index_path())


def test_the_start_of_the_process_logs_an_index_that_cannot_be_opened(structures, caplog):
    (index_path() / "meta.json").write_text("{garbage")
    with caplog.at_level(logging.INFO, logger="essaim.search"):
        recovery.check_at_start()
    assert "cannot be opened" in caplog.text
    shutil.rmtree(index_path())
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="essaim.search"):
        recovery.check_at_start()
    assert "missing" in caplog.text


def test_the_database_fallback_follows_the_filters_and_pages(db):
    for n in range(5):
        StructureFactory(name=f"Association {n}", family=Family.ASSOCIATION)
    StructureFactory(name="Coopérative", family=Family.COOPERATIVE, is_employer=True)
    result = database_search(StructureSearch(family=["association"], offset=2, limit=2))
    assert result.count == 5 and len(result.ids) == 2
    assert database_search(StructureSearch(employer=["oui"])).count == 1
    assert database_search(StructureSearch(q="coop")).count == 1
    assert database_search(StructureSearch(limit=0)).ids == []


def test_a_structure_typed_by_name_in_a_form_is_found_in_the_database_while_the_index_is_rebuilt(
    structures, held_rebuild
):
    """The event form's organisers without JavaScript: the typed name still designates the structure."""
    from essaim.www.directory.autocomplete import _suggest

    path = index_path()
    shutil.rmtree(path)
    assert _suggest("garage", None) == [structures[0].pk]
    assert held_rebuild.runs == [path]
    held_rebuild.release(path)
    assert _suggest("garage", None) == [structures[0].pk]
