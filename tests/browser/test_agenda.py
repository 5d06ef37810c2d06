"""The agenda in a real browser, from a fresh ``essaim demo`` (``demo_site``, whatever the day): a visitor registers
to the next café citoyen of a recurring series and cancels from the mail's link; an officer rolls last November's
campaign to next year and reviews a draft; the campaign report (table, chart, CSV, PDF) read by the officer and the
élue; a structure member proposes a multi-session event to the next campaign; the officer checks people in on a
phone. Every page checked by axe-core, no request leaving the site. Each test makes its own data."""

import datetime
import re
import uuid

from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from essaim.core.recurrence import WEEKDAYS
from tests.browser.conftest import assert_accessible

CAFE = "Café citoyen de L'Effet déco"


def recent_campaign():
    from essaim.agenda.demo import recent_november_year
    from essaim.agenda.models import Campaign

    return Campaign.objects.get(slug=f"mois-de-l-ess-{recent_november_year(timezone.localdate())}")


def test_visitor_registers_to_the_next_cafe_citoyen_and_cancels(demo_site, demo_page, js_errors, demo_no_third_party):
    page = demo_page
    page.goto("/agenda/?type=cafe_citoyen")
    expect(page.get_by_role("heading", level=1)).to_have_text("Agenda de l’ESS")
    assert_accessible(page, context="agenda des cafés citoyens")
    page.get_by_role("link", name=CAFE).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(CAFE)
    assert_accessible(page, context="café citoyen récurrent")

    email = f"zoe.{uuid.uuid4().hex[:8]}@exemple.example"
    mail.outbox.clear()
    radios = page.get_by_role("radio")
    if radios.count():
        radios.first.check()  # the next occurrence of the series
    page.get_by_label("Nom et prénom").fill("Zoé Hennebelle")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label(re.compile("J'accepte que mes nom")).check()
    page.get_by_role("button", name="Je m’inscris").click()
    expect(page.get_by_role("status").first).to_contain_text("Inscription confirmée")
    assert_accessible(page, context="inscription confirmée")

    (confirmation,) = [m for m in mail.outbox if m.to == [email]]
    ics = confirmation.attachments[0][1]
    assert b"FREQ=MONTHLY" not in (ics if isinstance(ics, bytes) else ics.encode())  # the one occurrence registered to
    page.goto(re.search(r"https?://\S+/annuler/", confirmation.body).group(0))
    expect(page.get_by_role("heading", level=1)).to_have_text("Annuler mon inscription")
    page.get_by_role("button", name="Confirmer l’annulation").click()
    expect(page.get_by_role("status").first).to_contain_text("Votre inscription est annulée")
    assert_accessible(page, context="annulation")
    assert not js_errors
    demo_no_third_party()


def test_officer_rolls_last_november_to_next_year_and_reviews_a_draft(
    demo_site, demo_page, js_errors, demo_no_third_party
):
    from essaim.agenda.models import Event, Session

    campaign = recent_campaign()
    title = f"Atelier du navigateur {uuid.uuid4().hex[:6]}"
    event = Event.objects.create(
        territory=campaign.territory, campaign=campaign, title=title, event_type="atelier", publication="published"
    )
    day = datetime.date(campaign.start_date.year, 11, 18)
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(14)))
    Session.objects.create(event=event, start=start, end=start + datetime.timedelta(hours=2))

    page = demo_page
    demo_site.login(page, "agent@bethune-bruay.example", next_path="/agenda/gestion/bethune-bruay/")
    assert_accessible(page, context="gestion de l'agenda")
    page.get_by_role("link", name=f"reconduire l’an prochain {campaign.name}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Reconduire : {campaign.name}")
    row = page.get_by_role("row").filter(has_text=title)
    expect(row).to_contain_text("brouillon à créer")
    expect(row).to_contain_text(WEEKDAYS[day.weekday()])  # the same weekday next year
    assert_accessible(page, context="reconduire (confirmation)")
    page.get_by_role("button", name=re.compile(r"^Reconduire 1 événement en brouillon")).click()
    expect(page.get_by_role("status").first).to_contain_text("1 événement copié en brouillon")
    assert_accessible(page, context="reconduire (résumé)")
    page.get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator("main")).to_contain_text("Reconduit de la campagne précédente")
    expect(page.locator("main")).to_contain_text("Brouillon")
    assert_accessible(page, context="brouillon reconduit")
    copy = Event.objects.get(rolled_from=event)
    moved = timezone.localtime(copy.sessions.get().start)
    assert moved.year == day.year + 1 and moved.weekday() == day.weekday() and moved.hour == 14
    assert not js_errors
    demo_no_third_party()


