"""Conventions the linters cannot check (les-emplois' tests/test_consistency.py does the same)."""

from pathlib import Path

import pytest
from django.apps import apps
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver

from tests.weak_assertions import weak_assertions

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "essaim" / "templates"
REFERENCE_MODELS = {"Region", "Departement", "Epci", "Commune"}
ACRONYMS = {"SIREN", "SIRET", "RNA", "EPCI", "INSEE", "ETP"}
ESSAIM_APPS = [a for a in apps.get_app_configs() if a.name.startswith("essaim.")]


def essaim_models():
    return [m for a in ESSAIM_APPS for m in a.get_models()]


def test_every_model_and_field_has_a_french_verbose_name_starting_in_lowercase():
    for model in essaim_models():
        verbose_name = str(model._meta.verbose_name)
        if verbose_name not in ACRONYMS:
            assert verbose_name[0] == verbose_name[0].lower(), model
        for field in model._meta.get_fields():
            if getattr(field, "verbose_name", None) and not field.auto_created:
                name = str(field.verbose_name)
                if name.split(" ")[0] in ACRONYMS:
                    continue
                assert name[0] == name[0].lower(), f"{model.__name__}.{field.name}: {name}"


def test_reference_data_is_protected_and_cascade_only_deletes_owned_children():
    """Deleting a commune or an EPCI never silently deletes a territory's data."""
    for model in essaim_models():
        for field in model._meta.fields:
            if isinstance(field, models.ForeignKey):
                target = field.related_model.__name__
                if target in REFERENCE_MODELS:
                    assert field.remote_field.on_delete is models.PROTECT, f"{model.__name__}.{field.name}"


def test_every_essaim_model_knows_when_it_changed_unless_it_is_reference_data():
    for model in essaim_models():
        if model.__name__ in REFERENCE_MODELS | {"TerritoryCommune", "User"}:
            continue
        names = {f.name for f in model._meta.fields}
        assert {"created_at", "updated_at"} <= names, model


def iter_patterns(resolver, prefix=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from iter_patterns(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


@pytest.mark.django_db
def test_every_url_without_parameters_answers_without_a_server_error(client):
    """Anonymous GET on every parameterless route: a page, a redirect to login, 403/404/405 — never a 500."""
    checked = 0
    for route, _pattern in iter_patterns(get_resolver()):
        if "<" in route or route.startswith(("admin/", "^")) or "(?P" in route:
            continue
        url = "/" + route.replace("^", "").replace("$", "").replace("\\Z", "")
        response = client.get(url)
        assert response.status_code < 500, url
        checked += 1
    assert checked > 10


def test_every_template_is_used():
    """A template that no code, setting or other template names is dead weight (error pages are Django's)."""
    files = [*ROOT.joinpath("essaim").rglob("*.py"), *ROOT.joinpath("config").rglob("*.py")]
    files += [*TEMPLATES.rglob("*.html"), *TEMPLATES.rglob("*.txt")]
    sources = "\n".join(p.read_text(encoding="utf-8") for p in files)
    names = [t.relative_to(TEMPLATES).as_posix() for t in TEMPLATES.rglob("*.*")]
    unused = [
        name
        for name in names
        if not name.startswith("errors/") and f'"{name}"' not in sources and f"'{name}'" not in sources
    ]
    assert unused == []


def test_no_assertion_in_the_suite_is_one_that_cannot_fail():
    """``assert … or …``, an assertion on a constant or on a value compared with itself, a loop that may assert
    zero times: see tests/weak_assertions.py for each rule and how to write the check instead."""
    found = []
    for path in sorted(ROOT.joinpath("tests").rglob("*.py")):
        if "vendor" not in path.parts:
            found += weak_assertions(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    assert found == []


PLANTED = """
from essaim.grants.workflow import TRANSITIONS
STATES = ["draft", "submitted"]

def test_planted(client, rows, html):
    x = client.get("/")
    assert x or True
    assert (x.status_code == 200, "message")
    assert x.status_code == x.status_code
    assert "" in html
    for row in rows:
        assert row
    for row in client.get("/api").json():
        assert row
    for i in range(len(client.get("/").content)):
        assert i >= 0
"""

ACCEPTED = """
from essaim.grants.workflow import TRANSITIONS
STATES = ["draft", "submitted"]

def test_accepted(client, rows):
    assert any(s in "ab" for s in ("a", "b"))
    assert {"minimum", "format"} & rows[0].keys()
    for state in STATES:
        assert state
    for name, spec in sorted(TRANSITIONS.items()):
        assert spec
    for n in range(3):
        assert n < 3
    assert len(rows) == 2
    for row in rows[1:]:
        assert row
    checked = 0
    for url in client.get("/").json():
        assert url
        checked += 1
    assert checked > 10
"""


def test_the_weak_assertion_check_catches_each_planted_case_and_accepts_the_honest_ones():
    found = weak_assertions(PLANTED, "planted.py")
    assert [line.split(":")[1] for line in found] == ["7", "8", "9", "10", "11", "13", "15"]
    assert "assert … or …" in found[0] and "may assert zero times" in found[-1]
    assert weak_assertions(ACCEPTED, "accepted.py") == []
