from django.apps import AppConfig


class ClubConfig(AppConfig):
    name = "essaim.club"
    label = "club"
    verbose_name = "Club des entrepreneurs de l'ESS"
