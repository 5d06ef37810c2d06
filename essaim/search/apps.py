from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "essaim.search"
    label = "search"
    verbose_name = "recherche"

    def ready(self):
        from essaim.core.models import SEARCH_OUTBOX_LISTENERS
        from essaim.search.indexer import apply_after_commit

        if apply_after_commit not in SEARCH_OUTBOX_LISTENERS:
            SEARCH_OUTBOX_LISTENERS.append(apply_after_commit)
