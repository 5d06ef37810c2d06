"""News bodies are written in Markdown and shown as HTML: the one place where that HTML is made.

The sanitiser is the renderer itself: markdown-it-py in CommonMark mode with raw HTML turned off (``<script>``,
``<iframe>``, ``onclick=`` typed in the text come out as visible, escaped text, never as markup) and every link and
image address checked against a short list of schemes (``http``, ``https``, ``mailto``, and addresses within the
site), so that ``javascript:`` or ``data:`` links are dropped. Then nh3 (ammonia's allow-list sanitiser) cleans
the HTML as a second pass: only the tags and attributes a Markdown body produces survive, links get
``rel="noopener noreferrer nofollow"``, whatever a future change of the renderer lets through."""

import re

import nh3
from markdown_it import MarkdownIt

ALLOWED_SCHEMES = ("http", "https", "mailto")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


def safe_link(url: str) -> bool:
    """An address a reader may follow: one of ``ALLOWED_SCHEMES``, or relative to the site (``/agenda/``, ``#a``).
    Control characters and spaces are ignored when reading the scheme, as browsers do (``java\\tscript:``)."""
    compact = _INVISIBLE.sub("", url or "")
    match = _SCHEME.match(compact)
    if match is None:
        return True
    return match.group(1).lower() in ALLOWED_SCHEMES


def _renderer() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable("image")  # the item has its own image, with its required alternative text
    md.validateLink = safe_link
    return md


_MD = _renderer()
# What CommonMark without raw HTML and images can produce, nothing more.
ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "em", "strong", "code", "pre", "blockquote",
    "ul", "ol", "li", "a",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "code": {"class"}}


def render_markdown(text: str) -> str:
    """The HTML of a Markdown text, safe to mark as such in a template."""
    return nh3.clean(
        _MD.render(text or ""),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=set(ALLOWED_SCHEMES),
        link_rel="noopener noreferrer nofollow",
    )


def plain_text(text: str) -> str:
    """The text of a Markdown body without its markup, for the feed's and the mail's text versions."""
    html = render_markdown(text)
    plain = re.sub(r"<[^>]+>", "", html)
    from html import unescape

    return re.sub(r"\n{3,}", "\n\n", unescape(plain)).strip()
