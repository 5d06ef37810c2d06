from django.apps import AppConfig


class GrantsConfig(AppConfig):
    name = "essaim.grants"
    label = "grants"
    verbose_name = "aides"

    def ready(self):
        from essaim.core.indicators import register
        from essaim.grants.figures import CAPABILITY, DEFINITIONS, grants_figures

        register(
            code=CAPABILITY,
            name="Aides « Entreprendre Autrement »",
            definitions=DEFINITIONS,
            compute=grants_figures,
        )
