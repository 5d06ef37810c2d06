from django.apps import AppConfig


class AgendaConfig(AppConfig):
    name = "essaim.agenda"
    label = "agenda"
    verbose_name = "agenda"

    def ready(self):
        from essaim.agenda.indicators import CAPABILITY, DEFINITIONS, agenda_indicators
        from essaim.core.indicators import register

        register(code=CAPABILITY, name="Agenda et Mois de l'ESS", definitions=DEFINITIONS, compute=agenda_indicators)
