"""Browser tests: Debian's Chromium driven by Playwright (sync API) against pytest-django's ``live_server``.

- every test of this folder carries the ``browser`` marker;
- one Chromium per test module; ``DJANGO_ALLOW_ASYNC_UNSAFE`` is set only while it runs (see ``chromium``);
- Chromium missing: the tests are skipped on a laptop, and fail on CI (``CI=true``), which must run them;
- each test gets a fresh browser context whose requests to any host other than the live server are aborted
  and recorded: Essaim promises that no page calls a third party (``assert_no_third_party``);
- ``assert_accessible`` runs the vendored axe-core (WCAG 2.0/2.1 A and AA rules) and fails on every serious or
  critical violation.

See ``tests/browser/README.md``.
"""

import io
import os
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.browser.typography import TypographyWatch
from tests.seeded import restore_seeded

HERE = Path(__file__).resolve().parent
AXE_PATH = HERE / "vendor" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("ESSAIM_CHROMIUM") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}
DEFAULT_TIMEOUT_MS = 10_000
CABBALR_SIREN = "200072460"
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


def _chromium_executable():
    if os.path.isabs(CHROMIUM):
        return CHROMIUM if os.access(CHROMIUM, os.X_OK) else None
    return shutil.which(CHROMIUM)


@pytest.fixture(scope="module")
def chromium():
    """One headless Chromium per test module.

    While Playwright's sync API is started, an asyncio loop counts as running in the test thread, so Django's
    ORM refuses to run there (SynchronousOnlyOperation) unless DJANGO_ALLOW_ASYNC_UNSAFE is set. Both live only
    as long as this module-scoped fixture: a session-wide Playwright (or a variable set at import) would leak into
    the rest of the suite, e.g. into the ``manage.py check --deploy`` subprocess of ``tests/test_settings.py``
    (async.E001), and would hide real async-safety bugs in the other tests.
    """
    executable = _chromium_executable()
    if executable is None:
        if os.environ.get("CI") == "true":
            pytest.fail(
                f"Chromium introuvable ({CHROMIUM}) alors que CI=true : les tests navigateur doivent tourner en "
                "intégration continue ; installez-le (apt-get install chromium) ou réglez ESSAIM_CHROMIUM.",
                pytrace=False,
            )
        pytest.skip(f"Chromium introuvable ({CHROMIUM}) : tests navigateur sautés ; apt-get install chromium")

    from playwright.sync_api import sync_playwright

    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
    finally:
        # While Playwright's loop runs, asgiref's Local (Django's ``connections``) keeps the test thread's database
        # connections in a context of their own, apart from the thread's usual ones: close them before the loop
        # stops, or they stay open, unreachable, until the end of the run (on PostgreSQL, an idle session that
        # keeps pytest-django from dropping the test database).
        from django.db import connections

        connections.close_all()
        playwright.stop()
        if previous is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = previous


class ThirdPartyGuard:
    """Aborts every request that does not go to the live server, and remembers it."""

    def __init__(self, allowed_netloc: str):
        self.allowed_netloc = allowed_netloc
        self.blocked: list[str] = []

    def handle(self, route):
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in {"data", "blob", "about"} or parts.netloc == self.allowed_netloc:
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort("blockedbyclient")


@pytest.fixture
def third_party(live_server):
    return ThirdPartyGuard(urlsplit(live_server.url).netloc)


@pytest.fixture
def js_errors():
    """Uncaught JavaScript errors of the page, in order."""
    return []


def _new_context(chromium, base_url, guard):
    context = chromium.new_context(
        base_url=base_url,
        bypass_csp=True,
        locale="fr-FR",
        viewport={"width": 1280, "height": 900},
        reduced_motion="reduce",
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    context.route("**/*", guard.handle)
    # Every page loaded and every htmx swap is checked for technical pages, internal codes and French typography
    # (tests/browser/typography.py); assert_accessible and the end of the test fail on what it found.
    context.essaim_typography = TypographyWatch(context)
    return context


def _typography_teardown(context, page):
    watch = context.essaim_typography
    if not page.is_closed():
        watch.flush(page)
    watch.assert_clean()


def _checked_page(chromium, base_url, guard, js_errors):
    """A page in a fresh context whose JavaScript errors are recorded and whose pages the typography checker reads."""
    context = _new_context(chromium, base_url, guard)
    page = context.new_page()
    page.on("pageerror", lambda exc: js_errors.append(str(exc)))
    try:
        yield page
        _typography_teardown(context, page)
    finally:
        context.close()


@pytest.fixture
def page(chromium, live_server, third_party, js_errors):
    """A page in a fresh context (French, CSP bypassed only so that axe can be injected)."""
    yield from _checked_page(chromium, live_server.url, third_party, js_errors)


@pytest.fixture
def assert_no_third_party(third_party):
    """Call it at the end of a journey: no request left the live server."""

    def check():
        assert not third_party.blocked, "Requêtes vers un tiers tentées : " + ", ".join(third_party.blocked)

    return check


def assert_accessible(page, *, context: str = "") -> list[dict]:
    """Run axe-core on the current page; fail on serious or critical WCAG 2.x A/AA violations.

    Moderate and minor violations are printed (visible with ``-s`` or in the report of a failing test) and
    returned, but do not fail.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_PATH))
    results = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                targets: v.nodes.slice(0, 5).map(n => n.target.join(' ')),
                count: v.nodes.length,
                summary: v.nodes.length ? (v.nodes[0].failureSummary || '') : '',
            }));
        }""",
        AXE_TAGS,
    )
    where = context or page.url

    def describe(v):
        return (
            f"  - [{v['impact']}] {v['id']} : {v['help']} ({v['count']} élément(s) ; "
            f"{', '.join(v['targets'])})\n    {v['summary'].strip()}".rstrip()
        )

    minor = [v for v in results if v["impact"] not in BLOCKING_IMPACTS]
    blocking = [v for v in results if v["impact"] in BLOCKING_IMPACTS]
    if minor:
        print(f"axe ({where}) : violations non bloquantes\n" + "\n".join(describe(v) for v in minor))
    assert not blocking, f"axe ({where}) : violations graves ou critiques\n" + "\n".join(describe(v) for v in blocking)
    watch = getattr(page.context, "essaim_typography", None)
    if watch is not None and page.url.startswith("http"):
        watch.assert_clean(page, url=page.url)
    return results


