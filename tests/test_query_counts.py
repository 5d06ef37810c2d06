"""Query counts that stay flat (issue 14 §7): every page the browser tests visit, as the role that visits it, costs
the same number of queries on the demo and on the demo grown 20× (structures, events with their sessions, grant
applications with their funding lines), and that number is pinned.

``PAGES`` is the list of those pages: public pages, then back-office pages per role (the browser journeys of
``tests/browser/`` and the pages their links lead to). A page whose count grows with the data is a page that will
not hold a real directory; a change of a pinned count is a change to look at (then update ``PINNED``).

How it is kept fast: the demo is loaded once for the module (``essaim demo``: most of the test's time, one to two
minutes on the 2-core machine, more when it is busy), grown with bulk inserts (no index update: the pages read the
index, whose size does not change the number of queries), and each page is requested twice per size (a warm-up,
then the count) with Django's test client.
"""

import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.seeded import restore_seeded

CABBALR = "200072460"
GROWTH = 20

# role → the pages it visits. "{event}", "{structure}", "{application}" and "{session}" are filled from the demo.
PAGES = {
    "public": [
        "/",
        "/territoires/",
        "/territoires/bethune-bruay/",
        "/territoires/artois-comm/",
        "/annuaire/",
        "/annuaire/?q=insertion",
        "/annuaire/?q=insertion&family=association&near_commune=62119&radius_km=20",
        "/annuaire/{structure}/",
        "/annuaire/referencer/",
        "/carte/",
        "/agenda/",
        "/agenda/?type=cafe_citoyen",
        "/agenda/carte/",
        "/agenda/evenements/{event}/",
        "/aides/",
        "/aides/entreprendre-autrement/",
        "/aides/simulateur/",
        "/compte/connexion/",
    ],
    "agent@bethune-bruay.example": [
        "/compte/",
        "/gestion/",
        "/annuaire/moderation/",
        "/agenda/gestion/bethune-bruay/",
        "/agenda/gestion/bethune-bruay/evenements/ajouter/",
        "/agenda/gestion/bethune-bruay/evenements/{event}/",
        "/agenda/gestion/bethune-bruay/evenements/{event}/modifier/",
        "/aides/instruction/",
        "/aides/instruction/tableau-de-bord/",
        "/aides/instruction/{application}/",
        "/aides/seances/",
    ],
    "reseau@essaim.example": ["/gestion/", "/annuaire/moderation/"],
    "agent@ternois.example": ["/annuaire/moderation/", "/agenda/gestion/ternois/"],
    "porteur@essaim.example": ["/compte/", "/aides/mes-demandes/", "/aides/entreprendre-autrement/deposer/"],
    "structure@essaim.example": ["/compte/"],
}

# The counts measured on the demo, equal at 20× (a page that answers with a redirect counts its own queries).
PINNED: dict[tuple[str, str], int] = {
    ("public", "/"): 14,
    ("public", "/territoires/"): 5,
    ("public", "/territoires/bethune-bruay/"): 12,
    ("public", "/territoires/artois-comm/"): 12,
    ("public", "/annuaire/"): 1,
    ("public", "/annuaire/?q=insertion"): 1,
    ("public", "/annuaire/?q=insertion&family=association&near_commune=62119&radius_km=20"): 3,
    ("public", "/annuaire/{structure}/"): 7,  # + the club's section (membership, practice sheets)
    ("public", "/annuaire/referencer/"): 2,
    ("public", "/carte/"): 3,
    ("public", "/agenda/"): 5,
    ("public", "/agenda/?type=cafe_citoyen"): 5,
    ("public", "/agenda/carte/"): 3,
    ("public", "/agenda/evenements/{event}/"): 7,
    ("public", "/aides/"): 2,
    ("public", "/aides/entreprendre-autrement/"): 5,
    ("public", "/aides/simulateur/"): 5,
    ("public", "/compte/connexion/"): 1,
    ("agent@bethune-bruay.example", "/compte/"): 16,  # + « Mon club » (2), the clubs' links (1), newsletters (1)
    ("agent@bethune-bruay.example", "/gestion/"): 6,  # + the territories' clubs
    ("agent@bethune-bruay.example", "/annuaire/moderation/"): 11,
    ("agent@bethune-bruay.example", "/agenda/gestion/bethune-bruay/"): 8,
    ("agent@bethune-bruay.example", "/agenda/gestion/bethune-bruay/evenements/ajouter/"): 8,
    ("agent@bethune-bruay.example", "/agenda/gestion/bethune-bruay/evenements/{event}/"): 9,
    ("agent@bethune-bruay.example", "/agenda/gestion/bethune-bruay/evenements/{event}/modifier/"): 14,
    ("agent@bethune-bruay.example", "/aides/instruction/"): 6,
    ("agent@bethune-bruay.example", "/aides/instruction/tableau-de-bord/"): 18,
    ("agent@bethune-bruay.example", "/aides/instruction/{application}/"): 19,
    ("agent@bethune-bruay.example", "/aides/seances/"): 7,
    ("reseau@essaim.example", "/gestion/"): 5,
    ("reseau@essaim.example", "/annuaire/moderation/"): 10,
    ("agent@ternois.example", "/annuaire/moderation/"): 11,
    ("agent@ternois.example", "/agenda/gestion/ternois/"): 8,
    ("porteur@essaim.example", "/compte/"): 17,  # + « Mon club » (member structures, roles), newsletters
    ("porteur@essaim.example", "/aides/mes-demandes/"): 6,
    ("porteur@essaim.example", "/aides/entreprendre-autrement/deposer/"): 6,
    ("structure@essaim.example", "/compte/"): 14,  # + « Mon club », « Mes lettres d'information »
}


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker, tmp_path_factory):
    """``essaim demo`` once for the module (the test database is flushed at the end, and what the migrations seeded
    is put back for the tests that follow on the same worker)."""
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import override_settings

    base = tmp_path_factory.mktemp("query-counts")
    overrides = override_settings(
        ESSAIM_DEFAULT_TERRITORY=CABBALR,
        ESSAIM_SEARCH_INDEX_DIR=base / "index",
        MEDIA_ROOT=base / "media",
        ESSAIM_PRIVATE_ROOT=base / "private",
    )
    with django_db_blocker.unblock():
        overrides.enable()
        seeded = connection.creation.serialize_db_to_string()
        try:
            call_command("demo", stdout=io.StringIO())
            yield
        finally:
            restore_seeded(seeded)
            overrides.disable()


