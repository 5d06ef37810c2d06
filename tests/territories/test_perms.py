import pytest
from django.contrib.auth.models import AnonymousUser

from essaim.territories import perms
from tests.accounts.factories import MembershipFactory, UserFactory
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
