"""Who may open which back-office page: the rules every section shares."""

import pytest
from django.urls import reverse

from essaim.territories.models import Contact
from tests.accounts.factories import MembershipFactory
from tests.www.backoffice.conftest import url

# (url name, the ids it takes after the slug, read from the territory's content)
EDIT_PAGES = [
    ("territory", lambda c: []),
    ("identity", lambda c: []),
    ("perimeter", lambda c: []),
    ("contacts", lambda c: []),
    ("contact_create", lambda c: []),
    ("contact_update", lambda c: [c.contact.pk]),
    ("contact_delete", lambda c: [c.contact.pk]),
    ("budgets", lambda c: []),
    ("budget_create", lambda c: []),
    ("budget_update", lambda c: [c.budget.pk]),
    ("budget_delete", lambda c: [c.budget.pk]),
    ("key_figures", lambda c: []),
    ("key_figure_create", lambda c: []),
    ("key_figure_update", lambda c: [c.key_figure.pk]),
    ("key_figure_delete", lambda c: [c.key_figure.pk]),
    ("policy", lambda c: []),
    ("axis_create", lambda c: []),
    ("axis_update", lambda c: [c.axis.pk]),
    ("axis_delete", lambda c: [c.axis.pk]),
    ("sheet_create", lambda c: []),
    ("sheet", lambda c: [c.sheet.pk]),
    ("sheet_update", lambda c: [c.sheet.pk]),
    ("sheet_delete", lambda c: [c.sheet.pk]),
    ("indicator_create", lambda c: [c.sheet.pk]),
    ("indicator_update", lambda c: [c.sheet.pk, c.indicator.pk]),
    ("indicator_delete", lambda c: [c.sheet.pk, c.indicator.pk]),
]
STAFF_PAGES = [
    ("staff", lambda c: []),
    ("membership_update", lambda c: [c.membership.pk]),
    ("membership_delete", lambda c: [c.membership.pk]),
]
ALL_PAGES = EDIT_PAGES + STAFF_PAGES
PAGES_WITHOUT_IDS = {
    "territory",
    "identity",
    "perimeter",
    "contacts",
    "contact_create",
    "budgets",
    "budget_create",
    "key_figures",
    "key_figure_create",
    "policy",
    "axis_create",
    "sheet_create",
    "staff",
}
PAGES_WITH_IDS = [page for page in ALL_PAGES if page[0] not in PAGES_WITHOUT_IDS]


def _ids(pages):
    return [name for name, _ in pages]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "ids"), ALL_PAGES, ids=_ids(ALL_PAGES))
def test_anonymous_is_sent_to_login(client, territory, content, name, ids):
    """Every back-office page requires login: an anonymous visitor is redirected to the login page."""
    response = client.get(url(name, territory, *ids(content)))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_anonymous_dashboard_is_sent_to_login(client):
    """The dashboard too requires login."""
    response = client.get(reverse("backoffice:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "ids"), ALL_PAGES, ids=_ids(ALL_PAGES))
def test_officer_of_another_territory_is_refused(client, territory, content, other_territory, name, ids):
    """Nobody edits another territory's content: an officer of the Ternois gets 403 on Artois Comm.'s pages."""
    client.force_login(MembershipFactory(territory=other_territory).user)
    assert client.get(url(name, territory, *ids(content))).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "ids"), ALL_PAGES, ids=_ids(ALL_PAGES))
def test_commission_member_is_refused(client, territory, content, name, ids):
    """A commission member gives opinions on grants; they do not edit the territory's content (403)."""
    client.force_login(MembershipFactory(territory=territory, commission=True).user)
    assert client.get(url(name, territory, *ids(content))).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "ids"), EDIT_PAGES, ids=_ids(EDIT_PAGES))
def test_officer_opens_every_edit_page(officer_client, territory, content, name, ids):
    """An officer of the territory opens every content page of their territory."""
    assert officer_client.get(url(name, territory, *ids(content))).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "ids"), STAFF_PAGES, ids=_ids(STAFF_PAGES))
def test_officer_cannot_manage_staff(officer_client, territory, content, name, ids):
    """Giving roles is the territory admin's job: an officer gets 403 on the team pages."""
    assert officer_client.get(url(name, territory, *ids(content))).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "ids"), ALL_PAGES, ids=_ids(ALL_PAGES))
def test_network_admin_opens_every_page_of_any_territory(network_client, territory, content, name, ids):
    """The network admin may step in for any member territory, without a membership."""
    assert network_client.get(url(name, territory, *ids(content))).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "ids"), PAGES_WITH_IDS, ids=_ids(PAGES_WITH_IDS))
def test_foreign_object_under_own_territory_is_not_found(admin_client, territory, content, other_content, name, ids):
    """Objects are looked up among the territory's own: another territory's id under one's own URL gives 404."""
    assert admin_client.get(url(name, territory, *ids(other_content))).status_code == 404


@pytest.mark.django_db
def test_foreign_indicator_under_own_sheet_is_not_found(officer_client, territory, content, other_content):
    """An indicator is looked up under its sheet: another sheet's indicator under this sheet gives 404."""
    response = officer_client.get(url("indicator_update", territory, content.sheet.pk, other_content.indicator.pk))
    assert response.status_code == 404


@pytest.mark.django_db
def test_unknown_territory_is_not_found(officer_client):
    """A slug that names no territory gives 404."""
    assert officer_client.get(reverse("backoffice:territory", args=["nulle-part"])).status_code == 404


@pytest.mark.django_db
def test_foreign_officer_cannot_delete_by_post(client, territory, content, other_territory):
    """A POST from another territory's officer is refused too, and nothing is deleted."""
    client.force_login(MembershipFactory(territory=other_territory).user)
    response = client.post(url("contact_delete", territory, content.contact.pk))
    assert response.status_code == 403
    assert Contact.objects.filter(pk=content.contact.pk).exists()


@pytest.mark.django_db
def test_inactive_officer_is_refused(client, territory, officer, content):
    """A deactivated account keeps no right, even with a membership: its session no longer logs it in."""
    client.force_login(officer)
    officer.is_active = False
    officer.save()
    assert client.get(url("contacts", territory)).status_code == 302
