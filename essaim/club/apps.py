from django.apps import AppConfig


class ClubConfig(AppConfig):
    name = "essaim.club"
    label = "club"
    verbose_name = "Club des entrepreneurs de l'ESS"

    def ready(self):
        from essaim.club import signals
        from essaim.club.indicators import CAPABILITY, DEFINITIONS, territory_club_indicators
        from essaim.core.indicators import register

        signals.connect()

        register(
            code=CAPABILITY,
            name="Club des entrepreneurs de l'ESS",
            definitions=DEFINITIONS,
            compute=territory_club_indicators,
        )
