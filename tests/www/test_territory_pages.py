"""The CABBALR's public page after the demo: the inherited policy says so, recent budgets and fictitious data are
marked, and sources live on their own page ("D'où viennent ces données ?"), not at the end of the page."""

import html

import pytest
from django.urls import reverse
from django.utils import timezone


def text(response):
    assert response.status_code == 200
    return " ".join(html.unescape(response.content.decode()).replace("\u00a0", " ").replace("\u202f", " ").split())


@pytest.mark.django_db
def test_current_territory_page_shows_the_inherited_policy_and_recent_budgets(client, demo):
    page = text(client.get(reverse("territories:detail", args=["bethune-bruay"])))
    year = timezone.localdate().year
    assert "Ce plan d'actions est repris d'Artois Comm." in page
    assert page.count("reprise d'Artois Comm.") == 16
    for budget_year in range(year - 3, year + 1):
        assert f'<th scope="row">{budget_year}</th>' in page
    assert "montant fictif (démonstration)" in page
    assert page.count("Personne fictive (démonstration)") == 4
    assert "D'où viennent ces données ?" in page
    assert "Source :" not in page and '<h2 id="sources-title">' not in page


@pytest.mark.django_db
def test_artois_comm_stays_the_2014_archive(client, demo):
    page = text(client.get(reverse("territories:detail", args=["artois-comm"])))
    assert "reprise d'Artois" not in page and "fictive" not in page and "fictif" not in page
    assert "Gérard Delahaye" in page and "201 600 €" in page
    sheet = text(client.get(reverse("territories:sheet", args=["artois-comm", 1])))
    assert "fictive" not in sheet and "reprise" not in sheet


@pytest.mark.django_db
def test_inherited_sheet_links_its_origin_and_marks_values(client, demo):
    page = text(client.get(reverse("territories:sheet", args=["bethune-bruay", 1])))
    assert "Cette fiche reprend celle du plan d'actions d'Artois Comm." in page
    assert reverse("territories:sheet", args=["artois-comm", 1]) in page
    assert "« reprise » : valeur reprise de l'évaluation d'Artois Comm. ;" in page
    assert "« fictive » : valeur inventée pour la démonstration." in page
    assert "reprise d'Artois Comm." in page  # the sheet's badge
    assert "Article «" not in page  # sources are on the sources page, not in the cells


@pytest.mark.django_db
def test_sources_page_lists_what_is_fictitious(client, demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        page = text(client.get(reverse("territories:sources", args=["bethune-bruay"])))
    assert "Martine Caron : personne fictive, inventée pour la démonstration" in page
    assert "montant fictif, inventé pour la démonstration" in page
    assert page.count("est repris de celui d'Artois Comm.") == 1
    artois = text(client.get(reverse("territories:sources", args=["artois-comm"])))
    assert "RTES, annuaire des adhérents, fiche du 25 août 2014" in artois and "fictive" not in artois
