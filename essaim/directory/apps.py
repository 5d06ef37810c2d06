from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "essaim.directory"
    label = "directory"
    verbose_name = "annuaire"

    def ready(self):
        from essaim.core.indicators import register
        from essaim.directory.indicators import CAPABILITY, DEFINITIONS, directory_indicators

        register(
            code=CAPABILITY,
            name="Annuaire des structures de l'ESS",
            definitions=DEFINITIONS,
            compute=directory_indicators,
            filters=("family", "sector"),
        )
