"""Who may do what in the agenda. Plain functions; each docstring gives the business reason."""

from essaim.agenda.enums import Publication
from essaim.territories.perms import can_edit_territory, can_view_dashboards


def can_manage_agenda(user, territory) -> bool:
    """The territory's ESS officers (and its admin) run its agenda and campaigns: they create, edit, duplicate and
    publish events, moderate proposals, see registrants, write to them and check them in. The network admin may
    step in for any territory. Commission members have no say on the agenda; nobody runs another territory's."""
    return can_edit_territory(user, territory)


def can_manage_event(user, event) -> bool:
    """An event is managed by the officers of the territory it belongs to."""
    return can_manage_agenda(user, event.territory)


def can_propose_event(user) -> bool:
    """Any person with an account (typically a member of an ESS structure) may propose an event to a territory; it
    is published only once the territory's officers accept it."""
    return bool(user.is_authenticated and user.is_active)


def can_submit_event(user, event) -> bool:
    """The person who proposed an event (or an officer on their behalf) sends it to moderation."""
    if not user.is_authenticated or not user.is_active:
        return False
    return event.proposed_by_id == user.pk or can_manage_event(user, event)


def can_see_event(user, event) -> bool:
    """A published event is public; before that, only its territory's officers and the person who proposed it see
    it (a proposal is not an announcement). A members-only event (a club's meeting) has no public page at all: its
    members reach it through the club's pages, the officers through the agenda's management."""
    if event.members_only:
        return False
    if event.publication == Publication.PUBLISHED:
        return True
    if not user.is_authenticated or not user.is_active:
        return False
    return event.proposed_by_id == user.pk or can_manage_event(user, event)


def managed_territories(user):
    """The territories whose agenda a person runs, for their agenda back office."""
    from essaim.territories.perms import editable_territories

    return editable_territories(user)


def can_read_agenda_dashboard(user, territory) -> bool:
    """The agenda's back-office dashboard (events, campaigns, seats taken, attendance) is read by the territory's
    officers and admin, who run it, and by its elected members (élu·es), who answer for the policy but change
    nothing and never see registrants' names: the pages show them counts, without edit links."""
    return can_view_dashboards(user, territory)


def can_view_campaign_report(user, campaign) -> bool:
    """A campaign's report (events, sessions, registrations, attendance by audience, type, organiser and commune)
    holds aggregates only: the territory's officers, admin and elected members read it; the network admin too."""
    return can_view_dashboards(user, campaign.territory)


def can_roll_campaign(user, campaign) -> bool:
    """Preparing next year's campaign (drafts copied from this one) is the officers' job, like any edit of the
    agenda."""
    return can_manage_agenda(user, campaign.territory)


def dashboard_territories(user):
    """The territories whose agenda dashboard a person reads (officers, admins, elected members)."""
    from essaim.territories.perms import dashboard_territories as territories

    return territories(user)
