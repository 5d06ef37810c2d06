"""Who writes a territory's news and sends its newsletter: its officers and admin, the network admin; nobody else."""

import pytest

from essaim.news import perms
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.directory.factories import StructureClaimFactory
from tests.news.factories import IssueFactory, NewsItemFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("officer", True),
        ("admin", True),
        ("network", True),
        ("commission", False),
        ("elected", False),
        ("outsider", False),
        ("anonymous", False),
        ("inactive_network", False),
    ],
)
def test_who_writes_the_news_of_a_territory(cast, who, allowed):
    item = NewsItemFactory(territory=cast.mine)
    issue = IssueFactory(territory=cast.mine)
    user = getattr(cast, who)
    assert perms.can_write_news(user, cast.mine) is allowed
    assert perms.can_edit_item(user, item) is allowed
    assert perms.can_send_issue(user, issue) is allowed


def test_an_officer_of_another_territory_writes_nothing_here(cast):
    ternois_officer = MembershipFactory(territory=cast.other).user
    item = NewsItemFactory(territory=cast.mine, draft=True)
    assert perms.can_write_news(ternois_officer, cast.other) is True
    assert perms.can_edit_item(ternois_officer, item) is False
    assert perms.can_see_item(ternois_officer, item) is False


def test_a_structures_account_writes_no_news(cast):
    claim = StructureClaimFactory()
    user = claim.user
    assert perms.can_write_news(user, cast.mine) is False


def test_a_draft_is_seen_by_its_team_only_a_published_item_by_all(cast):
    draft = NewsItemFactory(territory=cast.mine, draft=True)
    published = NewsItemFactory(territory=cast.mine)
    assert perms.can_see_item(cast.officer, draft) is True
    assert perms.can_see_item(cast.anonymous, draft) is False
    assert perms.can_see_item(cast.outsider, draft) is False
    assert perms.can_see_item(cast.anonymous, published) is True


def test_writable_territories(cast):
    assert list(perms.writable_territories(cast.officer)) == [cast.mine]
    assert list(perms.writable_territories(cast.elected)) == []
    assert perms.writable_territories(cast.network).count() == 2
    assert list(perms.writable_territories(UserFactory())) == []
