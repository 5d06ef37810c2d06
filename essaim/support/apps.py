from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "essaim.support"
    label = "support"
    verbose_name = "accompagnement"
