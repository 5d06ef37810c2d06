"""The public statistics page (``support:stats``) and the team's figures page (``support:figures``): what they show,
to whom, their CSV, and bad input answered in French, never with an error."""

import datetime
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from essaim.accounts.enums import Role
from essaim.core.models import AccessRecord
from essaim.support.enums import BookingStatus, Channel
from essaim.support.models import SatisfactionSurvey
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.support.factories import BookingFactory, OpeningRangeFactory, PartnerAdviserFactory, ProjectFactory
from tests.territories.factories import TerritoryFactory

YEAR = timezone.localdate().year


def text(response) -> str:
    """The page as a reader sees it (entities read back: « d'absence », not « d&#x27;absence »)."""
    return html.unescape(response.content.decode())


def at(month, day, hour=10, year=YEAR):
    return datetime.datetime(year, month, day, hour, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def territory(db):
    territory = TerritoryFactory(slug="bethune-bruay", name="Béthune-Bruay")
    opening_range = OpeningRangeFactory(
        territory=territory, motif__title="Premier rendez-vous création", motif__channel=Channel.IN_PERSON
    )
    for day, status in [(5, BookingStatus.SEEN), (12, BookingStatus.SEEN), (19, BookingStatus.NO_SHOW)]:
        start = at(1, day)
        BookingFactory(
            opening_range=opening_range,
            starts_at=start,
            ends_at=start + datetime.timedelta(minutes=45),
            status=status,
            name="Camille Secrète",
            email="camille.secrete@example.org",
        )
    ProjectFactory(territory=territory, holder_name="Dominique Confidentielle")
    return territory


@pytest.fixture
def officer(territory):
    return MembershipFactory(territory=territory, role=Role.OFFICER).user


def test_the_public_page_shows_the_key_figures_and_every_breakdown_as_a_table(client, territory):
    response = client.get(reverse("support:stats"), {"territory": "bethune-bruay", "year": YEAR})
    assert response.status_code == 200
    page = text(response)
    assert "Statistiques de l'accompagnement des porteurs de projet" in page
    assert "Premier rendez-vous création" in page
    assert "Taux d'absence sans prévenir" in page
    assert "33,3\u00a0%" in page  # one no-show for two seen
    assert page.count("<caption") == 8
    assert page.count('scope="row"') >= 8
    assert "Définitions" in page


def test_the_public_page_holds_no_personal_data(client, territory):
    page = text(client.get(reverse("support:stats"), {"territory": "bethune-bruay"}))
    assert "Camille" not in page
    assert "camille.secrete" not in page
    assert "Dominique" not in page


def test_the_public_page_withholds_the_satisfaction_below_five_answers(client, territory):
    project = ProjectFactory(territory=territory)
    SatisfactionSurvey.objects.create(
        project=project, token="t", answered_at=timezone.now(), rating=1, helped="no", sent_at=timezone.now()
    )
    page = text(client.get(reverse("support:stats"), {"territory": "bethune-bruay"}))
    assert "Non publié\u00a0: moins de 5 réponses." in page
    assert "1 sur 5" not in page


def test_the_public_page_opens_on_the_default_territory_or_the_first_one(client, territory, settings):
    TerritoryFactory(name="Aaa sans accompagnement")  # offers nothing: not listed
    page = text(client.get(reverse("support:stats")))
    assert "Béthune-Bruay" in page
    assert "Aaa sans accompagnement" not in page


def test_the_public_page_says_so_when_no_territory_offers_support(client, db):
    response = client.get(reverse("support:stats"))
    assert response.status_code == 200
    assert "Aucun territoire ne publie encore de chiffres" in text(response)


UNREAD = "L'année demandée n'est pas reconnue\u00a0: voici les chiffres de {}."
NO_FIGURES = "Aucun chiffre pour 2100\u00a0: voici ceux de {}."


@pytest.mark.parametrize(
    ("year", "message"),
    [("deux-mille", UNREAD), ("1200", UNREAD), ("9" * 40, UNREAD), ("2100", NO_FIGURES)],
)
def test_a_year_that_cannot_be_read_shows_the_current_year_with_a_french_message(client, territory, year, message):
    response = client.get(reverse("support:stats"), {"territory": "bethune-bruay", "year": year})
    assert response.status_code == 200
    assert message.format(YEAR) in text(response)


def test_an_unknown_territory_is_not_found(client, territory):
    assert client.get(reverse("support:stats"), {"territory": "nulle-part"}).status_code == 404


def test_the_team_page_shows_every_value_the_detailed_tables_and_csv_links(client, territory, officer):
    client.force_login(officer)
    response = client.get(reverse("support:figures", args=["bethune-bruay"]), {"year": YEAR})
    assert response.status_code == 200
    page = text(response)
    assert "Chiffres de l'accompagnement — Béthune-Bruay" in page
    assert "absent·e sans prévenir" in page  # the detail columns by status
    assert f"?year={YEAR}&csv=bookings_by_motif" in page
    assert f"?year={YEAR}&csv=values" in page
    assert "Camille" not in page


def test_a_table_downloads_as_csv_without_personal_data_nor_access_record(client, territory, officer):
    client.force_login(officer)
    response = client.get(
        reverse("support:figures", args=["bethune-bruay"]), {"year": YEAR, "csv": "bookings_by_motif"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="accompagnement-bethune-bruay-{YEAR}-bookings_by_motif.csv"'
    )
    content = response.content.decode("utf-8-sig")
    lines = content.splitlines()
    assert lines[0].startswith("Code;Rendez-vous par motif;Rendez-vous;à venir;vu·e;")
    assert lines[1].split(";")[1:5] == ["Premier rendez-vous création", "3", "0", "2"]
    assert lines[-1].split(";")[:3] == ["", "Total", "3"]
    assert "Camille" not in content
    assert not AccessRecord.objects.exists()


def test_the_key_figures_download_as_csv_with_their_definitions(client, territory, officer):
    client.force_login(officer)
    response = client.get(reverse("support:figures", args=["bethune-bruay"]), {"year": YEAR, "csv": "values"})
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Code;Indicateur;Valeur;Unité;Définition"
    assert lines[1].split(";")[:4] == ["bookings_total", "Rendez-vous pris", "3", "rendez-vous"]
    assert "no_show_rate;Taux d'absence sans prévenir;33,3;%" in response.content.decode("utf-8-sig")


def test_an_unknown_table_is_not_found(client, territory, officer):
    client.force_login(officer)
    response = client.get(reverse("support:figures", args=["bethune-bruay"]), {"csv": "../etc/passwd"})
    assert response.status_code == 404


def test_the_team_page_is_the_territory_teams_only(client, territory):
    url = reverse("support:figures", args=["bethune-bruay"])
    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("account_login"))
    refused = {
        "officer of another territory": MembershipFactory(role=Role.OFFICER).user,
        "elected member": MembershipFactory(territory=territory, role=Role.ELECTED).user,
        "commission member": MembershipFactory(territory=territory, role=Role.COMMISSION).user,
        "partner adviser": PartnerAdviserFactory(partner__territory=territory).user,
        "anyone": UserFactory(),
        "network admin": UserFactory(network_admin=True),
    }
    statuses = {}
    for who, user in refused.items():
        client.force_login(user)
        statuses[who] = (client.get(url).status_code, client.get(url, {"csv": "values"}).status_code)
    assert statuses == {who: (403, 403) for who in refused}
    client.force_login(MembershipFactory(territory=territory, role=Role.ADMIN).user)
    assert client.get(url).status_code == 200


def test_an_unknown_territory_slug_is_not_found_for_the_team(client, officer):
    client.force_login(officer)
    assert client.get(reverse("support:figures", args=["nulle-part"])).status_code == 404


def test_the_public_page_runs_in_a_constant_number_of_queries(client, territory, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        client.get(reverse("support:stats"), {"territory": "bethune-bruay"})
