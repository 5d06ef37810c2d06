"""News items: the service that writes them, the officers' pages, the public list and page."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from essaim.news.enums import NewsStatus
from essaim.news.models import NewsItem, Tag
from essaim.news.services.items import NewsError, item_save, unique_slug
from tests.accounts.factories import MembershipFactory
from tests.agenda.factories import EventFactory
from tests.directory.factories import StructureClaimFactory
from tests.news.factories import NewsItemFactory, TagFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _png(name="photo.png"):
    out = io.BytesIO()
    Image.new("RGB", (4, 3), "#1f4e79").save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def _data(**overrides):
    data = {
        "title": "Le bâtiment relais d'Ecopolis affiche complet",
        "published_on": "27/10/2015",
        "summary": "Trois entreprises y sont hébergées.",
        "body": "Ça bouge du côté du **parc d'activité Ecopolis** de Tincques.",
        "image_alt": "",
        "new_tags": "Immobilier d'entreprise, Tincques",
    }
    data.update(overrides)
    return data


def test_item_save_creates_a_draft_with_its_slug_tags_and_search_text(cast):
    item = item_save(
        territory=cast.mine,
        by=cast.officer,
        data={"title": "Plastium se structure", "published_on": datetime.date(2015, 11, 27), "summary": "Pôle."},
        new_tags=["Industrie", "industrie "],
    )
    assert item.status == NewsStatus.DRAFT
    assert item.slug == "plastium-se-structure"
    assert [t.name for t in item.tags.all()] == ["Industrie"]
    assert Tag.objects.filter(territory=cast.mine).count() == 1
    assert "industrie" in item.search_text
    assert item.author == cast.officer


def test_slugs_stay_unique_and_avoid_reserved_words():
    NewsItemFactory(slug="plastium")
    assert unique_slug("Plastium") == "plastium-2"
    assert unique_slug("Gestion") == "gestion-actualite"
    assert unique_slug("Feed xml") == "feed-xml-actualite"


def test_an_image_needs_its_alternative_text(cast):
    with pytest.raises(NewsError):
        item_save(
            territory=cast.mine,
            by=cast.officer,
            data={"title": "Avec image", "published_on": TODAY(), "summary": "x", "image_alt": " "},
            image=_png(),
        )
    assert NewsItem.objects.count() == 0


def test_officer_writes_and_publishes_an_item_through_the_form(client, cast):
    event = EventFactory(territory=cast.mine)
    client.force_login(cast.officer)
    url = reverse("news:item_new", args=[cast.mine.slug])
    response = client.post(url, {**_data(), "events": [event.pk], "publish": "1"})
    assert response.status_code == 302
    item = NewsItem.objects.get()
    assert response["Location"] == item.get_absolute_url()
    assert item.status == NewsStatus.PUBLISHED
    assert item.published_on == datetime.date(2015, 10, 27)
    assert sorted(t.name for t in item.tags.all()) == ["Immobilier d'entreprise", "Tincques"]
    assert list(item.events.all()) == [event]
    page = client.get(item.get_absolute_url())
    assert page.status_code == 200
    assert "<strong>parc d'activité Ecopolis</strong>" in page.content.decode()


def test_the_form_refuses_an_image_without_alternative_text_and_keeps_what_was_typed(client, cast):
    client.force_login(cast.officer)
    response = client.post(reverse("news:item_new", args=[cast.mine.slug]), {**_data(), "image": _png()})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Décrivez l&#x27;image en quelques mots" in html
    assert "Trois entreprises y sont hébergées." in html
    assert NewsItem.objects.count() == 0


def test_the_form_keeps_an_image_with_its_alternative_text(client, cast, settings, tmp_path):
    client.force_login(cast.officer)
    data = {**_data(image_alt="Le bâtiment relais, façade vitrée"), "image": _png(), "publish": "1"}
    response = client.post(reverse("news:item_new", args=[cast.mine.slug]), data)
    assert response.status_code == 302
    item = NewsItem.objects.get()
    assert item.image.name.startswith("news/")
    page = client.get(item.get_absolute_url()).content.decode()
    assert 'alt="Le bâtiment relais, façade vitrée"' in page


@pytest.mark.parametrize("who", ["outsider", "elected", "commission"])
def test_people_without_the_role_cannot_reach_the_writing_pages(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get(reverse("news:item_new", args=[cast.mine.slug])).status_code == 403
    assert client.post(reverse("news:item_new", args=[cast.mine.slug]), _data()).status_code == 403
    assert NewsItem.objects.count() == 0


def test_an_officer_of_another_territory_cannot_edit_publish_or_preview(client, cast):
    ternois_officer = MembershipFactory(territory=cast.other).user
    draft = NewsItemFactory(territory=cast.mine, draft=True)
    client.force_login(ternois_officer)
    assert client.get(reverse("news:item_edit", args=[draft.pk])).status_code == 403
    assert client.post(reverse("news:item_publish", args=[draft.pk])).status_code == 403
    assert client.get(draft.get_absolute_url()).status_code == 404
    draft.refresh_from_db()
    assert draft.status == NewsStatus.DRAFT


def test_a_structures_account_cannot_write(client, cast):
    client.force_login(StructureClaimFactory().user)
    assert client.get(reverse("news:manage")).status_code == 403
    assert client.get(reverse("news:item_new", args=[cast.mine.slug])).status_code == 403


def test_anonymous_is_sent_to_login(client, cast):
    response = client.get(reverse("news:item_new", args=[cast.mine.slug]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_network_admin_steps_in(client, cast):
    draft = NewsItemFactory(territory=cast.mine, draft=True)
    client.force_login(cast.network)
    assert client.post(reverse("news:item_publish", args=[draft.pk])).status_code == 302
    draft.refresh_from_db()
    assert draft.status == NewsStatus.PUBLISHED


def test_publish_and_unpublish(client, cast):
    item = NewsItemFactory(territory=cast.mine, draft=True)
    client.force_login(cast.admin)
    client.post(reverse("news:item_publish", args=[item.pk]))
    item.refresh_from_db()
    assert item.status == NewsStatus.PUBLISHED
    client.post(reverse("news:item_unpublish", args=[item.pk]))
    item.refresh_from_db()
    assert item.status == NewsStatus.DRAFT
    client.logout()
    assert client.get(item.get_absolute_url()).status_code == 404


def test_the_preview_shows_a_draft_to_its_team(client, cast):
    draft = NewsItemFactory(territory=cast.mine, draft=True, title="Brouillon du Camp de l'innovation")
    client.force_login(cast.officer)
    html = client.get(draft.get_absolute_url()).content.decode()
    assert "cette actualité n'est pas visible du public" in html
    assert "Brouillon du Camp de l&#x27;innovation" in html


def test_an_item_dated_later_waits_for_its_day(client, cast):
    later = NewsItemFactory(territory=cast.mine, published_on=TODAY() + datetime.timedelta(days=2))
    assert client.get(later.get_absolute_url()).status_code == 404
    assert list(NewsItem.objects.published()) == []


def test_the_page_shows_the_body_sanitised(client, cast):
    item = NewsItemFactory(
        territory=cast.mine, body="**Circuits courts**\n\n<script>alert('x')</script>\n\n[piège](javascript:alert(1))"
    )
    html = client.get(item.get_absolute_url()).content.decode()
    assert "<strong>Circuits courts</strong>" in html
    assert "<script>alert" not in html
    assert 'href="javascript' not in html
    assert "&lt;script&gt;alert" in html


def test_the_list_filters_by_territory_tag_year_and_text(client, cast):
    tag = TagFactory(territory=cast.other, slug="circuits-courts", name="Circuits courts")
    NewsItemFactory(territory=cast.mine, title="Le Mois de l'ESS revient", published_on=datetime.date(2024, 11, 3))
    NewsItemFactory(
        territory=cast.other, title="Quarante producteurs", published_on=datetime.date(2015, 10, 27), tags=[tag]
    )
    NewsItemFactory(territory=cast.other, title="Plastium", published_on=datetime.date(2015, 11, 27))
    NewsItemFactory(territory=cast.other, title="Brouillon caché", draft=True)

    def titles(**params):
        response = client.get(reverse("news:list"), params)
        assert response.status_code == 200
        return [item.title for item in response.context["items"]]

    assert titles() == ["Le Mois de l'ESS revient", "Plastium", "Quarante producteurs"]
    assert titles(territory=cast.other.slug) == ["Plastium", "Quarante producteurs"]
    assert titles(tag="circuits-courts") == ["Quarante producteurs"]
    assert titles(year=2024) == ["Le Mois de l'ESS revient"]
    assert titles(q="plastium") == ["Plastium"]


def test_the_list_refuses_a_bad_filter_in_french(client):
    response = client.get(reverse("news:list"), {"year": "1850"})
    assert response.status_code == 400


def test_the_list_is_paginated(client, cast):
    for n in range(13):
        NewsItemFactory(territory=cast.mine, published_on=datetime.date(2020, 1, 1) + datetime.timedelta(days=n))
    first = client.get(reverse("news:list"))
    assert len(first.context["items"]) == 12
    second = client.get(reverse("news:list"), {"page": 2})
    assert len(second.context["items"]) == 1


def test_the_navigation_links_to_the_news(client):
    html = client.get(reverse("news:list")).content.decode()
    assert 'href="/actualites/"' in html
    assert 'aria-current="page">Actualités' in html


def test_the_management_link_shows_to_writers_only(client, cast):
    client.force_login(cast.officer)
    assert reverse("news:manage") in client.get(reverse("news:list")).content.decode()
    client.force_login(cast.elected)
    assert reverse("news:manage") not in client.get(reverse("news:list")).content.decode()


def test_the_list_and_the_feed_pin_their_queries(client, cast, django_assert_num_queries):
    for n in range(5):
        NewsItemFactory(
            territory=cast.mine, tags=[TagFactory(territory=cast.mine)], published_on=datetime.date(2024, 1, n + 1)
        )
    with django_assert_num_queries(4):  # the territories of the filter, the count, the page, their tags
        assert client.get(reverse("news:list")).status_code == 200
    with django_assert_num_queries(2):  # items with their territory, their tags
        assert client.get(reverse("news:feed")).status_code == 200
