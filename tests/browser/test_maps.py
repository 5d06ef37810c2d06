"""Maps in Chromium on the demo: the offline vector base layer under every map, the directory map fitted to the
territory with its clusters whole inside the map, commune names at close zoom, the commune autocomplete by
keyboard, the directory's filters removed one by one. axe on every page; no request leaves the site."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible

MAP_PAGES = ["/carte/", "/carte/embed", "/agenda/carte/", "/territoires/ternois/", "/territoires/", "/annuaire/apic/"]


def _bytes_loaded(page) -> dict:
    """Every response of the page (URL → bytes on the wire: body and headers), counted as Chromium reports them."""
    sizes = {}

    def record(request):
        try:
            info = request.sizes()
            sizes[request.url] = info["responseBodySize"] + info["responseHeadersSize"]
        except Exception:  # noqa: BLE001 -- a request aborted by the page: nothing loaded
            sizes.setdefault(request.url, 0)

    page.on("requestfinished", record)
    return sizes


def _box(locator):
    return locator.evaluate("e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; }")


def _inside(inner, outer, slack=1):
    return (
        inner[0] >= outer[0] - slack
        and inner[1] >= outer[1] - slack
        and inner[2] <= outer[2] + slack
        and inner[3] <= outer[3] + slack
    )


def _wait_base_layer(page, *, communes=True):
    page.wait_for_function("() => document.querySelectorAll('.leaflet-essaim-base-pane path').length >= 3")
    if communes:
        page.wait_for_function("() => document.querySelectorAll('.leaflet-essaim-perimeter-pane path').length >= 1")


def test_directory_map_fits_the_territory_on_its_base_layer_with_clusters_inside(
    demo_page, js_errors, demo_no_third_party
):
    page = demo_page
    sizes = _bytes_loaded(page)
    page.goto("/carte/")
    _wait_base_layer(page)
    page.wait_for_load_state("networkidle")
    container = page.locator(".directory-map")
    frame = _box(container)

    # The base layer: France's land, the départements' and régions' borders, the CABBALR's 100 communes.
    assert page.locator(".leaflet-essaim-base-pane path").count() == 3
    assert page.locator(".leaflet-essaim-communes-pane path").count() >= 90  # those in view (Leaflet clips)
    land = page.locator(".leaflet-essaim-base-pane path").first
    assert land.get_attribute("fill") not in (None, "none")

    # Fitted on the perimeter, not on France: the outline fills most of the map and stays whole inside it.
    perimeter = _box(page.locator(".leaflet-essaim-perimeter-pane path").first)
    assert _inside(perimeter, frame)
    width_share = (perimeter[2] - perimeter[0]) / (frame[2] - frame[0])
    height_share = (perimeter[3] - perimeter[1]) / (frame[3] - frame[1])
    assert max(width_share, height_share) > 0.6

    # Every cluster and every point drawn is whole inside the map.
    markers = page.locator(
        ".directory-map .directory-cluster, .directory-map .leaflet-overlay-pane path.leaflet-interactive"
    )
    assert markers.count() >= 3
    for i in range(markers.count()):
        assert _inside(_box(markers.nth(i)), frame), f"marqueur {i} coupé par le bord de la carte"

    # No commune name at the territory's zoom; names, none overlapping another, from close zoom on.
    assert page.locator(".map-commune-label").count() == 0
    zoom_in = page.get_by_role("button", name="Zoom avant")
    for _ in range(2):
        zoom_in.click()
        page.wait_for_timeout(300)
    page.wait_for_load_state("networkidle")
    labels = page.locator(".map-commune-label")
    expect(labels.first).to_be_visible()
    assert labels.count() >= 5
    boxes = [_box(labels.nth(i)) for i in range(labels.count())]
    assert len(boxes) >= 5
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), "deux noms se chevauchent"
    assert "Béthune" in page.locator(".leaflet-essaim-labels-pane").inner_text()
    markers = page.locator(".directory-map .directory-cluster")
    frame = _box(container)
    for i in range(markers.count()):
        assert _inside(_box(markers.nth(i)), frame)

    assert_accessible(page)
    assert not js_errors
    demo_no_third_party()
    total = sum(sizes.values())
    print(
        f"/carte/ : {total / 1024:.0f} Kio chargés, dont géographie "
        f"{sum(v for k, v in sizes.items() if '/geo/' in k) / 1024:.0f} Kio"
    )
    assert total < 700_000


@pytest.mark.parametrize("path", MAP_PAGES[1:])
def test_every_map_draws_the_base_layer(demo_page, js_errors, demo_no_third_party, path):
    page = demo_page
    sizes = _bytes_loaded(page)
    page.goto(path)
    _wait_base_layer(page)
    page.wait_for_load_state("networkidle")
    assert page.locator(".leaflet-container.map-has-base").count() >= 1
    assert page.locator(".leaflet-essaim-communes-pane path").count() >= 1
    expect(page.locator(".leaflet-control-attribution")).to_contain_text("IGN Admin Express")
    assert_accessible(page)
    assert not js_errors
    demo_no_third_party()
    total = sum(sizes.values())
    print(f"{path} : {total / 1024:.0f} Kio chargés")
    assert total < 700_000


def test_proximity_search_takes_a_commune_name_by_keyboard(demo_page, js_errors, demo_no_third_party):
    page = demo_page
    page.goto("/annuaire/")
    field = page.get_by_role("combobox", name="Autour de la commune")
    field.click()
    field.press_sequentially("noeux", delay=40)
    listbox = page.get_by_role("listbox")
    expect(listbox.get_by_role("option").first).to_have_text(re.compile(r"^Nœux-les-Mines \(62290\)"))
    field.fill("")
    field.press_sequentially("bethune", delay=40)
    expect(listbox.get_by_role("option").first).to_have_text(re.compile(r"^Béthune \(62400\)"))
    assert_accessible(page, context="suggestions ouvertes")
    field.press("ArrowDown")
    expect(field).to_have_attribute("aria-activedescendant", re.compile(r".+"))
    field.press("Enter")
    expect(field).to_have_value("Béthune (62400)")
    expect(page.locator("#results-title")).to_contain_text("autour de Béthune")
    expect(
        page.get_by_role("link", name=re.compile(r"^Retirer le filtre Autour de Béthune \(62400\)"))
    ).to_be_visible()
    assert_accessible(page)
    assert not js_errors
    demo_no_third_party()


def test_filters_are_removed_one_by_one_then_all(demo_page, js_errors, demo_no_third_party):
    page = demo_page
    page.goto("/annuaire/?q=insertion&family=association&near_commune=62119&radius_km=20")
    tags = page.locator(".filter-tag")
    expect(tags).to_have_count(3)
    assert_accessible(page)

    page.get_by_role("link", name="Retirer le filtre Famille : Association").click()
    expect(tags).to_have_count(2)
    expect(page.locator("#active-filters-title")).to_be_focused()  # the focus is not lost with the link
    expect(page).to_have_url(re.compile(r"/annuaire/\?q=insertion&near_commune=62119&radius_km=20$"))
    expect(page.get_by_role("checkbox", name=re.compile(r"^Association \("))).not_to_be_checked()

    page.get_by_role("link", name=re.compile(r"^Retirer le filtre Recherche")).click()
    expect(tags).to_have_count(1)
    expect(page.get_by_role("textbox", name="Rechercher une structure")).to_have_value("")
    expect(page.get_by_role("combobox", name="Autour de la commune")).to_have_value("Béthune (62400)")

    page.get_by_role("link", name="Effacer les filtres").click()
    expect(tags).to_have_count(0)
    expect(page.locator("#results-title")).to_be_focused()
    expect(page).to_have_url(re.compile(r"/annuaire/$"))
    expect(page.get_by_role("combobox", name="Autour de la commune")).to_have_value("")
    assert_accessible(page)

    # The map page: plain links, the same behaviour (the map then writes its box into the URL).
    page.goto("/carte/?family=association&q=insertion")
    page.get_by_role("link", name="Retirer le filtre Famille : Association").click()
    expect(page).to_have_url(re.compile(r"/carte/\?q=insertion(&bbox=[-\d.,]+)?$"))
    expect(page.locator(".filter-tag")).to_have_count(1)
    assert not js_errors
    demo_no_third_party()
