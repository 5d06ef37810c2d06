"""The browser harness itself: its accessibility check and its third-party guard really fail when they should."""

import pytest

from tests.browser.conftest import assert_accessible

BAD_PAGE = """<!DOCTYPE html>
<html lang="fr">
  <head><title>Page fautive</title></head>
  <body>
    <main>
      <h1>Page fautive</h1>
      <img src="https://tiers.example/pixel.png">
      <input type="text">
    </main>
  </body>
</html>"""


def test_assert_accessible_fails_on_serious_violations_and_guard_records_third_parties(
    page, third_party, assert_no_third_party
):
    page.set_content(BAD_PAGE)
    with pytest.raises(AssertionError) as excinfo:
        assert_accessible(page, context="page fautive")
    message = str(excinfo.value)
    assert "image-alt" in message
    assert "label" in message

    assert third_party.blocked == ["https://tiers.example/pixel.png"]
    with pytest.raises(AssertionError, match="tiers.example"):
        assert_no_third_party()
    third_party.blocked.clear()
