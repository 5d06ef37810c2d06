from django.apps import AppConfig


class ObservatoryConfig(AppConfig):
    name = "essaim.observatory"
    label = "observatory"
    verbose_name = "observatoire"

    def ready(self):
        from essaim.core.indicators import register
        from essaim.observatory.derived import CAPABILITY, DEFINITIONS, observatory_indicators

        register(
            code=CAPABILITY,
            name="Observatoire : chiffres dérivés",
            definitions=DEFINITIONS,
            compute=observatory_indicators,
            filters=("family", "sector"),
        )
