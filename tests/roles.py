"""A territory with a person in each role, for the tables of rights of tests/*/test_perms.py."""

from django.contrib.auth.models import AnonymousUser

from tests.accounts.factories import MembershipFactory, UserFactory
from tests.territories.factories import TerritoryFactory


class RoleCast:
    """Territory A with its officer, admin, commission member and elected member; territory B; a person with an
    account and no role; the network admin (active and not); an anonymous visitor."""

    def __init__(self):
        self.mine = TerritoryFactory(name="Territoire A")
        self.other = TerritoryFactory(name="Territoire B")
        self.officer = MembershipFactory(territory=self.mine).user
        self.admin = MembershipFactory(territory=self.mine, admin=True).user
        self.commission = MembershipFactory(territory=self.mine, commission=True).user
        self.elected = MembershipFactory(territory=self.mine, elected=True).user
        self.outsider = UserFactory()
        self.network = UserFactory(network_admin=True)
        self.anonymous = AnonymousUser()
        self.inactive_network = UserFactory(network_admin=True, is_active=False)
