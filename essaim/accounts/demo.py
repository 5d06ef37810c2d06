"""Demo accounts, one per role, all with the same password (printed by ``essaim demo``)."""

from django.db import transaction

from essaim.accounts.enums import Role
from essaim.accounts.models import Membership, User

DEMO_PASSWORD = "demo-essaim-2026"  # noqa: S105 -- a demo password, printed on purpose

# (e-mail, full name, what they are, territory slug or None, role or None, network admin)
DEMO_ACCOUNTS = [
    ("reseau@essaim.example", "Camille Réseau", "administratrice du réseau", None, None, True),
    (
        "admin@bethune-bruay.example",
        "Dominique Admin",
        "administratrice du territoire",
        "bethune-bruay",
        Role.ADMIN,
        False,
    ),
    ("agent@bethune-bruay.example", "Sacha Chargée", "chargée de mission ESS", "bethune-bruay", Role.OFFICER, False),
    (
        "commission@bethune-bruay.example",
        "Claude Vice-Président",
        "membre de la commission ad hoc",
        "bethune-bruay",
        Role.COMMISSION,
        False,
    ),
    (
        "agent@ternois.example",
        "Alex Ternois",
        "chargé de mission ESS du Pays du Ternois",
        "ternois",
        Role.OFFICER,
        False,
    ),
    ("structure@essaim.example", "Morgane Structure", "membre d'une structure de l'ESS", None, None, False),
    ("porteur@essaim.example", "Yanis Porteur", "porteur de projet", None, None, False),
]


@transaction.atomic
def load_demo_accounts(territories: dict) -> list[tuple[str, str]]:
    by_slug = {t.slug: t for t in territories.values()}
    printed = []
    for email, full_name, what, slug, role, network_admin in DEMO_ACCOUNTS:
        user = User.objects.filter(email=email).first() or User(email=email)
        user.full_name = full_name
        user.is_network_admin = network_admin
        user.set_password(DEMO_PASSWORD)
        user.save()
        if slug:
            Membership.objects.update_or_create(user=user, territory=by_slug[slug], defaults={"role": role})
        printed.append((email, what))
    return printed
