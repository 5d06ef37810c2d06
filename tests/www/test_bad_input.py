"""Bad input on pages, feeds and forms gets a clear 4xx with a French message, never a 500 (issue #15, §1).

Filter pages show the page with the message in their form and answer 400; feeds answer the French 400 page; a form
sent with control characters in a text field shows the error on the field with what was typed kept.
"""

import html
import inspect
import re

import pytest
from django import forms
from django.urls import reverse

from essaim.agenda.models import Registration
from essaim.core import bounds, inputs
from essaim.grants import rules
from essaim.www.forms import EssaimForm, EssaimFormMixin
from tests.accounts.factories import MembershipFactory
from tests.agenda.factories import EventFactory, SessionFactory
from tests.grants.factories import RuleVersionFactory
from tests.territories.factories import TerritoryFactory

HUGE = str(10**30)
DATE_MESSAGE = "La date doit être comprise entre le 01/01/1900 et le 31/12/2199"
CONTROL_MESSAGE = "caractères de contrôle invisibles"
AGENDA_PAGES = ["/agenda/", "/agenda/carte/", "/agenda/embed", "/agenda/calendrier/"]
AGENDA_FEEDS = ["/agenda/calendar.ics", "/agenda/feed.xml"]


def text(response) -> str:
    """The page's text with entities decoded and the French non-breaking spaces read as plain spaces."""
    return re.sub("[\u00a0\u202f]", " ", html.unescape(response.content.decode()))


# --- the readers of essaim.core.inputs ------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["0", "0001-01-01", "9999-12-31", "1899-12-31", "2200-01-01", "2026-02-30", "", "x"])
def test_parse_date_refuses_malformed_and_out_of_range_dates(value):
    with pytest.raises(inputs.InputError):
        inputs.parse_date(value, name="from")


def test_parse_date_takes_the_bounds_themselves():
    assert inputs.parse_date("1900-01-01") == bounds.MIN_DATE
    assert inputs.parse_date(" 2199-12-31 ") == bounds.MAX_DATE


@pytest.mark.parametrize("value", ["9999-12", "0001-01", "1-1", "2026-13", "2026-00", "2026", "2026-1-1", ""])
def test_parse_month_refuses_months_out_of_range(value):
    with pytest.raises(inputs.InputError):
        inputs.parse_month(value)


def test_parse_month_reads_a_month():
    assert inputs.parse_month("2026-11") == (2026, 11)
    assert inputs.parse_month("2026-3") == (2026, 3)


@pytest.mark.parametrize("value", [HUGE, str(2**31), "-1", "1.5", "1e3", "nan", "", "٣"])
def test_parse_int_refuses_what_is_not_a_bounded_whole_number(value):
    with pytest.raises(inputs.InputError):
        inputs.parse_int(value)


def test_parse_int_reads_within_bounds():
    assert inputs.parse_int("42") == 42
    assert inputs.parse_int(str(bounds.MAX_INT)) == bounds.MAX_INT
    assert inputs.parse_int("-3", minimum=-5, maximum=5) == -3


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e308", "91", "abc", ""])
def test_parse_float_refuses_non_finite_and_out_of_range_numbers(value):
    with pytest.raises(inputs.InputError):
        inputs.parse_float(value, minimum=bounds.MIN_LATITUDE, maximum=bounds.MAX_LATITUDE)


def test_parse_float_reads_a_french_or_english_decimal():
    assert inputs.parse_float("50,5", minimum=-90, maximum=90) == 50.5
    assert inputs.parse_float("-2.25", minimum=-90, maximum=90) == -2.25


@pytest.mark.parametrize("value", ["a\x00b", "a\x01", "\x1b[31m", "a\x7f", "a\x85"])
def test_parse_text_refuses_control_characters(value):
    with pytest.raises(inputs.InputError):
        inputs.parse_text(value)


def test_parse_text_keeps_tabs_and_line_breaks_and_limits_the_length():
    assert inputs.parse_text(" a\tb\r\nc ") == "a\tb\r\nc"
    with pytest.raises(inputs.InputError):
        inputs.parse_text("x" * 201)


