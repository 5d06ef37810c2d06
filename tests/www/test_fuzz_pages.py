"""Property-based fuzz of every public HTML page and feed (issue #15, §1): arbitrary strings, huge numbers, NUL
bytes, malformed dates and coordinates in every query parameter never make a server error.

``PAGES`` lists each public URL name with the query parameters its view reads; ``NOT_PUBLIC`` lists the other
pages of the site with the reason they are not fuzzed here (they need a login, or only take POST). A URL added to
the site without being listed in one of them fails ``test_every_page_is_fuzzed_or_said_not_public``.

Hypothesis runs with ``derandomize=True`` (the same examples at every run: a deterministic CI) and a small
``max_examples`` per page, so that the whole module runs in well under 90 s per engine. ``FUZZ_EXAMPLES`` in the
environment raises it for a longer local hunt (``FUZZ_EXAMPLES=500 pytest tests/www/test_fuzz_pages.py``).
"""

import datetime
import os

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from essaim.agenda.enums import Audience, EventType
from tests.agenda.factories import CampaignFactory, EventFactory, SessionFactory, VenueFactory
from tests.directory.factories import StructureFactory, StructureLabelFactory
from tests.grants.factories import SchemeFactory
from tests.news.factories import NewsItemFactory, SubscriberFactory
from tests.territories.factories import ActionSheetFactory, CommuneFactory, TerritoryFactory

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "20"))

AGENDA = ["from", "to", "q", "type", "audience", "commune", "campaign", "organiser", "territory", "page"]
DIRECTORY = [
    "q",
    "family",
    "label",
    "sector",
    "commune",
    "territory",
    "employer",
    "departement",
    "near",
    "near_commune",
    "radius_km",
    "bbox",
    "sort",
    "page",
    "page_size",
    "seed",
]
ACCOUNT = ["next"]

