from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "essaim.support"
    label = "support"
    verbose_name = "accompagnement"

    def ready(self):
        from essaim.core.indicators import register
        from essaim.support.indicators import CAPABILITY, DEFINITIONS, support_indicators

        register(
            code=CAPABILITY,
            name="Accompagnement des porteurs de projet",
            definitions=DEFINITIONS,
            compute=support_indicators,
        )
