"""The pages a person may use for a territory, by their rights: one list, shown by the back-office landing and by
"Mon espace". A link appears only when the permission function of its page says yes (tests walk every one of them
for each demo role and fail on a 403 or a 404)."""

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    description: str = ""


def _grants_sessions_of(user, territory) -> bool:
    """A commission member reaches the sittings list when they are called to one of the territory's sittings (read
    once per request for all territories)."""
    from essaim.grants.models import Session

    cache = getattr(user, "_essaim_sitting_territories", None)
    if cache is None:
        cache = set(Session.objects.filter(members=user).values_list("scheme__territory_id", flat=True))
        user._essaim_sitting_territories = cache
    return territory.pk in cache


def territory_links(user, territory) -> list[Link]:
    """What the person may use for this territory, most used first."""
    from essaim.agenda import perms as agenda_perms
    from essaim.directory import perms as directory_perms
    from essaim.grants import perms as grants_perms
    from essaim.observatory import perms as observatory_perms
    from essaim.support import perms as support_perms
    from essaim.territories import perms

    slug = territory.slug
    links = []
    if perms.can_edit_territory(user, territory):
        links.append(
            Link(
                "Gérer le territoire",
                reverse("backoffice:territory", args=[slug]),
                "Identité, contacts, budgets, politique ESS, chiffres clés.",
            )
        )
    if agenda_perms.can_manage_agenda(user, territory):
        links.append(
            Link("Agenda", reverse("agenda:manage_territory", args=[slug]), "Événements, campagnes, inscriptions.")
        )
    elif agenda_perms.can_read_agenda_dashboard(user, territory):
        links.append(
            Link(
                "Agenda\u00a0: suivi",
                reverse("agenda:manage_territory", args=[slug]),
                "Événements, campagnes et leurs bilans, en lecture seule.",
            )
        )
    if directory_perms.can_moderate_territory(user, territory):
        links.append(
            Link(
                "Annuaire\u00a0: modération",
                reverse("directory:queue") + f"?territoire={slug}",
                "Structures proposées, demandes de gestion, modifications, signalements.",
            )
        )
    if grants_perms.is_instructor(user, territory):
        links.append(Link("Aides\u00a0: instruction", reverse("grants:queue"), "Demandes à instruire, séances."))
    elif grants_perms.is_commission_member(user, territory) and _grants_sessions_of(user, territory):
        links.append(
            Link(
                "Séances de la commission",
                reverse("grants:sessions"),
                "L'ordre du jour des séances où vous êtes convoqué·e et les dossiers à lire.",
            )
        )
    if grants_perms.can_view_dashboard(user, territory):
        links.append(
            Link(
                "Aides\u00a0: crédits et indicateurs",
                reverse("grants:dashboard") + f"?territoire={slug}",
                "Crédits de l'année, montants engagés et versés, emplois créés.",
            )
        )
    if support_perms.can_manage_support(user, territory):
        links += [
            Link(
                "Accompagnement : rendez-vous",
                reverse("support:day", args=[slug]),
                "Les permanences du jour et de la semaine ; vu, absent, excusé, annulé.",
            ),
            Link(
                "Accompagnement : projets suivis",
                reverse("support:board", args=[slug]),
                "Les projets des porteurs, leurs étapes, leurs orientations vers les partenaires.",
            ),
            Link(
                "Accompagnement : réglages",
                reverse("support:settings", args=[slug]),
                "Motifs, plages d'ouverture, absences, partenaires, temps forts, invitations.",
            ),
            Link(
                "Accompagnement : chiffres",
                reverse("support:figures", args=[slug]),
                "Rendez-vous, absences, délais, projets par étape, orientations, satisfaction.",
            ),
        ]
    links += club_links(user, territory)
    if perms.can_view_dashboards(user, territory):
        links.append(
            Link(
                "Chiffres de l'annuaire",
                reverse("backoffice:figures", args=[slug]),
                "Structures de l'ESS du territoire par famille, agrément, secteur, effectif et commune.",
            )
        )
    if observatory_perms.can_read_evaluation(user, territory):
        links.append(
            Link(
                "Évaluation annuelle et rapport aux élu·es",
                reverse("observatory:evaluation_index", args=[slug]),
                "L'évaluation de chaque fiche action, ses indicateurs face aux cibles, le rapport de l'année (PDF).",
            )
        )
    if perms.can_manage_staff(user, territory):
        links.append(Link("Équipe", reverse("backoffice:staff", args=[slug]), "Qui a quel rôle dans le territoire."))
    links.append(Link("Page publique", territory.get_absolute_url(), ""))
    return links


def club_links(user, territory) -> list[Link]:
    """The team's links to the management of the territory's clubs, or to create one when it has none."""
    from essaim.club import perms as club_perms
    from essaim.club.models import Club

    if not club_perms.can_create_club(user, territory):
        return []
    by_territory = getattr(user, "_team_clubs", None)  # one query for every territory of the dashboard
    if by_territory is None:
        by_territory = {}
        teams = [pk for pk, role in getattr(user, "_essaim_roles", {}).items() if role in club_perms.TEAM_ROLES]
        for club in Club.objects.filter(territory_id__in=teams or [territory.pk]).order_by("name"):
            by_territory.setdefault(club.territory_id, []).append(club)
        user._team_clubs = by_territory
    clubs = by_territory.get(territory.pk, [])
    if not clubs:
        return [
            Link(
                "Club\u00a0: créer le club",
                reverse("club:create", args=[territory.slug]),
                "Ouvrir un club des entrepreneurs de l'ESS pour le territoire.",
            )
        ]
    return [
        Link(
            f"Club\u00a0: {club.name}",
            reverse("club:manage", args=[club.slug]),
            "Candidatures, membres, charte, statut et bureau.",
        )
        for club in clubs
    ]


def network_links(user) -> list[Link]:
    """The network admin's own pages."""
    if not (user.is_authenticated and user.is_network_admin):
        return []
    return [
        Link(
            "Gestion des territoires",
            reverse("backoffice:dashboard"),
            "Tous les territoires membres\u00a0; ajouter un territoire.",
        ),
        Link("Annuaire\u00a0: modération", reverse("directory:queue"), "Toutes les demandes en attente du réseau."),
        Link(
            "Tâches de fond",
            reverse("backoffice:jobs"),
            "Courriels et rappels en attente ou en échec\u00a0; relancer une tâche.",
        ),
    ]


def has_backoffice(user) -> bool:
    """Whether the "Gestion" menu entry leads somewhere useful: a network admin, or anyone with a role in a
    territory (officer, admin, commission or elected member). One query at most, shared with the permission
    functions of the request (``territories.perms._role`` caches the person's roles on the user)."""
    from essaim.accounts.models import Membership

    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_network_admin:
        return True
    roles = getattr(user, "_essaim_roles", None)  # the cache of territories.perms._role, same shape
    if roles is None:
        roles = dict(Membership.objects.filter(user=user).values_list("territory_id", "role"))
        user._essaim_roles = roles
    return bool(roles)