def _objects():
    from essaim.agenda.models import Event
    from essaim.directory.models import Structure
    from essaim.grants.models import Application

    event = Event.objects.published().filter(territory__siren=CABBALR, sessions__isnull=False).order_by("pk").first()
    structure = Structure.objects.get(slug="apic")
    application = Application.objects.filter(scheme__territory__siren=CABBALR).order_by("pk").first()
    return {"event": event.pk, "structure": structure.slug, "application": application.pk}


def _count(objects) -> dict[tuple[str, str], tuple[int, int]]:
    from essaim.accounts.models import User

    counts = {}
    for role, paths in PAGES.items():
        client = Client()
        if role != "public":
            client.force_login(User.objects.get(email=role))
        for template in paths:
            path = template.format(**objects)
            client.get(path)  # warm what a process keeps between requests (caches of choices, facet names)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path)
            counts[(role, template)] = (response.status_code, len(captured.captured_queries))
    return counts


def _grow(factor: int):
    """Everything a page may list, ``factor`` times over: structures in the demo's communes, published events
    with their sessions, grant applications with their funding lines."""
    from essaim.agenda.models import Event, Session
    from essaim.directory.generator import generate_structures
    from essaim.directory.models import Structure
    from essaim.grants.models import Application
    from essaim.territories.models import Commune

    communes = Commune.objects.filter(perimeters__territory__siren=CABBALR).distinct()
    generate_structures(count=Structure.objects.count() * (factor - 1), seed=3, communes=communes)

    events = list(Event.objects.all())
    sessions = list(Session.objects.filter(event__in=events))
    for _ in range(1, factor):
        copies = []
        for event in events:
            copies.append(_copy(event, **({"rolled_from": None} if hasattr(event, "rolled_from_id") else {})))
        created = Event.objects.bulk_create(copies)
        by_old = {old.pk: new for old, new in zip(events, created, strict=True)}
        Session.objects.bulk_create(
            [_copy(s, event=by_old[s.event_id]) for s in sessions if s.event_id in by_old and not _is_child(s)]
        )

    applications = list(Application.objects.all())
    for _ in range(1, factor):
        for application in applications:
            lines = list(application.funding_lines.all()) if hasattr(application, "funding_lines") else []
            copy = _copy(application)
            copy.save()
            for line in lines:
                _copy(line, application=copy).save()


def _is_child(session) -> bool:
    return bool(getattr(session, "series_id", None))


def _copy(obj, **changes):
    """An unsaved copy of ``obj``; unique fields with a default (uid, reference) get a new value."""
    fields = {
        f.attname: f.get_default() if f.unique and f.has_default() else getattr(obj, f.attname)
        for f in obj._meta.concrete_fields
        if not f.primary_key and f.attname not in {"created_at", "updated_at"}
    }
    for name, value in changes.items():
        field = obj._meta.get_field(name)
        fields[field.attname] = value.pk if hasattr(value, "_meta") else value
    return type(obj)(**fields)


@pytest.mark.django_db(transaction=False)
def test_every_page_of_the_browser_tests_costs_the_same_queries_at_demo_size_and_at_20x(demo_data):
    from essaim.agenda.models import Event
    from essaim.directory.models import Structure
    from essaim.grants.models import Application

    objects = _objects()
    before = _count(objects)
    errors = {key: status for key, (status, _) in before.items() if status >= 400}
    assert not errors, f"pages en erreur : {errors}"
    sizes = (Structure.objects.count(), Event.objects.count(), Application.objects.count())
    _grow(GROWTH)
    grown = (Structure.objects.count(), Event.objects.count(), Application.objects.count())
    assert all(g >= GROWTH * s for g, s in zip(grown, sizes, strict=True)), (sizes, grown)
    after = _count(objects)
    changed = {
        f"{role} {path}": (before[(role, path)][1], after[(role, path)][1])
        for role, path in before
        if before[(role, path)][1] != after[(role, path)][1]
    }
    assert not changed, f"requêtes différentes à {GROWTH}× (démo, {GROWTH}×) : {changed}"
    counts = {key: n for key, (_, n) in before.items()}
    moved = {
        f"{role} {path}": (PINNED.get((role, path)), n)
        for (role, path), n in counts.items()
        if PINNED.get((role, path)) != n
    }
    assert not moved, f"requêtes changées (épinglé, mesuré) : {moved}"
