from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "essaim.search"
    label = "search"
    verbose_name = "recherche"

    def ready(self):
        from essaim.search.recovery import check_at_start

        check_at_start()

        from essaim.core.models import SEARCH_OUTBOX_LISTENERS
        from essaim.search.indexer import apply_after_commit

        if apply_after_commit not in SEARCH_OUTBOX_LISTENERS:
            SEARCH_OUTBOX_LISTENERS.append(apply_after_commit)

        from django.db.models.signals import post_delete, post_save

        from essaim.directory.models import Sector
        from essaim.search.params import FACET_NAMES
        from essaim.territories.models import Commune, Territory

        for model in (Sector, Territory, Commune):
            for signal in (post_save, post_delete):
                signal.connect(FACET_NAMES.clear, sender=model, dispatch_uid=f"facet-names-{model.__name__}")
