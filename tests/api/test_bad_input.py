"""Bad input to the JSON API answers a clear 4xx in JSON, never a 500 (issue #15 §1), and the OpenAPI schema declares
the limits that refuse it (``essaim/api/types.py``), so that what the schema allows is accepted.

Each case failed before: a 500 (date overflow, integer beyond 64 bits, decimal overflow, non-finite coordinates), or
a value stored that PostgreSQL refuses (NUL), or a registration without consent accepted."""

import json

import pytest

from essaim.agenda.models import Registration
from essaim.core import bounds
from tests.agenda.factories import EventFactory, SessionFactory

pytestmark = pytest.mark.django_db

HUGE = str(10**30)
CONTROL_CHARACTERS = ["\x00", "\x01", "\x1b", "\x7f", "\x85", "\x9f"]


def assert_json_4xx(response, status=422):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    detail = response.json()["detail"]
    assert isinstance(detail, str) and detail
    return detail


@pytest.fixture
def session(db):
    return SessionFactory(event=EventFactory(), capacity=30)


def register(client, event_id, **body):
    payload = {"name": "Léa Dufour", "email": "lea@exemple.example", "consent": True} | body
    return client.post(
        f"/api/v1/events/{event_id}/registrations", json.dumps(payload), content_type="application/json"
    )


# -- dates ------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        ({"from": "0001-01-01"}, "entre le 01/01/1900"),
        ({"to": "9999-12-31"}, "entre le 01/01/1900"),
        ({"from": "0"}, "AAAA-MM-JJ"),  # pydantic read it as a Unix time: 1970-01-01
        ({"from": "1700000000"}, "AAAA-MM-JJ"),
        ({"to": "2026-02-30"}, "n'est pas une date"),
        ({"from": "2026-01-01T10:00"}, "AAAA-MM-JJ"),
    ],
)
def test_events_refuse_dates_out_of_range_or_not_written_as_a_day(client, query, fragment):
    detail = assert_json_4xx(client.get("/api/v1/events", query))
    assert fragment in detail


def test_events_accept_the_first_and_last_day_of_the_bounds(client):
    query = {"from": bounds.MIN_DATE.isoformat(), "to": bounds.MAX_DATE.isoformat()}
    assert client.get("/api/v1/events", query).status_code == 200


def test_a_period_that_ends_before_it_starts_is_a_400_combination(client):
    detail = assert_json_4xx(client.get("/api/v1/events", {"from": "2027-11-20", "to": "2027-11-01"}), 400)
    assert "précède" in detail


# -- integers ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "query"),
    [
        ("/api/v1/events", {"offset": HUGE}),
        ("/api/v1/events", {"offset": str(bounds.MAX_INT + 1)}),
        ("/api/v1/events", {"campaign": HUGE}),
        ("/api/v1/events", {"organiser": HUGE}),
        ("/api/v1/events", {"campaign": "²"}),  # str.isdigit() is true, int() fails
        ("/api/v1/territories", {"offset": HUGE}),
        ("/api/v1/structures", {"page": HUGE}),
        ("/api/v1/structures", {"seed": HUGE}),
        ("/api/v1/structures/suggest", {"q": "ressourcerie", "limit": HUGE}),
        ("/api/v1/indicators", {"year": HUGE}),
        ("/api/v1/geo/france.geojson", {"zoom": HUGE}),
        (f"/api/v1/events/{HUGE}", {}),
        (f"/api/v1/structures/{HUGE}", {}),
    ],
)
def test_integers_beyond_their_limits_are_a_422(client, url, query):
    assert_json_4xx(client.get(url, query))


def test_a_registration_to_an_event_beyond_64_bits_is_a_422(client):
    assert_json_4xx(register(client, HUGE))


# -- coordinates and floats -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("bbox", ["nan,nan,nan,nan", "inf,inf,inf,inf", "-inf,50,inf,51", "1e308,1e308,1e308,1e308",
                                  "1,2,3", "2.5,50.2,2.6,91", "181,50,182,51", "2,50,3,51,4"])  # fmt: skip
@pytest.mark.parametrize("url", ["/api/v1/structures/clusters", "/api/v1/structures", "/api/v1/structures.geojson"])
def test_every_bbox_refuses_non_finite_or_out_of_range_coordinates(client, url, bbox):
    detail = assert_json_4xx(client.get(url, {"bbox": bbox, "zoom": "8"}))
    assert "bbox" in detail