# url name -> (path arguments from the dataset, query parameters the view reads).
PAGES = {
    "home": ((), []),
    "health": ((), []),
    "accessibility": ((), []),
    "privacy": ((), []),
    "territories:list": ((), ["q", "region", "departement", "kind", "historical", "page"]),
    "territories:detail": (("territory",), []),
    "territories:sheet": (("territory", "sheet"), []),
    "territories:sources": (("territory",), []),
    "directory:list": ((), DIRECTORY),
    "directory:export_csv": ((), DIRECTORY),
    "directory:map": ((), DIRECTORY),
    "directory:embed": ((), DIRECTORY),
    "directory:structure": (("structure",), []),
    "directory:submit": ((), ["siret", "rna"]),
    "directory:report": (("structure",), []),
    "agenda:list": ((), AGENDA),
    "agenda:calendar": ((), [*AGENDA, "mois"]),
    "agenda:map": ((), AGENDA),
    "agenda:embed": ((), AGENDA),
    "agenda:calendar_ics": ((), AGENDA),
    "agenda:rss": ((), AGENDA),
    "agenda:event": (("event",), []),
    "agenda:event_ics": (("event",), []),
    "agenda:cancel": (("token",), []),
    "agenda:campaign": (("campaign",), []),
    "agenda:campaign_pdf": (("campaign",), []),
    "grants:schemes": ((), []),
    "grants:simulator": ((), ["dispositif", "form", "fte_created", "investment"]),
    "grants:scdl_export": ((), ["year", "territory"]),
    "grants:scheme": (("scheme",), []),
    "observatory:index": ((), []),
    "observatory:territory": (("territory",), ["annee", "famille", "secteur"]),
    "observatory:definitions": (("territory",), []),
    "observatory:table_csv": (("territory", "observatory_table"), ["annee"]),
    "observatory:table_json": (("territory", "observatory_table"), ["annee"]),
    "observatory:package": (("territory", "observatory_year"), []),
    "club:index": ((), []),
    "club:club": (("club",), []),
    "club:members": (("club",), []),
    "club:skills": (("club",), ["q", "skill", "sector", "commune"]),
    "club:charter": (("club",), []),
    "club:board": (("club",), ["q", "kind", "category", "commune", "free", "page"]),
    "club:listing": (("club", "listing"), ["nouvelle"]),
    "club:practices": (("club",), ["q", "sector", "topic"]),
    "club:practice": (("club", "practice"), []),
    "club:calls": (("club",), []),
    "club:call": (("club", "call"), []),
    "club:meeting_guest": (("guest_token",), []),
    "news:list": ((), ["q", "territory", "tag", "year", "page"]),
    "news:feed": ((), ["q", "territory", "tag", "year"]),
    "news:detail": (("news_item",), []),
    "news:subscribe": (("territory",), []),
    "news:confirm": (("news_token",), []),
    "news:unsubscribe": (("news_token",), []),
    "support:index": ((), []),
    "support:stats": ((), ["territory", "year"]),
    "support:territory": (("territory",), []),
    "support:motif": (("territory", "motif"), ["semaine", "invitation"]),
    "support:book": (("territory", "motif"), ["slot", "invitation"]),
    "support:period": (("territory", "period"), []),
    "support:booking": (("booking_token",), ["action"]),
    "support:waitlist_offer": (("offer_token",), []),
    "support:feed": (("feed_token",), []),
    "support:survey": (("survey_token",), []),
    "accounts:login": ((), ACCOUNT),
    "accounts:signup": ((), ACCOUNT),
    "accounts:logout": ((), ACCOUNT),
    "accounts:terms": ((), []),
    "accounts:resend_verification": ((), ["email"]),
    "accounts:password_reset": ((), []),
    "accounts:password_reset_done": ((), []),
    "accounts:password_reset_complete": ((), []),
    "accounts:password_reset_confirm": (("uidb64", "reset_token"), []),
    "account_inactive": ((), []),
    "account_email_verification_sent": ((), []),
    "account_confirm_email": (("key",), []),
    "account_reset_password_from_key": (("uidb36", "key"), []),
}
# The same views under allauth's names (config/urls.py includes both): fuzzed once, under the names above.
ALIASES = {
    "account_login",
    "account_logout",
    "account_signup",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key_done",
    "account_change_password",
    "account_set_password",
    "account_email",
}
NOT_PUBLIC = {
    "agenda:register": "POST only (the registration form of an event page)",
    "agenda:propose": "login required",
    "directory:claim": "login required",
    "directory:edit": "login required",
    "grants:apply": "login required",
    "grants:my_applications": "login required",
    "accounts:profile": "login required",
    "accounts:profile_edit": "login required",
    "accounts:export": "login required",
    "accounts:erase": "login required",
    "accounts:registration_cancel": "login required",
    "accounts:password_change": "login required",
}
NOT_PUBLIC_PREFIXES = {
    "agenda:manage": "the officers' back office (login and role required)",
    "agenda:event_": "the officers' back office",
    "agenda:registrants": "the officers' back office",
    "agenda:message": "the officers' back office",
    "agenda:check_in": "the officers' back office",
    "agenda:campaign_": "the officers' back office (create, update, report, roll)",
    "agenda:series_": "the officers' back office",
    "agenda:venue_": "the officers' back office",
    "directory:queue": "moderation (login and role required)",
    "directory:review": "moderation",
    "directory:claim_decide": "moderation",
    "directory:change_review": "moderation",
    "directory:report_close": "moderation",
    "directory:settings": "moderation",
    "grants:": "an applicant's or an officer's pages (login required)",
    "backoffice:": "the territory back office (login and role required)",
    "support:day": "an adviser's or the team's bookings (login required)",
    "support:booking_status": "POST only, an adviser's or the team's (login required)",
    "support:feed_settings": "an adviser's secret calendar address (login required)",
    "support:figures": "the team's figures (login and role required)",
    "support:settings": "the team's settings of the permanences (login and role required)",
    "support:motif_": "the team's settings",
    "support:range_": "the team's settings",
    "support:absence_": "the team's settings",
    "support:partner_": "the team's settings; support:partner_board is a partner adviser's (login required)",
    "support:period_": "the team's settings",
    "support:invitation_create": "the team's settings",
    "support:board": "the team's board of projects (login and role required)",
    "support:abandoned": "the team's board of abandoned referrals",
    "support:project": "a project record (login required; the team, a referred partner, the holder)",
    "support:referral_": "a project record's referrals (login required)",
    "club:join": "asking to join, for a person who speaks for a structure (login required)",
    "club:create": "the territory's team creates its club (login and role required)",
    "club:space": "the members' space (login and membership required)",
    "club:charter_accept": "the members' space",
    "club:profile": "the members' space",
    "club:renew": "the members' space",
    "club:sponsor": "the members' space",
    "club:manage": "the facilitators' pages (login and role required)",
    "club:candidate": "the facilitators' pages",
    "club:membership_export": "the facilitators' pages",
    "club:settings": "the club's admins' pages (login and role required)",
    "club:charter_new": "the club's admins' pages",
    "club:meeting": "a meeting, for the club's members (login and membership required)",
    "club:meetings": "the members' space",
    "club:minutes_document": "a meeting's minutes, for the club's members",
    "club:topics": "the members' space",
    "club:practice_new": "a member writes a practice sheet (login and membership required)",
    "club:practice_edit": "a member's draft practice sheet",
    "club:practice_review": "the facilitators' review of a practice sheet",
    "club:listing_new": "a member posts an offer or a need (login and membership required)",
    "club:listing_edit": "a member's offer or need",
    "club:subscriptions": "the members' space",
    "club:item": "a shared item and its bookings, for the club's members",
    "club:items": "the members' space",
    "club:purchase": "a group purchase, for the club's members",
    "club:purchases": "the members' space",
    "club:call_new": "the facilitators' pages",
    "club:call_edit": "the facilitators' pages",
    "club:answer": "a joint answer's private workspace (login and partnership required)",
    "club:answer_": "a joint answer's private workspace",
    "club:answers": "the members' space",
    "news:manage": "the officers' news and newsletter pages (login and role required)",
    "news:item_": "the officers' news pages",
    "news:issue": "the officers' newsletter pages",
    "observatory:evaluation": "the yearly evaluation (login and role required: the team, the elected members)",
    "observatory:report": "the report for the elected members (login and role required)",
    "observatory:manage": "the team's figures (login and role required)",
    "observatory:entered": "the team's figures",
    "observatory:freeze": "the team's figures (POST only)",
}
OUTSIDE = ("api:", "admin:", "media", "set_language")  # the API (schemathesis), Django's admin, dev media, i18n


