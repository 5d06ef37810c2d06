"""The RSS feed /actualites/feed.xml (a stable contract) and the API /api/v1/news."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from tests.news.factories import NewsItemFactory, TagFactory
from tests.territories.factories import TerritoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def news(db):
    ternois = TerritoryFactory(slug="ternois", name="Pays du Ternois", siren="200035442")
    cabbalr = TerritoryFactory(slug="bethune-bruay", name="CABBALR")
    tag = TagFactory(territory=ternois, slug="circuits-courts", name="Circuits courts")
    NewsItemFactory(
        territory=ternois,
        slug="producteurs",
        title="Une quarantaine de producteurs locaux",
        published_on=datetime.date(2015, 10, 27),
        tags=[tag],
        body="Depuis **2013**.\n\n<script>x</script>",
    )
    NewsItemFactory(territory=ternois, slug="plastium", title="Plastium", published_on=datetime.date(2015, 11, 27))
    NewsItemFactory(territory=cabbalr, slug="mois", title="Le Mois de l'ESS", published_on=datetime.date(2024, 11, 1))
    NewsItemFactory(territory=ternois, slug="brouillon", title="Brouillon", draft=True)
    return ternois


def test_the_feed_is_rss_2_newest_first_published_only(client, news):
    response = client.get("/actualites/feed.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    root = ET.fromstring(response.content)  # noqa: S314 -- our own feed
    assert root.tag == "rss"
    assert root.get("version") == "2.0"
    items = root.findall("./channel/item")
    assert [i.findtext("title") for i in items] == [
        "Le Mois de l'ESS",
        "Plastium",
        "Une quarantaine de producteurs locaux",
    ]
    last = items[2]
    assert last.findtext("link") == "http://testserver/actualites/producteurs/"
    assert last.findtext("guid") == "http://testserver/actualites/producteurs/"
    assert last.findtext("category") == "Circuits courts"
    assert last.findtext("pubDate").startswith("Tue, 27 Oct 2015")


def test_the_feed_takes_the_lists_filters(client, news):
    response = client.get("/actualites/feed.xml", {"territory": "ternois", "tag": "circuits-courts"})
    root = ET.fromstring(response.content)  # noqa: S314 -- our own feed
    assert [i.findtext("title") for i in root.findall("./channel/item")] == ["Une quarantaine de producteurs locaux"]


def test_the_feed_refuses_a_bad_filter(client, news):
    assert client.get("/actualites/feed.xml", {"year": "abc"}).status_code == 400


def test_api_lists_published_news_with_filters(client, news):
    response = client.get("/api/v1/news", {"territory": "200035442"})
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 2
    assert [r["slug"] for r in data["results"]] == ["plastium", "producteurs"]
    first = data["results"][1]
    assert first["territory"] == {"siren": "200035442", "slug": "ternois", "name": "Pays du Ternois"}
    assert first["tags"] == [{"slug": "circuits-courts", "name": "Circuits courts"}]
    assert first["url"] == "http://testserver/actualites/producteurs/"
    assert client.get("/api/v1/news", {"tag": "circuits-courts"}).json()["count"] == 1
    assert client.get("/api/v1/news", {"q": "plastium"}).json()["count"] == 1
    page = client.get("/api/v1/news", {"limit": 1, "offset": 1}).json()
    assert (page["count"], [r["slug"] for r in page["results"]]) == (3, ["plastium"])


def test_api_detail_gives_markdown_and_sanitised_html(client, news):
    data = client.get(reverse("api:news_detail", args=["producteurs"])).json()
    assert data["body"].startswith("Depuis **2013**.")
    assert "<strong>2013</strong>" in data["body_html"]
    assert "<script>" not in data["body_html"]


def test_api_hides_drafts_and_answers_in_french(client, news):
    missing = client.get("/api/v1/news/brouillon")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "Aucune actualité publiée ne porte cet identifiant."}
    unknown = client.get("/api/v1/news", {"territory": "inconnu"})
    assert unknown.status_code == 404
    assert unknown.json()["detail"] == "Aucun territoire ne répond à « inconnu »."
    too_many = client.get("/api/v1/news", {"limit": 500})
    assert too_many.status_code == 422
    assert "100" in too_many.json()["detail"]