@pytest.mark.parametrize("near", ["nan,nan", "inf,2", "50,1e308", "91,2", "50"])
def test_near_refuses_non_finite_or_out_of_range_coordinates(client, near):
    detail = assert_json_4xx(client.get("/api/v1/structures", {"near": near}))
    assert "near" in detail


@pytest.mark.parametrize("radius", ["nan", "inf", "-1", "0", "1e308"])
def test_radius_refuses_non_finite_or_out_of_range_values(client, radius):
    assert_json_4xx(client.get("/api/v1/structures", {"near": "50.5,2.6", "radius_km": radius}))


def test_clusters_require_a_bbox(client):
    detail = assert_json_4xx(client.get("/api/v1/structures/clusters", {"zoom": "8"}))
    assert "bbox" in detail


# -- money ------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "payload",
    [
        {"fte_created": "1", "investment": "1" * 30},
        {"fte_created": "1" * 30, "investment": "1"},
        {"fte_created": "1", "investment": 10**30},
        {"fte_created": 1e308, "investment": 1},
        {"fte_created": 1, "investment": 1e308},
        {"fte_created": "1", "investment": "1e5"},
        {"fte_created": True, "investment": 1},
    ],
)
def test_the_simulator_refuses_huge_or_malformed_numbers_with_a_422(client, payload):
    body = json.dumps({"form": "demarrage"} | payload)
    response = client.post("/api/v1/grants/simulate", body, content_type="application/json")
    assert_json_4xx(response)


def test_the_simulator_refuses_nan_sent_as_a_bare_json_literal(client):
    body = '{"form": "demarrage", "fte_created": NaN, "investment": 1}'
    assert_json_4xx(client.post("/api/v1/grants/simulate", body, content_type="application/json"))


# -- text: control characters in every field --------------------------------------------------------------------------


@pytest.mark.parametrize("char", CONTROL_CHARACTERS)
@pytest.mark.parametrize("field", ["name", "email", "phone"])
def test_a_registration_with_a_control_character_is_refused_and_nothing_is_stored(client, session, field, char):
    value = {"name": "Léa Dufour", "email": "lea@exemple.example", "phone": "06 12 34 56 78"}[field]
    detail = assert_json_4xx(register(client, session.event_id, **{field: value[:3] + char + value[3:]}))
    assert field in detail
    assert not Registration.objects.exists()


@pytest.mark.parametrize("answers", [{"Régime\x00": "aucun"}, {"Régime": "aucun\x00"}, {"Régime": "a\x1bb"}])
def test_registration_answers_with_a_control_character_are_refused(client, session, answers):
    assert_json_4xx(register(client, session.event_id, answers=answers))
    assert not Registration.objects.exists()


@pytest.mark.parametrize("char", ["\x00", "\x1f", "\x9f"])
@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/api/v1/events", "q"),
        ("/api/v1/events", "territory"),
        ("/api/v1/events", "campaign"),
        ("/api/v1/territories", "q"),
        ("/api/v1/territories", "departement"),
        ("/api/v1/structures", "q"),
        ("/api/v1/structures", "sector"),
        ("/api/v1/structures/suggest", "q"),
        ("/api/v1/geo/communes", "q"),
        ("/api/v1/geo/communes.geojson", "territory"),
        ("/api/v1/indicators", "territory"),
    ],
)
def test_a_control_character_in_any_query_parameter_is_a_422(client, url, name, char):
    detail = assert_json_4xx(client.get(url, {name: f"ab{char}cd"}))
    assert name in detail


@pytest.mark.parametrize("char", ["\x00", "\x1f"])
def test_a_control_character_in_the_simulators_territory_is_a_422(client, char):
    body = json.dumps({"form": "demarrage", "fte_created": 1, "investment": 1, "territory": f"ab{char}"})
    assert_json_4xx(client.post("/api/v1/grants/simulate", body, content_type="application/json"))


def test_a_control_character_in_a_path_key_is_a_422(client):
    assert_json_4xx(client.get("/api/v1/territories/ab%00cd"))


@pytest.mark.parametrize("name", ["   ", "\u3000", "\xa0\t"])
def test_a_name_of_spaces_only_is_a_422_that_says_so(client, session, name):
    assert "indiquez un nom" in assert_json_4xx(register(client, session.event_id, name=name))


@pytest.mark.parametrize("email", ["0@0.a", "pas-un-mail", "a@b"])
def test_an_email_the_form_would_refuse_is_a_422(client, session, email):
    assert "pas valide" in assert_json_4xx(register(client, session.event_id, email=email))


def test_text_keeps_tabs_and_line_breaks(client, session):
    response = register(client, session.event_id, name="Léa\tDufour", phone="06\r\n12")
    assert response.status_code == 201, response.json()


