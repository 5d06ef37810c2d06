from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "essaim.news"
    label = "news"
    verbose_name = "Actualités et lettre d'information"

    def ready(self):
        from essaim.news import signals

        signals.connect()