def test_the_campaign_report_for_the_officer_and_the_elue(demo_site, demo_page, js_errors, demo_no_third_party):
    campaign = recent_campaign()
    page = demo_page
    report = f"/agenda/gestion/bethune-bruay/campagnes/{campaign.pk}/bilan/"
    demo_site.login(page, "agent@bethune-bruay.example", next_path=report)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Bilan : {campaign.name}")
    expect(page.get_by_role("table", name="Par type d'événement")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("Par commune"))).to_be_visible()
    assert_accessible(page, context="bilan de campagne")
    with page.expect_download() as download:
        page.get_by_role("link", name="Données en CSV").click()
    assert download.value.suggested_filename == f"bilan-{campaign.slug}.csv"
    pdf = page.request.get(report.replace("/bilan/", "/bilan.pdf"))
    assert pdf.ok and pdf.body().startswith(b"%PDF")

    page.context.clear_cookies()
    demo_site.login(page, "elu@bethune-bruay.example", next_path=report)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Bilan : {campaign.name}")
    expect(page.get_by_role("link", name="Reconduire l’an prochain")).to_have_count(0)
    assert "@exemple.example" not in page.content()
    assert_accessible(page, context="bilan lu par l'élue")
    page.goto("/agenda/gestion/bethune-bruay/")
    expect(page.locator("main")).to_contain_text("Lecture seule")
    expect(page.get_by_role("link", name="Nouvel événement")).to_have_count(0)
    assert_accessible(page, context="agenda en lecture seule")
    assert not js_errors
    demo_no_third_party()


def test_a_structure_member_proposes_a_multi_session_event_to_the_next_campaign(
    demo_site, demo_page, js_errors, demo_no_third_party
):
    from essaim.agenda.models import Event

    upcoming = recent_campaign().rolled_copies.get()
    page = demo_page
    demo_site.login(page, "structure@essaim.example", next_path=upcoming.get_absolute_url())
    expect(page.get_by_role("heading", name="Appel à contributions")).to_be_visible()
    assert_accessible(page, context="campagne en préparation")
    page.get_by_role("link", name="Proposer un événement").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Proposer un événement")
    assert_accessible(page, context="proposer")
    expect(page.get_by_label("Campagne")).to_have_value(str(upcoming.pk))
    structure = page.get_by_label("Structure qui organise")
    if structure.count():
        structure.select_option(index=1)
    title = f"Ateliers réemploi {uuid.uuid4().hex[:6]}"
    page.get_by_label("Titre").fill(title)
    page.get_by_label("Type").select_option("atelier")
    page.get_by_label("Scolaires (collégiens, lycéens)").check()
    page.get_by_label("Nom du lieu").fill("Ressourcerie de Béthune")
    page.get_by_label("Commune du lieu").fill("Béthune")
    first = datetime.date(upcoming.start_date.year, 11, 10)
    page.locator("[name=seances-0-start]").fill(f"{first:%Y-%m-%d}T14:00")
    page.locator("[name=seances-0-end]").fill(f"{first:%Y-%m-%d}T16:00")
    page.locator("[name=seances-1-label]").fill("Seconde séance")
    page.locator("[name=seances-1-start]").fill(f"{first + datetime.timedelta(days=7):%Y-%m-%d}T14:00")
    page.locator("[name=seances-1-end]").fill(f"{first + datetime.timedelta(days=7):%Y-%m-%d}T16:00")
    page.get_by_role("button", name="Proposer l’événement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Proposition envoyée")
    expect(page.locator("main")).to_contain_text("2 séances proposées")
    assert_accessible(page, context="proposition envoyée")
    event = Event.objects.get(title=title)
    assert event.campaign == upcoming and event.publication == "proposed" and event.sessions.count() == 2
    assert not js_errors
    demo_no_third_party()


def test_officer_checks_people_in_on_a_phone(demo_site, demo_page, js_errors, demo_no_third_party):
    from essaim.agenda.models import Event, Registration, Session

    campaign = recent_campaign()
    title = f"Atelier pointage {uuid.uuid4().hex[:6]}"
    event = Event.objects.create(
        territory=campaign.territory,
        title=title,
        event_type="atelier",
        publication="published",
        registration_mode="here",
    )
    start = timezone.now() + datetime.timedelta(hours=1)
    session = Session.objects.create(event=event, start=start, end=start + datetime.timedelta(hours=2), capacity=3)
    for n in range(3):
        Registration.objects.create(
            session=session, name=f"Personne {n}", email=f"p{n}.{title[-6:]}@exemple.example", status="confirmed"
        )
    page = demo_page
    page.set_viewport_size({"width": 390, "height": 844})
    demo_site.login(
        page, "agent@bethune-bruay.example", next_path=f"/agenda/gestion/bethune-bruay/seances/{session.pk}/pointage/"
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text("Pointage")
    assert_accessible(page, context="pointage")
    first = page.locator(".agenda-checkin li").first
    first.get_by_role("button", name=re.compile("^Présent·e")).click()
    expect(page.locator(".agenda-checkin li").first).to_contain_text("présent·e")
    page.reload()
    expect(page.locator("#checkin-count")).to_contain_text("1 présent·e sur 3")
    page.get_by_label("Nombre de participants").fill("4")
    page.get_by_role("button", name="Enregistrer le nombre de participants").click()
    expect(page.get_by_role("status").first).to_contain_text("Nombre de participants enregistré")
    assert_accessible(page, context="participation enregistrée")
    assert not js_errors
    demo_no_third_party()