def url_patterns():
    """Every named URL of the site, with its namespace (``agenda:list``), and its pattern."""

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(
                    pattern.url_patterns, namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
                )
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield namespace + pattern.name, pattern

    return dict(walk(get_resolver().url_patterns))


def url_names():
    return sorted(url_patterns())


def not_public_reason(name):
    if name in NOT_PUBLIC:
        return NOT_PUBLIC[name]
    return next((reason for prefix, reason in NOT_PUBLIC_PREFIXES.items() if name.startswith(prefix)), None)


def test_every_page_is_fuzzed_or_said_not_public():
    """A new page must be added to PAGES (with the query parameters it reads) or to NOT_PUBLIC (with why)."""
    unlisted = [
        name
        for name in url_names()
        if not name.startswith(OUTSIDE) and name not in PAGES and name not in ALIASES and not not_public_reason(name)
    ]
    assert not unlisted, f"Pages ni fuzzées ni déclarées non publiques : {unlisted}"
    assert not set(PAGES) & set(NOT_PUBLIC), "a page is listed as public and as not public"


@pytest.mark.django_db
def test_the_pages_said_not_public_are_not_served_to_a_visitor(client):
    """NOT_PUBLIC holds: a visitor's GET is sent to the login page, refused or not found, never a page (200)."""
    served = []
    for name, pattern in url_patterns().items():
        if name.startswith(OUTSIDE) or name in PAGES or name in ALIASES:
            continue
        converters = getattr(pattern.pattern, "converters", {})
        names = converters or pattern.pattern.regex.groupindex
        kwargs = {key: 999999 if isinstance(converters.get(key), IntConverter) else "x" for key in names}
        if client.get(reverse(name, kwargs=kwargs)).status_code == 200:
            served.append(name)
    assert not served, f"Pages servies à un visiteur mais déclarées non publiques : {served}"


