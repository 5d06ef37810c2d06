import pytest
from django.contrib.auth.models import AnonymousUser

from essaim.territories import perms
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.roles import RoleCast
from tests.territories.factories import TerritoryFactory


@pytest.mark.django_db
def test_officers_and_admins_edit_only_their_own_territory():
    """Nobody edits another territory's content; a commission member only reads."""
    mine, other = TerritoryFactory(), TerritoryFactory()
    officer = MembershipFactory(territory=mine).user
    admin = MembershipFactory(territory=mine, admin=True).user
    commission = MembershipFactory(territory=mine, commission=True).user
    assert perms.can_edit_territory(officer, mine)
    assert perms.can_edit_territory(admin, mine)
    assert not perms.can_edit_territory(officer, other)
    assert not perms.can_edit_territory(admin, other)
    assert not perms.can_edit_territory(commission, mine)
    assert not perms.can_edit_territory(AnonymousUser(), mine)
    assert list(perms.editable_territories(officer)) == [mine]
    assert list(perms.editable_territories(commission)) == []


@pytest.mark.django_db
def test_only_the_territory_admin_or_the_network_admin_manage_staff():
    mine, other = TerritoryFactory(), TerritoryFactory()
    officer = MembershipFactory(territory=mine).user
    admin = MembershipFactory(territory=mine, admin=True).user
    network = UserFactory(network_admin=True)
    assert perms.can_manage_staff(admin, mine)
    assert not perms.can_manage_staff(admin, other)
    assert not perms.can_manage_staff(officer, mine)
    assert perms.can_manage_staff(network, other)
    assert perms.can_create_territory(network)
    assert not perms.can_create_territory(admin)


@pytest.mark.django_db
def test_an_inactive_account_has_no_right():
    membership = MembershipFactory(admin=True)
    membership.user.is_active = False
    assert not perms.can_edit_territory(membership.user, membership.territory)
    assert not perms.can_manage_staff(membership.user, membership.territory)


class People(RoleCast):
    """The cast of every role, with another territory's admin and inactive accounts that held a right."""

    def __init__(self):
        super().__init__()
        self.foreign_admin = MembershipFactory(territory=self.other, admin=True).user
        self.inactive_admin = MembershipFactory(territory=self.mine, admin=True, user__is_active=False).user
        self.inactive_elected = MembershipFactory(territory=self.mine, elected=True, user__is_active=False).user


@pytest.fixture
def people(db):
    return People()


WHO = [
    "officer",
    "admin",
    "commission",
    "elected",
    "foreign_admin",
    "outsider",
    "network",
    "anonymous",
    "inactive_admin",
    "inactive_elected",
    "inactive_network",
]

# Who holds each right on the territory ``mine``; everybody else in WHO is refused.
RIGHTS_ON_MINE = {
    "can_edit_territory": {"officer", "admin", "network"},
    "can_manage_staff": {"admin", "network"},
    "can_inherit_policy": {"admin", "network"},
    "can_view_dashboards": {"officer", "admin", "elected", "network"},
    "is_elected": {"elected"},
}


@pytest.mark.parametrize("right", sorted(RIGHTS_ON_MINE))
@pytest.mark.parametrize("who", WHO)
def test_each_role_holds_exactly_its_rights_on_its_territory(people, right, who):
    """The table of rights per role: officers edit, the admin also manages staff and takes over a policy, elected
    members read the dashboards, the network admin steps in (but is not an elected member); a commission member,
    a person without a role, another territory's admin, an anonymous visitor and any inactive account hold none."""
    expected = who in RIGHTS_ON_MINE[right]
    assert getattr(perms, right)(getattr(people, who), people.mine) is expected


@pytest.mark.parametrize("right", sorted(RIGHTS_ON_MINE))
@pytest.mark.parametrize("who", ["officer", "admin", "elected"])
def test_a_role_gives_no_right_on_another_territory(people, right, who):
    assert getattr(perms, right)(getattr(people, who), people.other) is False


@pytest.mark.parametrize("right", sorted(RIGHTS_ON_MINE))
def test_the_network_admin_steps_in_on_any_territory_but_is_nobody_s_elected_member(people, right):
    assert getattr(perms, right)(people.network, people.other) is (right != "is_elected")


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("network", True),
        ("inactive_network", False),
        ("admin", False),
        ("outsider", False),
        ("anonymous", False),
    ],
)
def test_only_an_active_network_admin_adds_a_territory(people, who, expected):
    assert perms.can_create_territory(getattr(people, who)) is expected


@pytest.mark.parametrize(
    ("who", "editable", "dashboards"),
    [
        ("officer", ["Territoire A"], ["Territoire A"]),
        ("admin", ["Territoire A"], ["Territoire A"]),
        ("commission", [], []),
        ("elected", [], ["Territoire A"]),
        ("foreign_admin", ["Territoire B"], ["Territoire B"]),
        ("outsider", [], []),
        ("network", ["Territoire A", "Territoire B"], ["Territoire A", "Territoire B"]),
        ("anonymous", [], []),
        ("inactive_admin", [], []),
        ("inactive_network", [], []),
    ],
)
def test_the_back_office_lists_the_territories_a_person_edits_and_reads(people, who, editable, dashboards):
    """The dashboard lists follow the rights: the territories whose content one edits, and those whose dashboards
    one reads (elected members read, commission members do neither)."""
    user = getattr(people, who)
    assert [t.name for t in perms.editable_territories(user)] == editable
    assert [t.name for t in perms.dashboard_territories(user)] == dashboards


def test_a_person_s_roles_are_read_once_for_all_the_checks_of_a_page(people, django_assert_num_queries):
    """A page checks several rights on several territories: the memberships are read from the database once."""
    user = type(people.officer).objects.get(pk=people.officer.pk)
    with django_assert_num_queries(1):
        assert perms.can_edit_territory(user, people.mine) is True
        assert perms.can_view_dashboards(user, people.other) is False
        assert perms.is_elected(user, people.mine) is False