@pytest.mark.parametrize("value", ["1" * 31, HUGE, "1" * 29 + ",5"])
def test_the_rule_engine_refuses_a_30_digit_number_with_a_message(value):
    """Quantizing 10**30 exceeded the decimal context's precision: a 500 in the simulator and the API."""
    with pytest.raises(rules.RuleInputError, match="maximum"):
        rules.parse_fte(value)
    with pytest.raises(rules.RuleInputError, match="maximum"):
        rules.parse_investment(value)


# --- the agenda's dates ----------------------------------------------------------------------------------------------


@pytest.fixture
def agenda(db):
    return SessionFactory(event=EventFactory())


@pytest.mark.parametrize("url", AGENDA_PAGES)
@pytest.mark.parametrize("query", ["from=0001-01-01", "to=9999-12-31", "from=0", "to=1899-12-31"])
def test_an_agenda_page_refuses_a_date_out_of_range_in_its_filter_form(client, agenda, url, query):
    """``from=0001-01-01`` and ``to=9999-12-31`` overflowed the date arithmetic (500); ``from=0`` must not be read
    as 1970: the page answers 400 with the French message on the field."""
    response = client.get(f"{url}?{query}")
    assert response.status_code == 400
    if url != "/agenda/embed":  # the embed has no filter form: its filters are set by the partner's URL
        # "0" is not a date at all; the others are dates out of the range Essaim keeps
        assert ("Saisissez une date valide" if query == "from=0" else DATE_MESSAGE) in text(response)


@pytest.mark.parametrize("url", AGENDA_FEEDS)
@pytest.mark.parametrize("query", ["from=0001-01-01", "to=9999-12-31", "from=0"])
def test_an_agenda_feed_refuses_a_date_out_of_range_with_the_french_400_page(client, agenda, url, query):
    response = client.get(f"{url}?{query}")
    assert response.status_code == 400
    assert "Filtre refusé" in text(response)


@pytest.mark.parametrize("url", AGENDA_PAGES + AGENDA_FEEDS)
def test_the_agenda_keeps_answering_dates_within_the_bounds(client, agenda, url):
    assert client.get(f"{url}?from=1900-01-01&to=2199-12-31").status_code == 200


@pytest.mark.parametrize("month", ["9999-12", "0001-01", "2026-13", "pas-un-mois"])
def test_the_calendar_refuses_a_month_out_of_range_and_shows_the_current_one(client, agenda, month):
    response = client.get("/agenda/calendrier/", {"mois": month})
    assert response.status_code == 400
    page = text(response)
    assert "Mois :" in page and ("mois" in page.lower())
    assert response.context["mois"] == f"{response.context['today']:%Y-%m}"


def test_the_calendar_shows_the_last_month_within_the_bounds(client, agenda):
    assert client.get("/agenda/calendrier/", {"mois": "2199-12"}).status_code == 200
    assert client.get("/agenda/calendrier/", {"mois": "1900-01"}).status_code == 200


# --- the simulator's numbers ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["fte_created", "investment"])
@pytest.mark.parametrize("value", [HUGE, "1" * 31, "1e999", "nan", "inf"])
def test_the_simulator_refuses_a_huge_or_non_finite_number_on_its_field(client, db, field, value):
    RuleVersionFactory()
    data = {"form": "demarrage", "fte_created": "1", "investment": "1000", field: value}
    response = client.get(reverse("grants:simulator"), data)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert value in text(response)  # what was typed is kept


# --- query strings: control characters, huge integers ---------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/agenda/?q=a%00b",
        "/agenda/?commune=%00",
        "/agenda/feed.xml?q=%01",
        "/annuaire/?territory=%00",
        "/annuaire/?q=x%1b",
        "/carte/?territory=%00",
        "/carte/embed?sector=%7f",
        "/territoires/?q=%00",
        "/aides/simulateur/?dispositif=%00",
        "/aides/export/scdl-subventions.csv?territory=%00",
        "/annuaire/?a%00b=1",
    ],
)
def test_a_control_character_in_a_query_string_is_a_french_400(client, agenda, url):
    """On PostgreSQL a NUL reaching a query was a 500 (DataError); it is refused once, at the query string."""
    response = client.get(url)
    assert response.status_code == 400
    assert CONTROL_MESSAGE in text(response)


