from django.apps import AppConfig


class ObservatoryConfig(AppConfig):
    name = "essaim.observatory"
    label = "observatory"
    verbose_name = "observatoire"