@pytest.fixture
def dataset(db, settings, tmp_path):
    """A small realistic site: a territory with its communes and a policy sheet, structures of the directory
    (indexed), a campaign with a published event at a venue, a published aid scheme."""
    from essaim.search.indexer import reindex
    from essaim.territories.models import TerritoryCommune

    territory = TerritoryFactory(slug="bethune-bruay", name="Béthune-Bruay")
    communes = [
        CommuneFactory(insee_code=code, name=name) for code, name in [("62119", "Béthune"), ("62178", "Bruay")]
    ]
    for commune in communes:
        TerritoryCommune.objects.create(territory=territory, commune=commune)
    sheet = ActionSheetFactory(axis__territory=territory)
    structure = StructureFactory(name="Ressourcerie du Béthunois", commune=communes[0])
    StructureLabelFactory(structure=structure)
    StructureFactory(name="Café associatif", commune=communes[1])
    campaign = CampaignFactory(territory=territory, is_published=True)
    venue = VenueFactory(territory=territory, commune=communes[0])
    event = EventFactory(territory=territory, venue=venue, campaign=campaign)
    session = SessionFactory(event=event)
    scheme = SchemeFactory(territory=territory)
    support = support_dataset(territory, venue, event)
    club = club_dataset(territory, structure)
    news_item = NewsItemFactory(territory=territory)
    subscriber = SubscriberFactory(territory=territory)
    reindex()
    return {
        "territory": territory.slug,
        "sheet": sheet.number,
        "structure": structure.slug,
        "event": event.pk,
        "session": session.pk,
        "campaign": campaign.slug,
        "scheme": scheme.slug,
        "token": "pas-un-jeton",
        "uidb64": "MQ",
        "reset_token": "pas-un-jeton",
        "key": "pas-une-cle",
        "uidb36": "1",
        "observatory_table": "chiffres-cles",
        "observatory_year": timezone.localdate().year,
        **support,
        **club,
        "news_item": news_item.slug,
        "news_token": subscriber.token,
        "known": {
            "commune": ["62119", "Béthune"],
            "territory": [territory.slug, territory.siren, str(territory.pk)],
            "campaign": [campaign.slug],
            "organiser": [structure.slug],
            "type": [c for c, _ in EventType.choices],
            "audience": [c for c, _ in Audience.choices],
            "dispositif": [scheme.slug],
            "form": ["demarrage", "developpement"],
            "family": ["association", "cooperative"],
            "label": ["ACI", "ESUS"],
            "sector": ["reemploi"],
            "employer": ["oui", "non", "inconnu"],
            "departement": ["62"],
            "near_commune": ["62119", "bethune", "Béthune (62400)"],
            "sort": ["relevance", "name", "updated", "distance"],
            "historical": ["on"],
            "mois": [f"{timezone.localdate():%Y-%m}"],
            "next": ["/agenda/", "//evil.example/", "https://evil.example/"],
            "semaine": [f"{timezone.localdate():%Y-%m-%d}"],
            "year": [str(timezone.localdate().year)],
            "annee": [str(timezone.localdate().year)],
            "famille": ["association", "cooperative"],
            "secteur": ["reemploi"],
            "action": ["cancel", "move", "waitlist"],
            "kind": ["CA", "CC", "offer", "need"],
            "category": ["vehicle", "room"],
            "free": ["on"],
            "nouvelle": ["1"],
        },
    }


def support_dataset(territory, venue, event):
    """A permanence with a booking, a waiting-list offer, an adviser's feed, a closed project's survey and the
    *quinzaine* page: the keys of the support pages' paths."""
    from essaim.support.enums import ProjectStatus, WaitlistStatus
    from essaim.support.models import AdviserFeed, SatisfactionSurvey, SupportPeriod, WaitlistEntry
    from tests.support.factories import BookingFactory, MotifFactory, OpeningRangeFactory, ProjectFactory

    motif = MotifFactory(territory=territory, slug="premier-rendez-vous")
    opening = OpeningRangeFactory(territory=territory, motif=motif, venue=venue)
    booking = BookingFactory(opening_range=opening)
    offer = WaitlistEntry.objects.create(
        territory=territory,
        motif=motif,
        booking=booking,
        name="Dominique",
        email="dom@example.org",
        before=booking.starts_at,
        status=WaitlistStatus.OFFERED,
    )
    feed = AdviserFeed.objects.create(user=opening.adviser, territory=territory, token="jeton-du-flux")
    closed = ProjectFactory(territory=territory, status=ProjectStatus.CLOSED, closed_at=timezone.now())
    survey = SatisfactionSurvey.objects.create(project=closed, token="jeton-de-l-enquete", sent_at=timezone.now())
    period = SupportPeriod.objects.create(
        territory=territory,
        title="Quinzaine de l'initiative",
        slug="quinzaine",
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + datetime.timedelta(days=14),
    )
    period.motifs.add(motif)
    period.workshops.add(event)
    return {
        "motif": motif.slug,
        "period": period.slug,
        "booking_token": booking.token,
        "offer_token": offer.token,
        "feed_token": feed.token,
        "survey_token": survey.token,
    }


def club_dataset(territory, structure):
    """A club with a member who appears, a public offer, a published practice sheet, a call and a meeting's guest:
    the keys of the club's public pages."""
    from essaim.club.models import MeetingGuest
    from tests.club.factories import (
        CallFactory,
        ClubFactory,
        ListingFactory,
        MeetingFactory,
        MemberFactory,
        PracticeSheetFactory,
    )

    club = ClubFactory(territory=territory, slug="club-des-entrepreneurs")
    member = MemberFactory(club=club, structure=structure)
    listing = ListingFactory(member=member)
    practice = PracticeSheetFactory(member=member, published=True)
    call = CallFactory(club=club)
    guest = MeetingGuest.objects.create(
        meeting=MeetingFactory(club=club), name="Invitée", email="invitee@example.org", token="jeton-de-l-invite"
    )
    return {
        "club": club.slug,
        "listing": listing.pk,
        "practice": practice.pk,
        "call": call.pk,
        "guest_token": guest.token,
    }


