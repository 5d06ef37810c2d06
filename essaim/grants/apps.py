from django.apps import AppConfig


class GrantsConfig(AppConfig):
    name = "essaim.grants"
    label = "grants"
    verbose_name = "aides"
