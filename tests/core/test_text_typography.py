"""The no-break spaces nobody types, added to every French HTML page and to mails."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import translation

from essaim.core.french import french_typography, french_typography_html
from essaim.www.middleware import FrenchTypographyMiddleware

NB = "\u00a0"
NN = "\u202f"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Statut : accordée", f"Statut{NB}: accordée"),
        ("Vraiment ? Oui ! Non ; peut-être", f"Vraiment{NB}? Oui{NB}! Non{NB}; peut-être"),
        ("« Faites l'ESS »", f"«{NB}Faites l'ESS{NB}»"),
        ("15 000 € au plus", f"15{NN}000{NB}€ au plus"),
        ("8000 € et 10 %", f"8{NN}000{NB}€ et 10{NB}%"),
        ("(40 000 €)\n      .", f"(40{NN}000{NB}€)."),
        ("le dossier , puis", "le dossier, puis"),
        ("à 14:30, https://example.org/a?b=1", "à 14:30, https://example.org/a?b=1"),
    ],
)
def test_french_typography(text, expected):
    assert french_typography(text) == expected


def test_html_text_only_never_tags_code_scripts_or_fields():
    html = (
        '<p title="a : b">Romane</p>\n : chargé'
        "<pre>a : b</pre><code>x ; y</code><script>a ? b : c</script><textarea>x : y</textarea>"
    )
    assert french_typography_html(html) == (
        f'<p title="a : b">Romane</p>{NB}: chargé'
        "<pre>a : b</pre><code>x ; y</code><script>a ? b : c</script><textarea>x : y</textarea>"
    )


def test_middleware_fixes_french_html_only():
    request = RequestFactory().get("/")
    html = FrenchTypographyMiddleware(lambda r: HttpResponse("<p>Statut : accordée</p>"))
    text = FrenchTypographyMiddleware(lambda r: HttpResponse("Statut : x", content_type="text/plain"))
    with translation.override("fr"):
        assert html(request).content.decode() == f"<p>Statut{NB}: accordée</p>"
        assert text(request).content.decode() == "Statut : x"
    with translation.override("en"):
        assert html(request).content.decode() == "<p>Statut : accordée</p>"
