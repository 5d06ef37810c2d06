from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "essaim.core"
    label = "core"
    verbose_name = "socle"
