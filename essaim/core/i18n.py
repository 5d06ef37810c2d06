"""French plurals for the French msgids.

Essaim's msgids are French (``{% blocktranslate count %}{{ counter }} structure{% plural %}…``), and there is no
French catalogue that repeats them: French is the source language. Django's translation object, when a msgid is
missing from the active catalogue, falls back to the English rule (``n == 1`` is singular), so ``0`` became
``0 structures``. In French, 0 and 1 take the singular. ``install_french_plural_rule`` makes a msgid that no
catalogue translates follow the rule of the active language when that language is French; translated msgids
(English) keep their catalogue's own rule.
"""

from django.utils.translation import trans_real

_INSTALLED = "_essaim_french_plural_rule"


def french_plural(n) -> bool:
    """True when ``n`` takes the plural in French (2 and more; 0 and 1 are singular)."""
    try:
        return abs(n) >= 2
    except TypeError:
        return True


def install_french_plural_rule():
    """Wraps ``DjangoTranslation.ngettext`` once (idempotent): an untranslated msgid under a French locale
    chooses its form by the French rule."""
    translation_class = trans_real.DjangoTranslation
    if getattr(translation_class, _INSTALLED, False):
        return
    original = translation_class.ngettext

    def ngettext(self, msgid1, msgid2, n):
        if (self.to_language() or "").startswith("fr"):
            try:
                return self._catalog.plural(msgid1, n)
            except KeyError:
                return msgid2 if french_plural(n) else msgid1
        return original(self, msgid1, msgid2, n)

    translation_class.ngettext = ngettext
    setattr(translation_class, _INSTALLED, True)
