"""Public pages: the schemes, the scheme's structured record, the simulator with and without JavaScript."""

from django.urls import reverse


def test_the_scheme_list_and_record_are_public(client, world):
    response = client.get(reverse("grants:schemes"))
    assert response.status_code == 200
    assert world.scheme.name in response.content.decode()
    response = client.get(world.scheme.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    for expected in ("Publics visés", "Conditions", "Périmètre", "Montants", "Dates", "Contact", "2\u202f000\u00a0€"):
        assert expected in page
    # Anonymous: the link goes through the login or sign-up and comes back (next).
    assert "20 %" in page and "créer un compte pour déposer une demande" in page


def test_an_unpublished_scheme_is_not_shown(client, world):
    world.scheme.is_published = False
    world.scheme.save()
    assert client.get(world.scheme.get_absolute_url()).status_code == 404


def test_the_simulator_computes_on_submit_without_javascript(client, world):
    url = reverse("grants:simulator")
    response = client.get(url, {"dispositif": world.scheme.slug})
    assert response.status_code == 200 and "Saisissez les emplois" in response.content.decode()
    response = client.get(
        url, {"dispositif": world.scheme.slug, "form": "demarrage", "fte_created": "1,5", "investment": "12 000"}
    )
    page = response.content.decode()
    assert "<html" in page
    assert "5\u202f400,00\u00a0€" in page  # 3 000 + 2 400


def test_the_simulator_answers_htmx_with_the_result_only_and_says_what_is_wrong(client, world):
    url = reverse("grants:simulator")
    response = client.get(
        url,
        {"dispositif": world.scheme.slug, "form": "demarrage", "fte_created": "-2", "investment": "0"},
        headers={"HX-Request": "true"},
    )
    page = response.content.decode()
    assert "<html" not in page
    assert "négative" in page


def test_the_simulator_without_any_scheme_is_a_404(client, db):
    assert client.get(reverse("grants:simulator")).status_code == 404
