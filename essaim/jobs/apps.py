from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "essaim.jobs"
    label = "jobs"
    verbose_name = "tâches de fond"
