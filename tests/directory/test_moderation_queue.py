"""The moderation queue at the scale of a network: a fixed number of queries whatever the number of territories
moderated, and no write on a GET (directory settings are read with their defaults, created on the first save)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from essaim.directory.enums import Status
from essaim.directory.models import DirectorySettings
from essaim.www.directory.moderation import stale_after_days
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.directory.factories import StructureFactory, territory_with_commune

pytestmark = pytest.mark.django_db

# Session, user, the territories moderated, the directory settings (one query for them all), pending entries,
# claims, proposed changes, error reports, stale entries; an officer's menu also reads their roles.
QUEUE_QUERIES = 9
OFFICER_QUEUE_QUERIES = QUEUE_QUERIES + 1


def territories(n):
    made = []
    for _ in range(n):
        territory, commune = territory_with_commune()
        StructureFactory(commune=commune, status=Status.PENDING)
        made.append(territory)
    return made


def writes(queries):
    return [q["sql"] for q in queries if q["sql"].lstrip().split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}]


@pytest.mark.parametrize("n", [2, 12])
def test_the_network_admins_queue_costs_the_same_queries_for_2_or_12_territories_and_writes_nothing(
    client, django_assert_num_queries, n
):
    territories(n)
    client.force_login(UserFactory(network_admin=True))
    with CaptureQueriesContext(connection) as captured, django_assert_num_queries(QUEUE_QUERIES):
        response = client.get(reverse("directory:queue"))
    assert response.status_code == 200
    assert not writes(captured.captured_queries)
    assert not DirectorySettings.objects.exists()
    assert len(response.context["pending"]) == n


def test_one_territorys_officer_sees_its_own_queue_in_as_many_queries(client, django_assert_num_queries):
    mine, other = territories(2)
    client.force_login(MembershipFactory(territory=mine).user)
    with django_assert_num_queries(OFFICER_QUEUE_QUERIES):
        response = client.get(reverse("directory:queue"))
    assert [s.commune.perimeters.get().territory for s in response.context["pending"]] == [mine]
    assert client.get(reverse("directory:queue"), {"territoire": other.slug}).status_code == 403


def test_a_network_admin_filtering_one_territory_sees_only_its_entries(client):
    first, second = territories(2)
    client.force_login(UserFactory(network_admin=True))
    response = client.get(reverse("directory:queue"), {"territoire": second.slug})
    assert [s.commune.perimeters.get().territory for s in response.context["pending"]] == [second]


def test_the_stale_limit_is_the_shortest_of_the_territories_defaults_included():
    first, second = territories(2)
    assert stale_after_days([first, second]) == 365
    DirectorySettings.objects.create(territory=first, stale_after_days=90)
    assert stale_after_days([first, second]) == 90
    assert stale_after_days([second]) == 365
    DirectorySettings.objects.create(territory=second, stale_after_days=500)
    assert stale_after_days([second]) == 500


def test_the_settings_page_shows_the_defaults_without_creating_them_and_the_first_save_does(client):
    (territory,) = territories(1)
    client.force_login(MembershipFactory(territory=territory).user)
    url = reverse("directory:settings", args=[territory.slug])
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200 and not writes(captured.captured_queries)
    assert not DirectorySettings.objects.exists()
    assert 'value="365"' in response.content.decode()
    response = client.post(url, {"stale_after_days": "180", "review_imports": "on"})
    assert response.status_code == 302
    saved = DirectorySettings.objects.get(territory=territory)
    assert saved.stale_after_days == 180 and saved.review_imports and not saved.moderate_owner_edits


def test_a_long_queue_shows_the_oldest_entries_and_counts_them_all(client, monkeypatch):
    from essaim.www.directory import moderation

    monkeypatch.setattr(moderation, "QUEUE_LIMIT", 2)
    (territory,) = territories(1)
    commune = territory.communes.get()
    later = [StructureFactory(commune=commune, status=Status.PENDING, name=f"Fiche {n}") for n in range(2)]
    client.force_login(MembershipFactory(territory=territory).user)
    response = client.get(reverse("directory:queue"))
    html = response.content.decode()
    assert "3 fiches à valider" in html
    assert "Seules les 2 entrées les plus anciennes sont affichées\u00a0; traitez-les" in html
    assert len(response.context["pending"]) == 2 and later[-1] not in response.context["pending"]


def test_a_network_admin_with_many_territories_finds_their_settings_folded(client):
    territories(4)
    client.force_login(UserFactory(network_admin=True))
    html = client.get(reverse("directory:queue")).content.decode()
    assert "Réglages de l'annuaire de chacun des 4 territoires" in html
    assert html.count("/annuaire/moderation/reglages/") == 4
