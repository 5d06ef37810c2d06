"""Fields that pick structures of the directory through the accessible combobox (``essaim.www.widgets``), served
by the search index (``GET /api/v1/structures/suggest``): a form renders only the structures chosen, whatever the
size of the directory. Used by the event form (organisers, partners); reusable wherever a structure is chosen.

    organisers = StructureMultipleChoiceField(label="Organisateurs", territory=territory, queryset=allowed)

``queryset`` is what may be chosen (checked on the server); ``territory`` scopes the suggestions."""

from django.urls import reverse
from django.utils.http import urlencode

from essaim.directory.models import Structure
from essaim.search.fallback import database_search
from essaim.search.query import StructureSearch
from essaim.search.recovery import IndexUnavailable
from essaim.search.suggest import suggest_structures
from essaim.www.widgets import ComboboxModelChoiceField, ComboboxModelMultipleChoiceField

HELP_TEXT = (
    "Tapez au moins deux lettres du nom d'une structure de l'annuaire, puis choisissez-la dans la liste des "
    "suggestions (flèches et Entrée, ou clic)."
)
WIDGET_MESSAGES = {
    "detail-key": "commune",
    "count-none": "Aucune structure trouvée",
    "count-one": "{n} structure trouvée\u00a0; flèches haut et bas pour la parcourir",
    "count-many": "{n} structures trouvées\u00a0; flèches haut et bas pour les parcourir",
    "added": "Structure ajoutée\u00a0: {label}.",
    "removed": "Structure retirée\u00a0: {label}.",
}
ERROR_MESSAGES = {
    "no_match": "Aucune structure de l'annuaire ne correspond à «\u00a0%(text)s\u00a0»\u00a0: vérifiez l'orthographe "
    "ou tapez le début de son nom.",
    "several_matches": "Plusieurs structures correspondent à «\u00a0%(text)s\u00a0»\u00a0: cochez la bonne dans la "
    "liste.",
    "invalid_choice": "Cette structure ne peut pas être choisie ici.",
    "invalid_pk_value": "Cette structure ne peut pas être choisie ici.",
}


def structure_label(structure: Structure) -> str:
    """A chosen structure as a person reads it: its name, and the commune that tells homonyms apart."""
    commune = structure.commune.name if structure.commune_id else ""
    return f"{structure.display_name} ({commune})" if commune else structure.display_name


def _suggest(text: str, scope: list[str] | None) -> list[int]:
    """The structures a typed name designates; from the database while the search index is rebuilt."""
    try:
        return [s.id for s in suggest_structures(text, territory_ids=scope, limit=30)]
    except IndexUnavailable:
        return database_search(StructureSearch(q=text, territory=scope or [], limit=30)).ids


def _options(territory, queryset, kwargs):
    scope = [str(territory.pk)] if territory is not None else None
    query = f"?{urlencode({'territory': territory.slug})}" if territory is not None else ""
    kwargs.setdefault("help_text", HELP_TEXT)
    kwargs["error_messages"] = {**ERROR_MESSAGES, **kwargs.get("error_messages", {})}
    return {
        "queryset": (queryset if queryset is not None else Structure.objects.all()).select_related("commune"),
        "suggest": lambda text: _suggest(text, scope),
        "item_label": structure_label,
        "source_url": reverse("api:structures_suggest") + query,
        "widget_messages": WIDGET_MESSAGES,
        **kwargs,
    }


class StructureMultipleChoiceField(ComboboxModelMultipleChoiceField):
    """Several structures, suggested from ``territory`` (or the whole directory), among ``queryset``."""

    def __init__(self, *, territory=None, queryset=None, **kwargs):
        super().__init__(**_options(territory, queryset, kwargs))


class StructureChoiceField(ComboboxModelChoiceField):
    """One structure, suggested from ``territory`` (or the whole directory), among ``queryset``."""

    def __init__(self, *, territory=None, queryset=None, **kwargs):
        super().__init__(**_options(territory, queryset, kwargs))
