"""The agenda's rights, role by role: who runs a territory's agenda, who sees and sends a proposal, who reads the
dashboards and campaign reports. Direct checks of ``essaim.agenda.perms``; the pages are tested elsewhere."""

import pytest

from essaim.agenda import perms
from essaim.agenda.enums import Publication
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.agenda.factories import CampaignFactory, EventFactory
from tests.roles import RoleCast


class People(RoleCast):
    """The cast of every role, with another territory's officer, an event proposed by a structure's member, and
    inactive accounts that held a right."""

    def __init__(self):
        super().__init__()
        self.foreign_officer = MembershipFactory(territory=self.other).user
        self.proposer = UserFactory()
        self.inactive_proposer = UserFactory(is_active=False)
        self.inactive_officer = MembershipFactory(territory=self.mine, user__is_active=False).user
        self.proposal = EventFactory(
            territory=self.mine, publication=Publication.PROPOSED, published_at=None, proposed_by=self.proposer
        )
        self.inactive_proposal = EventFactory(
            territory=self.mine,
            publication=Publication.PROPOSED,
            published_at=None,
            proposed_by=self.inactive_proposer,
        )
        self.published = EventFactory(territory=self.mine, proposed_by=self.proposer)
        self.campaign = CampaignFactory(territory=self.mine)


@pytest.fixture
def people(db):
    return People()


WHO = [
    "officer",
    "admin",
    "commission",
    "elected",
    "foreign_officer",
    "proposer",
    "outsider",
    "network",
    "anonymous",
    "inactive_proposer",
    "inactive_officer",
    "inactive_network",
]
RUN_THE_AGENDA = {"officer", "admin", "network"}
READ_THE_DASHBOARDS = {"officer", "admin", "elected", "network"}


@pytest.mark.parametrize("who", WHO)
def test_the_territory_s_officers_and_the_network_admin_run_its_agenda(people, who):
    """Creating, publishing, moderating and rolling a campaign over: the officers' job; a commission member, an
    elected member, another territory's officer or an inactive account has no say."""
    user = getattr(people, who)
    expected = who in RUN_THE_AGENDA
    assert perms.can_manage_agenda(user, people.mine) is expected
    assert perms.can_manage_event(user, people.proposal) is expected
    assert perms.can_roll_campaign(user, people.campaign) is expected


@pytest.mark.parametrize("who", WHO)
def test_the_dashboards_and_campaign_reports_are_read_by_officers_elected_members_and_the_network_admin(people, who):
    user = getattr(people, who)
    expected = who in READ_THE_DASHBOARDS
    assert perms.can_read_agenda_dashboard(user, people.mine) is expected
    assert perms.can_view_campaign_report(user, people.campaign) is expected


@pytest.mark.parametrize("who", ["officer", "admin", "elected"])
def test_a_role_gives_no_right_on_another_territory_s_agenda(people, who):
    user = getattr(people, who)
    assert perms.can_manage_agenda(user, people.other) is False
    assert perms.can_read_agenda_dashboard(user, people.other) is False


@pytest.mark.parametrize("who", WHO)
def test_any_active_account_may_propose_an_event(people, who):
    expected = who not in {"anonymous", "inactive_proposer", "inactive_officer", "inactive_network"}
    assert perms.can_propose_event(getattr(people, who)) is expected


@pytest.mark.parametrize("who", WHO)
def test_a_proposal_is_seen_and_sent_to_moderation_by_its_author_and_the_territory_s_officers(people, who):
    """A proposal is not an announcement: only the person who proposed it and the officers who moderate it see it
    or send it to moderation; an inactive author no longer does."""
    user = getattr(people, who)
    expected = who in RUN_THE_AGENDA | {"proposer"}
    assert perms.can_see_event(user, people.proposal) is expected
    assert perms.can_submit_event(user, people.proposal) is expected


def test_an_inactive_author_no_longer_sees_nor_sends_their_proposal(people):
    assert perms.can_see_event(people.inactive_proposer, people.inactive_proposal) is False
    assert perms.can_submit_event(people.inactive_proposer, people.inactive_proposal) is False


@pytest.mark.parametrize("who", WHO)
def test_a_published_event_is_public(people, who):
    assert perms.can_see_event(getattr(people, who), people.published) is True


@pytest.mark.parametrize(
    ("who", "managed", "dashboards"),
    [
        ("officer", ["Territoire A"], ["Territoire A"]),
        ("elected", [], ["Territoire A"]),
        ("commission", [], []),
        ("foreign_officer", ["Territoire B"], ["Territoire B"]),
        ("network", ["Territoire A", "Territoire B"], ["Territoire A", "Territoire B"]),
        ("anonymous", [], []),
    ],
)
def test_the_agenda_back_office_lists_the_territories_a_person_runs_and_reads(people, who, managed, dashboards):
    user = getattr(people, who)
    assert [t.name for t in perms.managed_territories(user)] == managed
    assert [t.name for t in perms.dashboard_territories(user)] == dashboards
