"""The French of every page the browser tests visit: no technical page, no internal code, correct typography.

``check_text(text)`` returns the faults of one text (unit-tested in ``tests/test_typography.py``);
``TypographyWatch`` is attached to the ``page`` and ``demo_page`` fixtures (``conftest.py``): after every page load
and every htmx swap, the page's visible text is read in the browser (``<code>``, ``<pre>``, ``lang="en"`` parts,
form inputs and hidden elements left out) and checked; ``assert_accessible`` and the end of the test fail with the
page's address and the offending text. What it checks, and why, is in ``docs/interface.md``.
"""

import functools
import re
from dataclasses import dataclass

NBSP = "\u00a0"
NNBSP = "\u202f"
SPACES = f" {NBSP}{NNBSP}"

# English of Django's technical and default error pages: a person must never meet them.
TECHNICAL_PHRASES = (
    "Page not found",
    "Not Found",
    "Traceback",
    "Forbidden",
    "CSRF verification failed",
    "Server Error",
    "Internal Server Error",
    "Bad Request",
    "Using the URLconf",
    "Django tried these URL patterns",
    "You're seeing this error because you have",
    "Request Method:",
    "Exception Value",
    "Exception Type",
    "Request aborted",
    "The requested resource was not found",
    "Method Not Allowed",
    "Service Unavailable",
)

# The nouns the site counts: "0 structures", "1 demandes" (and "2 structure") are agreement faults.
COUNTED_NOUNS = {
    "structure": "structures",
    "demande": "demandes",
    "événement": "événements",
    "séance": "séances",
    "session": "sessions",
    "inscription": "inscriptions",
    "inscrit": "inscrits",
    "inscrite": "inscrites",
    "personne": "personnes",
    "place": "places",
    "commune": "communes",
    "territoire": "territoires",
    "résultat": "résultats",
    "établissement": "établissements",
    "emploi": "emplois",
    "fiche": "fiches",
    "dossier": "dossiers",
    "pièce": "pièces",
    "participant": "participants",
    "erreur": "erreurs",
    "habitant": "habitants",
    "versement": "versements",
    "membre": "membres",
    "message": "messages",
    "proposition": "propositions",
    "modification": "modifications",
    "revendication": "revendications",
    "indicateur": "indicateurs",
    "action": "actions",
    "aide": "aides",
    "jour": "jours",
}

MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"

URL_OR_EMAIL = re.compile(
    r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|[\w.+-]+ \[at\] [\w-]+(?: \[point\] [\w-]+)+|/[\w./?=&%-]+/"
)


@dataclass(frozen=True)
class Fault:
    rule: str
    excerpt: str

    def __str__(self):
        return f"{self.rule} : « {self.excerpt} »"


def _excerpt(text, start, end, margin=25):
    left = max(0, start - margin)
    right = min(len(text), end + margin)
    snippet = text[left:right].replace(NBSP, "⍽").replace(NNBSP, "⍽").replace("\n", " ⏎ ")
    return ("…" if left else "") + snippet + ("…" if right < len(text) else "")


def _word(code):
    return re.compile(rf"(?<![\w\-./#]){re.escape(code)}(?![\w\-])")