@pytest.fixture
def live_demo(live_server, transactional_db, settings):
    """The Pas-de-Calais geography, the demo territories and the demo accounts, the CABBALR as default
    territory, in the database the live server reads."""
    from essaim.accounts.demo import load_demo_accounts
    from essaim.territories.demo import load_demo_territories
    from essaim.territories.services import geo_import, read_communes_file

    demo_epcis = {"200069672", CABBALR_SIREN}
    geo_import(rows=(r for r in read_communes_file() if r["departement"] == "62" or r["epci_siren"] in demo_epcis))
    territories = load_demo_territories()
    load_demo_accounts(territories)
    settings.ESSAIM_DEFAULT_TERRITORY = CABBALR_SIREN
    return territories


class DemoSite:
    """The whole demo (``essaim demo``) served by a live server of its own, for one test module."""

    password = "demo-essaim-2026"  # noqa: S105 -- the demo's printed password

    def __init__(self, url: str, index_dir: Path):
        self.url = url
        self.index_dir = index_dir

    def login(self, page, email: str, next_path: str = "/compte/"):
        """Logs ``email`` in through the real login form (the demo's common password), then lands on
        ``next_path``."""
        page.goto(f"/compte/connexion/?next={next_path}")
        form = page.locator("main form").filter(has=page.locator("input[type=password]")).first
        form.locator("input[type=email]").fill(email)
        form.locator("input[type=password]").fill(self.password)
        form.get_by_role("button", name=re.compile(r"^Se connecter")).click()
        page.wait_for_url(re.compile(re.escape(next_path) + r"$"))


@pytest.fixture(scope="session")
def demo_databases(django_db_setup, django_db_blocker):
    """The test database, even when only ``demo_site`` tests run: pytest-django creates it only for tests that
    ask for ``db``, ``transactional_db`` or ``live_server``, and those would wrap or flush every test."""
    import dj_database_url
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    from config import settings as configured

    if connection.settings_dict["NAME"] != dj_database_url.parse(configured.DATABASE_URL)["NAME"]:
        yield  # pytest-django already points the connection at the test database
        return
    with django_db_blocker.unblock():
        config = setup_databases(verbosity=0, interactive=False, aliases={"default"})
    yield
    with django_db_blocker.unblock():
        teardown_databases(config, verbosity=0)


@pytest.fixture(scope="module")
def demo_site(demo_databases, django_db_blocker, tmp_path_factory):
    """``essaim demo`` as a user gets it after ``make demo`` (France's geography, the three territories, every
    account, the directory, the agenda and the grants, dates relative to today), loaded **once per module** and
    served by a live server of its own: the tests of a module share it, so each test makes its own data (its own
    account, its own application) and never relies on another test's. The database is flushed when the module
    ends. Use ``demo_page`` (not ``page``, which comes with pytest-django's flushing ``live_server``). The test
    thread may read and write the database directly (Django's ORM is unblocked for the module)."""
    from django.core import mail
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import override_settings
    from pytest_django.live_server_helper import LiveServer

    base = tmp_path_factory.mktemp("demo-site")
    overrides = override_settings(
        ESSAIM_DEFAULT_TERRITORY=CABBALR_SIREN,
        ESSAIM_SEARCH_INDEX_DIR=base / "index",
        MEDIA_ROOT=base / "media",
        ESSAIM_PRIVATE_ROOT=base / "private",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        ALLOWED_HOSTS=["localhost", "127.0.0.1", "testserver"],
    )
    with django_db_blocker.unblock():
        overrides.enable()
        mail.outbox = []
        server = None
        # What the migrations seeded (the sector taxonomy…): put back after the flush, for the tests that follow.
        seeded = connection.creation.serialize_db_to_string()
        try:
            call_command("demo", stdout=io.StringIO())
            server = LiveServer("localhost")
            yield DemoSite(server.url, base / "index")
        finally:
            if server is not None:
                server.stop()
            restore_seeded(seeded)
            overrides.disable()


@pytest.fixture
def demo_guard(demo_site):
    return ThirdPartyGuard(urlsplit(demo_site.url).netloc)


@pytest.fixture
def demo_page(chromium, demo_site, demo_guard, js_errors):
    """A fresh browser context on the ``demo_site`` (French, 1280 × 900, third parties blocked)."""
    yield from _checked_page(chromium, demo_site.url, demo_guard, js_errors)


@pytest.fixture
def demo_no_third_party(demo_guard):
    def check():
        assert not demo_guard.blocked, "Requêtes vers un tiers tentées : " + ", ".join(demo_guard.blocked)

    return check
