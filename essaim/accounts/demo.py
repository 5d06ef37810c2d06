"""Demo accounts, one per role, all with the same password (printed by ``essaim demo``). The people are fictitious:
plausible names of the Béthune-Bruay area, marked as fictitious where their role is printed and in docs/demo.md."""

from django.db import transaction

from essaim.accounts.enums import Role
from essaim.accounts.models import Membership, User
from essaim.accounts.services import user_verify_email

DEMO_PASSWORD = "demo-essaim-2026"  # noqa: S105 -- a demo password, printed on purpose

# (e-mail, full name, what they are, territory slug or None, role or None, network admin)
DEMO_ACCOUNTS = [
    ("reseau@essaim.example", "Hélène Vasseur", "administratrice du réseau", None, None, True),
    (
        "admin@bethune-bruay.example",
        "Nathalie Delattre",
        "administratrice du territoire de Béthune-Bruay (gère l'équipe)",
        "bethune-bruay",
        Role.ADMIN,
        False,
    ),
    (
        "agent@bethune-bruay.example",
        "Sophie Lemaire",
        "chargée de mission ESS de Béthune-Bruay",
        "bethune-bruay",
        Role.OFFICER,
        False,
    ),
    (
        "commission@bethune-bruay.example",
        "Jean-Marc Duhamel",
        "membre de la commission ad hoc de Béthune-Bruay",
        "bethune-bruay",
        Role.COMMISSION,
        False,
    ),
    (
        "elu@bethune-bruay.example",
        "Martine Caron",
        "élue, vice-présidente chargée de l'ESS de Béthune-Bruay (personne fictive)",
        "bethune-bruay",
        Role.ELECTED,
        False,
    ),
    (
        "agent@ternois.example",
        "Thomas Leroy",
        "chargé de mission ESS du Pays du Ternois",
        "ternois",
        Role.OFFICER,
        False,
    ),
    ("structure@essaim.example", "Élodie Deprez", "membre d'une structure de l'ESS", None, None, False),
    ("porteur@essaim.example", "Karim Benali", "porteur de projet", None, None, False),
]


@transaction.atomic
def load_demo_accounts(territories: dict) -> list[tuple[str, str]]:
    """Creates or refreshes the demo accounts (idempotent): names, roles, the common password, a verified address
    (the demo needs no confirmation mail)."""
    by_slug = {t.slug: t for t in territories.values()}
    printed = []
    for email, full_name, what, slug, role, network_admin in DEMO_ACCOUNTS:
        user = User.objects.filter(email=email).first() or User(email=email)
        user.full_name = full_name
        user.is_network_admin = network_admin
        user.set_password(DEMO_PASSWORD)
        user.save()
        user_verify_email(user=user)
        if slug:
            Membership.objects.update_or_create(user=user, territory=by_slug[slug], defaults={"role": role})
        printed.append((email, what))
    return printed