def test_tabs_and_line_breaks_in_a_search_are_no_error(client, agenda):
    assert client.get("/agenda/", {"q": "café\tcitoyen\n"}).status_code == 200


@pytest.mark.parametrize(
    "url", ["/agenda/", "/agenda/embed", "/territoires/", "/annuaire/", "/carte/", "/annuaire/export.csv"]
)
@pytest.mark.parametrize("param", ["page", "page_size", "seed"])
def test_a_huge_page_number_is_never_a_server_error(client, agenda, url, param):
    assert client.get(url, {param: HUGE}).status_code in (200, 400)


def test_an_unknown_region_in_the_network_directory_is_a_400_with_the_form(client, db):
    response = client.get("/territoires/", {"region": HUGE})
    assert response.status_code == 400
    assert response.context["form"].errors["region"]


# --- forms: control characters in any text field --------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Léa\x00Dufour", "Léa\x01Dufour", "Léa\x1bDufour"])
def test_the_registration_form_refuses_control_characters_and_keeps_what_was_typed(client, agenda, name):
    url = reverse("agenda:register", args=[agenda.event.pk])
    data = {"session": agenda.pk, "name": name, "email": "lea@exemple.example", "consent": "on"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert CONTROL_MESSAGE in text(response)
    assert "lea@exemple.example" in text(response)
    assert not Registration.objects.exists()


def test_the_sign_up_form_refuses_control_characters_in_the_name(client, db):
    data = {"email": "nouvelle@asso.example", "password1": "une phrase de passe solide", "terms": "on"}
    response = client.post("/compte/inscription/", {**data, "full_name": "Aurélie\x07"})
    assert response.status_code == 200
    assert response.context["form"].errors["full_name"]
    assert CONTROL_MESSAGE in text(response)


def test_the_back_office_contact_form_refuses_control_characters(client, db):
    territory = TerritoryFactory()
    client.force_login(MembershipFactory(territory=territory).user)
    data = {
        "kind": "elected",
        "full_name": "Valérie\x00Morel",
        "title": "Vice\x0bprésidente",
        "service": "",
        "function": "",
        "email": "valerie.morel@artoiscomm.example",
        "phone": "03 21 61 50 00",
        "position": "1",
    }
    response = client.post(reverse("backoffice:contact_create", args=[territory.slug]), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "full_name" in errors and "title" in errors
    assert territory.contacts.count() == 0


def test_the_forms_mixin_checks_fields_added_at_init_and_dates_out_of_range():
    class Form(EssaimForm):
        day = forms.DateField()
        at = forms.DateTimeField()

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["added"] = forms.CharField(required=False)

    form = Form(data={"day": "9999-12-31", "at": "0001-01-01 10:00", "added": "a\x00"})
    assert not form.is_valid()
    assert DATE_MESSAGE in " ".join(form.errors["day"]) and DATE_MESSAGE in " ".join(form.errors["at"])
    assert CONTROL_MESSAGE in " ".join(form.errors["added"])
    assert Form(data={"day": "2026-11-05", "at": "2026-11-05 10:00", "added": "a\tb"}).is_valid()


def www_form_classes():
    """Every form class defined in essaim.www (their modules are imported by the URLs)."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every view module, hence every form

    seen, stack = set(), [forms.BaseForm]
    while stack:
        for sub in stack.pop().__subclasses__():
            if sub not in seen:
                seen.add(sub)
                stack.append(sub)
    return [c for c in seen if c.__module__.startswith("essaim.www") and not inspect.isabstract(c)]


def test_every_form_of_the_pages_refuses_control_characters_and_dates_out_of_range():
    """A form class added to essaim.www without ``EssaimFormMixin`` would take NUL into the database: this test
    names it. Derive it from ``essaim.www.forms.EssaimForm`` / ``EssaimModelForm`` (or put the mixin first)."""
    classes = www_form_classes()
    assert len(classes) > 40
    missing = sorted(
        f"{c.__module__}.{c.__qualname__}"
        for c in classes
        if not issubclass(c, EssaimFormMixin) and c.__name__ not in {"EssaimForm", "EssaimModelForm"}
    )
    assert not missing, missing


# --- the directory's coordinates ------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/annuaire/", "/carte/", "/carte/embed"])
@pytest.mark.parametrize("bbox", ["nan,nan,nan,nan", "-inf,-inf,inf,inf", "1,nan,2,3"])
def test_the_directory_refuses_a_box_that_is_not_finite(client, db, url, bbox):
    """``float("nan")`` passed every comparison and reached the index: the page now says why, answered 400."""
    response = client.get(url, {"bbox": bbox})
    if url == "/annuaire/":  # the list ignores the map's box
        assert response.status_code == 200
    else:
        assert response.status_code == 400
        assert "nombres finis attendus" in text(response)


def test_a_box_beyond_the_globe_is_clamped_to_it(client, db):
    """A map zoomed out past the world sends longitudes beyond ±180 and 1e308: still a map, not an error."""
    from essaim.search.params import parse_search

    assert parse_search({"bbox": "-200,-95,1e308,91"}).search.bbox == (-180.0, -90.0, 180.0, 90.0)
    assert client.get("/carte/", {"bbox": "-200,-95,1e308,91"}).status_code == 200


# --- identifiers and years read by hand -----------------------------------------------------------------------------


@pytest.mark.parametrize("year", ["²", "¹⁹⁹⁹", HUGE, "1989", "abc"])
def test_the_open_data_export_refuses_a_year_it_cannot_read(client, db, year):
    """``"²".isdigit()`` is true and ``int("²")`` fails: the year was a 500."""
    response = client.get(reverse("grants:scdl_export"), {"year": year})
    assert response.status_code == 400
    assert "year invalide" in response.content.decode()


@pytest.mark.parametrize("value", ["abc", "²", HUGE, ""])
def test_an_officer_form_with_an_unreadable_registration_is_a_404(client, agenda, value):
    territory = agenda.event.territory
    client.force_login(MembershipFactory(territory=territory).user)
    for name in ("registrants", "check_in"):
        url = reverse(f"agenda:{name}", args=[territory.slug, agenda.pk])
        assert client.post(url, {"registration": value}).status_code == 404


@pytest.mark.parametrize("year", ["²", HUGE, "abc"])
def test_the_grants_dashboard_shows_the_current_year_for_an_unreadable_one(client, agenda, year):
    territory = agenda.event.territory
    client.force_login(MembershipFactory(territory=territory).user)
    response = client.get(reverse("grants:dashboard"), {"territoire": territory.slug, "annee": year})
    assert response.status_code == 200


def test_a_grant_step_refuses_control_characters_and_keeps_what_was_typed(client, db):
    from tests.grants.conftest import World

    world = World()
    application = world.draft(complete=False)
    client.force_login(world.applicant)
    data = {
        "project_title": "Camion\x00partagé",
        "project_summary": "Mutualiser\x1b un camion.",
        "project_commune": world.commune.pk,
        "project_budget": "30 000",
    }
    response = client.post(reverse("grants:step", args=[application.pk, "projet"]), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "project_title" in errors and "project_summary" in errors
    assert CONTROL_MESSAGE in text(response) and "30 000" in text(response)
    application.refresh_from_db()
    assert "projet" not in application.steps_done


def test_the_directory_contribution_form_refuses_control_characters(client, db):
    data = {"name": "Ressourcerie\x00", "family": "association", "commune": "62119", "submitter_email": "a@b.example"}
    response = client.post(reverse("directory:submit"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert CONTROL_MESSAGE in text(response)


def test_an_htmx_request_with_a_refused_value_gets_its_message_with_a_200(client, agenda):
    """htmx swaps only 2xx answers: the live simulator and the filters must show the error as people type."""
    RuleVersionFactory()
    htmx = {"HX-Request": "true"}
    data = {"form": "demarrage", "fte_created": HUGE, "investment": "1000"}
    response = client.get(reverse("grants:simulator"), data, headers=htmx)
    assert response.status_code == 200 and "maximum" in text(response)
    assert client.get(reverse("grants:simulator"), data).status_code == 400
    assert client.get("/agenda/", {"from": "0001-01-01"}, headers=htmx).status_code == 200
    assert client.get("/carte/", {"bbox": "nan,nan,nan,nan"}, headers=htmx).status_code == 200
    assert client.get("/territoires/", {"region": HUGE}, headers=htmx).status_code == 200
