"""The body of a news item is Markdown rendered to HTML without any script nor dangerous link."""

import pytest

from essaim.news.markdown import plain_text, render_markdown, safe_link


def test_markdown_renders_emphasis_lists_and_links():
    html = render_markdown("**gras** et *italique*\n\n- un\n- deux\n\n[Agenda](/agenda/) [RTES](https://rtes.fr)")
    assert "<strong>gras</strong>" in html
    assert "<em>italique</em>" in html
    assert "<li>un</li>" in html
    assert '<a href="/agenda/" rel="noopener noreferrer nofollow">Agenda</a>' in html
    assert '<a href="https://rtes.fr" rel="noopener noreferrer nofollow">RTES</a>' in html


def test_raw_html_is_escaped_never_interpreted():
    html = render_markdown(
        '<script>alert(1)</script>\n\n<img src=x onerror="alert(1)">\n\n<a href="javascript:x">a</a>'
    )
    assert "<script" not in html
    assert "&lt;script&gt;" in html
    assert "<img" not in html
    assert "<a href" not in html


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "java\tscript:alert(1)",
        " javascript:x",
        "data:text/html,x",
        "vbscript:x",
    ],
)
def test_dangerous_link_schemes_are_dropped(url):
    assert safe_link(url) is False
    html = render_markdown(f"[cliquez]({url})")
    assert "href" not in html


@pytest.mark.parametrize("url", ["https://a.fr", "http://a.fr", "mailto:ess@a.fr", "/agenda/", "#suite", "page"])
def test_safe_links_are_kept(url):
    assert safe_link(url) is True


def test_plain_text_drops_the_markup():
    assert plain_text("**Le Mois** de l'[ESS](https://a.fr)") == "Le Mois de l'ESS"


def test_nh3_cleans_what_the_renderer_would_let_through(monkeypatch):
    """The second pass: were the renderer ever to emit raw markup, nh3 keeps only the tags of a Markdown body."""
    from essaim.news import markdown

    monkeypatch.setattr(markdown._MD, "render", lambda text: '<p onclick="x">a</p><iframe src="/x"></iframe><b>b</b>')
    assert markdown.render_markdown("ignored") == "<p>a</p>b"