# --- the values sent ------------------------------------------------------------------------------------------------

any_text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=40)
control_text = st.text(alphabet=st.characters(max_codepoint=0x9F, exclude_categories=("Cs",)), max_size=12)
huge_int = st.one_of(
    st.integers(min_value=-(10**40), max_value=10**40), st.sampled_from([2**31, 2**63, 10**30, -1, 0])
).map(str)
number = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["nan", "inf", "-inf", "1e308", "-1e308", "1e-320", "1,5", "1 000,50", "٣", "0x10"]),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
)
date_text = st.one_of(
    st.dates().map(str),
    st.tuples(st.integers(-5, 99999), st.integers(-1, 14), st.integers(-1, 40)).map(
        lambda t: f"{t[0]}-{t[1]:02d}-{t[2]:02d}"
    ),
    st.sampled_from(["0", "0001-01-01", "9999-12-31", "1970-01-01", "2026-02-30", "2026-13", "31/12/2026", "9999-12"]),
    st.tuples(st.integers(-1, 99999), st.integers(-1, 14)).map(lambda t: f"{t[0]}-{t[1]:02d}"),
)
coordinates = st.one_of(
    st.lists(number, min_size=1, max_size=5).map(",".join),
    st.lists(st.floats(-200, 200), min_size=2, max_size=4).map(lambda xs: ",".join(f"{x:.4f}" for x in xs)),
)


# Values that broke a page once (issue #15) or break parsers often: drawn as often as each kind below.
NASTY = [
    "\x00",
    "a\x00b",
    "\x1b[31m",
    "\x7f",
    "\x85",
    str(10**30),
    "-" + str(10**30),
    str(2**63),
    "²",
    "¹⁹⁹⁹",
    "٣",
    "nan",
    "inf",
    "1e308",
    "nan,nan,nan,nan",
    "inf,-inf,inf,inf",
    "-1e308,-1e308,1e308,1e308",
    "0",
    "0001-01-01",
    "9999-12-31",
    "9999-12",
    "0001-01",
    "",
    " ",
    "'; --",
    "<script>",
    "%",
    "../",
    "é" * 300,
]


# Each parameter of each page gets each of these alone, at every run.
SWEEP = ["\x00", str(10**30), "nan,nan,nan,nan", "0001-01-01", "9999-12-31"]


def value_strategy(known):
    return st.one_of(
        st.sampled_from(NASTY),
        st.sampled_from(known or [""]),
        any_text,
        control_text,
        huge_int,
        number,
        date_text,
        coordinates,
    )


def params_strategy(names, known_values):
    """A query string: some of the page's parameters (one or two values each) and, now and then, an unknown one."""
    pairs = [
        st.tuples(st.just(name), st.lists(value_strategy(known_values.get(name)), min_size=1, max_size=2))
        for name in names
    ]
    if not pairs:
        return st.lists(st.tuples(any_text, st.lists(any_text, max_size=1)), max_size=1)
    return st.lists(st.one_of(*pairs, st.tuples(any_text, st.lists(any_text, max_size=1))), max_size=4)


def path_of(name, dataset):
    args, _ = PAGES[name]
    return reverse(name, args=[dataset[a] for a in args])


@pytest.mark.parametrize("name", sorted(PAGES))
def test_no_query_string_makes_a_server_error(client, dataset, name):
    """Never a 500 (nor an exception in the test client, which re-raises them) on any query string: first each
    parameter alone with each of the values that broke pages once (a sweep, the same at every run), then
    hypothesis's combinations of arbitrary values."""
    path = path_of(name, dataset)
    names = PAGES[name][1]
    for param in names:
        for value in SWEEP:
            response = client.get(path, {param: value})
            assert response.status_code < 500, (path, param, value, response.status_code)

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(pairs=params_strategy(names, dataset["known"]), htmx=st.booleans())
    def check(pairs, htmx):
        query = {}
        for key, values in pairs:
            query.setdefault(key, []).extend(values)
        headers = {"HX-Request": "true"} if htmx else {}
        response = client.get(path, query, headers=headers)
        assert response.status_code < 500, (path, query, response.status_code)

    check()