# -- consent ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("consent", [False, None, "non", 0])
def test_a_registration_without_consent_is_refused_like_the_form_refuses_it(client, session, consent):
    detail = assert_json_4xx(register(client, session.event_id, consent=consent))
    assert "consent" in detail
    assert not Registration.objects.exists()


def test_a_registration_that_leaves_consent_out_is_refused(client, session):
    body = json.dumps({"name": "Léa Dufour", "email": "lea@exemple.example"})
    response = client.post(f"/api/v1/events/{session.event_id}/registrations", body, content_type="application/json")
    assert "consent" in assert_json_4xx(response)


def test_a_registration_with_consent_is_stored_with_its_date(client, session):
    assert register(client, session.event_id).status_code == 201
    assert Registration.objects.get().consent_at is not None


# -- the schema declares it all ---------------------------------------------------------------------------------------


@pytest.fixture
def schema(client):
    return client.get("/api/v1/openapi.json").json()


def _operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield f"{method.upper()} {path}", operation


def _parameter_schemas(schema_object):
    """The schemas a parameter may take (``anyOf`` of a nullable value: its non-null branch)."""
    branches = schema_object.get("anyOf", [schema_object])
    return [b for b in branches if b.get("type") != "null"]


def test_every_operation_declares_its_422_and_json_errors(schema):
    for label, operation in _operations(schema):
        responses = operation["responses"]
        assert "422" in responses, label
        for status, response in responses.items():
            if status.startswith("4"):
                assert "application/json" in response.get("content", {}), (label, status)


def test_every_parameter_declares_its_limits(schema):
    """Integers have a minimum and a maximum, numbers too, strings a maximum length and a pattern, a format or a
    list of values: a schemathesis run finds any parameter left unbounded."""
    for label, operation in _operations(schema):
        for parameter in operation.get("parameters", []):
            for branch in _parameter_schemas(parameter["schema"]):
                items = branch.get("items", branch) if branch.get("type") == "array" else branch
                where = (label, parameter["name"], items)
                if "$ref" in items or "enum" in items or "const" in items:
                    continue
                if items.get("type") in {"integer", "number"}:
                    assert {"minimum", "exclusiveMinimum"} & items.keys(), where
                    assert "maximum" in items, where
                elif items.get("type") == "string":
                    assert {"pattern", "format"} & items.keys(), where
                    if "format" not in items:
                        assert "maxLength" in items, where


def test_every_body_text_field_declares_its_limits(schema):
    for name in ("RegistrationIn", "SimulateIn"):
        for field, prop in schema["components"]["schemas"][name]["properties"].items():
            for branch in _parameter_schemas(prop):
                if branch.get("type") == "string":
                    assert "maxLength" in branch and {"pattern", "format"} & branch.keys(), (name, field)


def test_the_registration_schema_says_consent_must_be_true(schema):
    body = schema["components"]["schemas"]["RegistrationIn"]
    assert body["properties"]["consent"]["const"] is True
    assert {"name", "email", "consent"} <= set(body["required"])


# -- a search by distance that finds nothing --------------------------------------------------------------------------


@pytest.fixture
def indexed(settings, tmp_path):
    """Two structures near Béthune, in a fresh index of the test."""
    from essaim.search.indexer import reindex
    from tests.directory.factories import StructureFactory, territory_with_commune

    settings.ESSAIM_SEARCH_INDEX_DIR = tmp_path / "index"
    _, commune = territory_with_commune(name="Béthune", insee_code="98119")
    for n in range(2):
        StructureFactory(name=f"Ressourcerie {n}", commune=commune)
    reindex()


@pytest.mark.parametrize(
    "query",
    [
        {"near": "90,180", "sort": "distance"},  # nothing within 50 km: tantivy was asked for 0 hits and panicked
        {"near": "-45.5,170", "radius_km": "200", "sort": "distance"},
        {"near": "50.5,2.6", "radius_km": "5e-324", "sort": "distance"},  # radius / 16 == 0.0: looped forever
    ],
)
def test_a_search_by_distance_that_finds_nothing_is_an_empty_page(client, indexed, query):
    """Before: a 503 and a rebuild of the whole index that anyone could trigger, or a request that never ended."""
    response = client.get("/api/v1/structures", query)
    assert response.status_code == 200, response.content[:300]
    assert response.json()["count"] == 0  # the two structures lie neither there nor within 5e-324 km
    assert client.get("/api/v1/structures", {"near": "50.5,2.6", "sort": "distance"}).status_code == 200
