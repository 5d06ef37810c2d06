"""The whole demo served as ``make demo`` serves it: the harness that the journeys of the demo build on."""

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible


def test_demo_site_serves_the_default_territory_and_logs_in(demo_page, demo_site, js_errors, demo_no_third_party):
    """The demo's home page is the CABBALR's, and a demo account logs in through the real form."""
    demo_page.goto("/")
    expect(demo_page.get_by_role("heading", level=1)).to_contain_text("Béthune-Bruay, Artois-Lys Romane")
    assert_accessible(demo_page)
    demo_site.login(demo_page, "agent@bethune-bruay.example")
    expect(demo_page.locator("main")).to_contain_text("agent@bethune-bruay.example")
    assert not js_errors
    demo_no_third_party()


def test_demo_site_database_is_readable_from_the_test(demo_site):
    """The test thread reads the demo's rows directly (the ORM is unblocked for the module)."""
    from essaim.accounts.models import User

    assert User.objects.filter(email="porteur@essaim.example").exists()
