from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "essaim.core"
    label = "core"
    verbose_name = "socle"

    def ready(self):
        from essaim.core import db
        from essaim.core.i18n import install_french_plural_rule

        install_french_plural_rule()
        db.install()