@functools.cache
def internal_codes() -> frozenset[str]:
    """Values of the ``TextChoices`` that hold a ``_`` (``under_review``), field names of Essaim's models that
    hold one (``bank_details``, ``created_at``) and the grant workflow's transition names (``mark_ready``)."""
    from django.apps import apps
    from django.db import models

    codes = set()

    def choices(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from choices(sub)

    for enum in choices(models.TextChoices):
        if enum.__module__.startswith("essaim."):
            codes.update(str(value) for value in enum.values if "_" in str(value))
    for model in apps.get_models():
        if not model.__module__.startswith("essaim."):
            continue
        for field in model._meta.get_fields():
            for name in {field.name, getattr(field, "attname", field.name)}:
                if "_" in name and not name.startswith("_"):
                    codes.add(name)
    try:
        from essaim.grants.workflow import TRANSITIONS
    except ImportError:  # pragma: no cover - the workflow moved
        TRANSITIONS = {}
    codes.update(name for name in TRANSITIONS if "_" in name)
    return frozenset(codes)


def _internal_code_pattern(codes):
    if not codes:
        return None
    alternatives = "|".join(re.escape(code) for code in sorted(codes, key=len, reverse=True))
    return re.compile(rf"(?<![\w\-./#=]){'(?:' + alternatives + ')'}(?![\w\-])")


@functools.cache
def _compiled_codes(codes: frozenset[str]):
    return _internal_code_pattern(codes)


PLAIN_SPACE_BEFORE_DOUBLE = re.compile(r"(?<=\S) +([:;?!])(?=\s|$|[»)\]])")
# "Statut:" "Vraiment?" "Axe 1:" are faults; "09:00-17:00; Sa" (opening hours, times) is not.
MISSING_SPACE_BEFORE_DOUBLE = re.compile(r"(?<=[^\W_])(?::(?=\s|$)|[!?])|(?<=[^\W\d_]);|(?<=[»)\]])[;:!?]")
SPACE_BEFORE_SIMPLE = re.compile(rf"(?<=\S)[{SPACES}]+([,.])(?=\s|$|[»)\]\"'])")
EURO_PLAIN_SPACE = re.compile(r"\d €")
EURO_NO_SPACE = re.compile(r"\d€")
FIRST_OF_MONTH = re.compile(rf"(?<![\d,.{NNBSP}])1[{SPACES}](?:{MONTHS})\b", re.IGNORECASE)
UNGROUPED_AMOUNT = re.compile(rf"(?<![\d,.{SPACES}])\d{{4,}}(?:,\d+)?[{SPACES}]?€")
ENGLISH_AMOUNT = re.compile(rf"\d{{1,3}}(?:,\d{{3}})+\.\d{{2}}\b|\d\.\d{{2}}[{SPACES}]?€|\d[,.]\d{{3}}[{SPACES}]?€")
PLAIN_SPACE_IN_AMOUNT = re.compile(r"\d \d{3}(?:,\d{2})?[\u00a0\u202f ]?€")


def _count_patterns():
    singular_after_plural = "|".join(COUNTED_NOUNS)
    plural_after_one = "|".join(COUNTED_NOUNS.values())
    return (
        re.compile(rf"(?<![\d,.{SPACES}])[01][{SPACES}](?:{plural_after_one})\b"),
        re.compile(rf"(?<![\d,.{SPACES}])(?:[2-9]|[1-9]\d+)[{SPACES}](?:{singular_after_plural})(?![\w·-])"),
    )


ZERO_ONE_PLURAL, MANY_SINGULAR = _count_patterns()


def check_text(text: str, *, codes=None) -> list[Fault]:
    """Every fault of ``text`` (one page's visible text, or any sample).

    ``codes``: the internal codes to look for (``internal_codes()`` by default; an empty set skips that check).
    """
    faults = []
    for phrase in TECHNICAL_PHRASES:
        index = text.find(phrase)
        if index >= 0:
            faults.append(Fault("page technique de Django (anglais)", _excerpt(text, index, index + len(phrase))))
    clean = URL_OR_EMAIL.sub("□", text)
    pattern = _compiled_codes(frozenset(internal_codes() if codes is None else codes))
    if pattern is not None:
        for match in pattern.finditer(clean):
            faults.append(Fault("code interne affiché", _excerpt(clean, match.start(), match.end())))
    rules = (
        (PLAIN_SPACE_BEFORE_DOUBLE, "espace ordinaire avant « : ; ? ! » (il faut une espace insécable)"),
        (MISSING_SPACE_BEFORE_DOUBLE, "espace insécable manquante avant « : ; ? ! »"),
        (SPACE_BEFORE_SIMPLE, "espace avant une virgule ou un point"),
        (EURO_PLAIN_SPACE, "espace ordinaire avant « € » (il faut une espace insécable)"),
        (EURO_NO_SPACE, "espace insécable manquante avant « € »"),
        (PLAIN_SPACE_IN_AMOUNT, "espace ordinaire entre les milliers d'un montant"),
        (FIRST_OF_MONTH, "« 1 » au lieu de « 1er » devant un mois"),
        (UNGROUPED_AMOUNT, "montant sans séparateur de milliers (« 8 000 € »)"),
        (ENGLISH_AMOUNT, "montant à l'anglaise (« 8 000,00 € »)"),
        (ZERO_ONE_PLURAL, "accord : 0 ou 1 se disent au singulier"),
        (MANY_SINGULAR, "accord : pluriel manquant après un nombre"),
    )
    for regex, rule in rules:
        for match in regex.finditer(clean):
            faults.append(Fault(rule, _excerpt(clean, match.start(), match.end())))
    return faults


# Runs in every page (an init script): after the page's load event and after each htmx swap, the visible text,
# block by block, without code, pre, non-French parts, form inputs, hidden elements and scripts, is handed to
# Python through the exposed function ``__essaimTypography``. Inline elements join their neighbours directly.
VISIBLE_TEXT_JS = r"""
(() => {
  const SKIP = new Set(["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "CODE", "PRE", "KBD", "SAMP", "TEXTAREA", "svg"]);
  function excluded(el) {
    for (let e = el; e && e !== document.documentElement; e = e.parentElement) {
      if (SKIP.has(e.tagName) || SKIP.has(e.tagName.toUpperCase())) return true;
      const lang = e.getAttribute("lang");
      if (lang && !lang.toLowerCase().startsWith("fr")) return true;
      if (e.hasAttribute("hidden") || e.hasAttribute("data-typography-skip")) return true;
    }
    return false;
  }
  function visibleText() {
    const root = document.documentElement;
    const lang = (root.getAttribute("lang") || "fr").toLowerCase();
    if (!lang.startsWith("fr") || !document.body || document.contentType !== "text/html") return null;
    const displayOf = new Map();
    const display = (el) => {
      if (!displayOf.has(el)) displayOf.set(el, getComputedStyle(el).display);
      return displayOf.get(el);
    };
    const blockOf = (el) => {
      while (el && el !== document.body) {
        const d = display(el);
        if (!d.startsWith("inline") && d !== "contents") return el;
        el = el.parentElement;
      }
      return document.body;
    };
    const blocks = [];
    let current = [];
    let currentBlock = null;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
      const parent = node.parentElement;
      if (!parent || excluded(parent)) continue;
      if (parent.tagName !== "OPTION" && parent.checkVisibility
          && !parent.checkVisibility({visibilityProperty: true})) continue;
      const block = blockOf(parent);
      if (block !== currentBlock) {
        if (current.length) blocks.push(current.join(""));
        current = [];
        currentBlock = block;
      }
      current.push(node.nodeValue);
    }
    if (current.length) blocks.push(current.join(""));
    const clean = blocks.map((b) => b.replace(/[ \t\n\r\f]+/g, " ").trim()).filter((b) => b.length);
    return [document.title.replace(/[ \t\n\r\f]+/g, " ").trim(), ...clean].join("\n");
  }
  function send() {
    try {
      const text = visibleText();
      if (text !== null && window.__essaimTypography) window.__essaimTypography(location.href, text);
    } catch (e) { /* a page going away */ }
  }
  window.addEventListener("load", send);
  document.addEventListener("htmx:afterSettle", () => setTimeout(send, 0));
  window.__essaimTypographySend = send;
})();
"""


class TypographyFailure(AssertionError):
    pass


class TypographyWatch:
    """Checks each page a Playwright page loads (and each htmx swap); keeps the faults with the page's address."""

    def __init__(self, context):
        self.faults: list[tuple[str, Fault]] = []
        self.reported: set[tuple[str, Fault]] = set()
        self.checked: list[str] = []
        context.expose_function("__essaimTypography", self.receive)
        context.add_init_script(VISIBLE_TEXT_JS)

    def receive(self, url, text):
        if not url.startswith("http"):
            return
        self.checked.append(url)
        known = set(self.faults)
        for fault in check_text(text):
            if (url, fault) not in known:
                self.faults.append((url, fault))
                known.add((url, fault))

    def flush(self, page):
        """Checks the current state of ``page`` now (an htmx swap, a page the test did not wait for)."""
        try:
            page.evaluate("() => window.__essaimTypographySend && window.__essaimTypographySend()")
            page.evaluate("() => 1")  # a round trip: the text sent above has been received
        except Exception:  # a closed or navigating page: its last load was checked
            return

    def report(self, url=None) -> str:
        faults = [(u, f) for u, f in self.faults if url is None or u == url]
        lines = [f"{len(faults)} faute(s) de français ou de typographie :"]
        lines += [f"  - {u} — {f}" for u, f in faults]
        return "\n".join(lines)

    def assert_clean(self, page=None, url=None):
        """Fails with the faults found since the last failure (of ``url`` only, when given)."""
        if page is not None:
            self.flush(page)
        new = [(u, f) for u, f in self.faults if (url is None or u == url) and (u, f) not in self.reported]
        if new:
            self.reported.update(new)
            lines = [f"{len(new)} faute(s) de français ou de typographie :"] + [f"  - {u} — {f}" for u, f in new]
            raise TypographyFailure("\n".join(lines))
