"""Support for project holders in a real browser, on the whole demo (``essaim demo``, whatever the day): a person
books a permanence without an account, moves it by the link of their mail, is reminded, and is marked seen; the
officer opens a project from the booking and refers it to the BGE; the BGE's adviser takes it in charge and closes
it; the holder starts a grant application from the project and finds it all in "Mon espace". Every page is checked
by axe-core."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible

EMAIL = "camille.lefebvre@example.org"


def link_in(message, pattern):
    (url,) = re.findall(pattern, message.body)
    return url


@pytest.fixture
def territory_slug(demo_site):
    from essaim.territories.models import Territory

    return Territory.objects.get(siren="200072460").slug


def test_book_move_remind_see_refer_take_in_charge_close_and_apply(
    demo_site, demo_page, js_errors, demo_no_third_party, territory_slug
):
    from essaim.accounts.models import User
    from essaim.support.enums import BookingStatus, ReferralStatus
    from essaim.support.models import Booking
    from essaim.support.tasks import send_booking_reminder

    page = demo_page
    motif_path = f"/accompagnement/{territory_slug}/premier-rendez-vous-creation/"

    # A person without an account finds the permanence from the menu and books the first free slot.
    page.goto("/")
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Accompagnement").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page, context="accompagnement du territoire")
    page.goto(motif_path)
    assert_accessible(page, context="créneaux d'un motif")
    if page.locator(".slot-list a").count() == 0:  # none left this week: the page points to the next free one
        page.get_by_text("Prochain créneau libre").get_by_role("link").click()
    page.locator(".slot-list a").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Réserver")
    page.get_by_role("button", name="Confirmer le rendez-vous").click()
    expect(page.locator(".error-summary, [role=alert]").first).to_be_visible()  # nothing typed: said in French
    page.get_by_label("Nom et prénom").fill("Camille Lefebvre")
    page.get_by_label("Adresse e-mail").fill(EMAIL)
    page.get_by_label("Votre projet en quelques lignes").fill("Une épicerie solidaire itinérante dans le Bruaysis.")
    page.get_by_label(re.compile("J'accepte que mes nom")).check()
    assert_accessible(page, context="réservation")
    mail.outbox = []
    page.get_by_role("button", name="Confirmer le rendez-vous").click()
    expect(page.get_by_role("main")).to_contain_text("Camille Lefebvre")
    booking = Booking.objects.get(email=EMAIL)
    first_start = booking.starts_at
    (confirmation,) = [m for m in mail.outbox if m.to == [EMAIL]]
    assert [name for name, _, _ in confirmation.attachments] == ["rendez-vous.ics"]

    # The mail's link moves it to another slot.
    manage = link_in(confirmation, r"https?://\S+/accompagnement/rendez-vous/[0-9a-f-]+/")
    page.goto(manage)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mon rendez-vous")
    assert_accessible(page, context="mon rendez-vous")
    page.get_by_role("link", name="Déplacer").click()
    page.locator("#move-title ~ form input[type=radio]").first.check()
    page.get_by_role("button", name="Déplacer mon rendez-vous").click()
    expect(page.get_by_role("main")).to_contain_text("déplacé")
    moved = Booking.objects.get(email=EMAIL, status=BookingStatus.BOOKED)
    assert moved.starts_at != first_start
    assert Booking.objects.get(email=EMAIL, status=BookingStatus.EXCUSED).starts_at == first_start

    # Reminded 48 h before (the worker runs the queued task): the mail holds the same link.
    mail.outbox = []
    assert send_booking_reminder.call(moved.pk) is True
    (reminder,) = mail.outbox
    assert urlsplit(manage).path in reminder.body  # the same link (the worker writes the configured site address)

    # The day comes: the officer marks the person seen, then opens a project from the booking.
    # started an hour ago, or at midnight when the suite runs just after it (the day's page lists today's bookings)
    midnight = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time(0)))
    earlier = max(timezone.now() - datetime.timedelta(hours=1), midnight)
    Booking.objects.filter(pk=moved.pk).update(starts_at=earlier, ends_at=earlier + datetime.timedelta(minutes=45))
    demo_site.login(page, "agent@bethune-bruay.example")
    page.goto(f"/accompagnement/gestion/{territory_slug}/agenda/?date={timezone.localdate():%Y-%m-%d}")
    row = page.locator("tr", has_text="Camille Lefebvre")
    row.get_by_role("button", name="Vu·e").click()
    expect(page.locator("tr", has_text="Camille Lefebvre")).to_contain_text("Vu·e")
    expect(page.get_by_role("button", name="Vu·e")).to_have_count(0)
    assert_accessible(page, context="journée du conseiller")
    page.locator("tr", has_text="Camille Lefebvre").get_by_role("button", name=re.compile("Ouvrir le projet")).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    project_url = page.url
    assert_accessible(page, context="fiche projet (équipe)")
    page.locator("#id_partner").select_option(label="BGE Hauts-de-France")
    page.get_by_role("textbox", name="Message au partenaire").fill("Étude de marché et prévisionnel.")
    page.get_by_role("button", name="Orienter").click()
    expect(page.locator("#referrals-title ~ ul")).to_contain_text("BGE Hauts-de-France")
    booking = Booking.objects.get(pk=moved.pk)
    assert booking.status == BookingStatus.SEEN and booking.project is not None
    project = booking.project

    # The BGE's adviser takes it in charge from their board, then closes it.
    page.context.clear_cookies()
    demo_site.login(page, "bge@essaim.example", next_path="/accompagnement/partenaire/")
    assert_accessible(page, context="orientations du partenaire")
    card = page.locator("li, tr, article", has_text=project.title).last
    card.get_by_role("button", name="Prendre en charge").click()
    page.goto(project_url)
    expect(page.locator("#referrals-title ~ ul")).to_contain_text("pris en charge")
    page.get_by_role("button", name="Clôturer : aide apportée").click()
    referral = project.referrals.get()
    assert referral.status == ReferralStatus.DONE
    assert [(t.from_status, t.to_status) for t in referral.transitions.all()] == [
        ("", ReferralStatus.QUO),
        (ReferralStatus.QUO, ReferralStatus.TAKING_CARE),
        (ReferralStatus.TAKING_CARE, ReferralStatus.DONE),
    ]

    # The holder, with an account of the same address, starts a prefilled grant application from the project.
    holder = User.objects.create_user(email=EMAIL, password=demo_site.password, full_name="Camille Lefebvre")
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=holder, email=EMAIL, verified=True, primary=True)
    page.context.clear_cookies()
    demo_site.login(page, EMAIL)
    section = page.locator("#mon-projet")
    expect(section).to_contain_text(project.title)
    assert_accessible(page, context="mon espace du porteur")
    page.goto(project_url)
    expect(page.get_by_role("main")).not_to_contain_text("Notes de suivi")
    page.get_by_role("link", name="Commencer une demande d'aide préremplie").click()
    assert_accessible(page, context="demande d'aide depuis le projet")
    page.get_by_role("button", name=re.compile("Commencer")).click()
    expect(page).to_have_url(re.compile(r"/aides/demandes/\d+/"))
    application = project.applications.get().application
    assert application.applicant == holder and application.project_title == project.title
    page.goto("/compte/")
    expect(page.locator("#mon-projet")).to_contain_text(application.reference)
    assert not js_errors, js_errors
    demo_no_third_party()
