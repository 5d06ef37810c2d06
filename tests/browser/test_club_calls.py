"""Calls for projects and a joint answer in a real browser (rows from factories, every page checked by axe-core):
a facilitator posts a call; a lead creates a joint answer and invites two partners; they accept; the partners share
tasks (one creates, the other marks it done), post a message; the lead splits the budget, records the answer won and
starts the grant application of the territory's scheme."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import PASSWORD
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def login(page, user, next_path):
    page.context.clear_cookies()
    page.goto(f"/compte/connexion/?next={next_path}")
    form = page.locator("main form").filter(has=page.locator("input[type=password]")).first
    form.locator("input[type=email]").fill(user.email)
    form.locator("input[type=password]").fill(PASSWORD)
    form.get_by_role("button", name=re.compile(r"^Se connecter")).click()
    page.wait_for_url(re.compile(re.escape(next_path) + r"$"))


def test_post_a_call_answer_together_share_tasks_split_the_budget_win_and_apply(page, live_server, js_errors):
    from django.utils import timezone

    from essaim.club.enums import AnswerStatus, PartnerStatus
    from essaim.club.models import Call, JointAnswer
    from tests.club.factories import ClubFactory, facilitator, member_user
    from tests.grants.factories import SchemeFactory

    club = ClubFactory(name="Club des entrepreneurs de l'ESS")
    staff = facilitator(club)
    lead_user, lead = member_user(club, structure__name="L'Effet déco")
    one_user, one = member_user(club, structure__name="Maison de la poésie")
    two_user, two = member_user(club, structure__name="CAE Artois")
    SchemeFactory(territory=club.territory)
    deadline = timezone.localdate() + datetime.timedelta(days=30)

    # A facilitator posts a call.
    login(page, staff, f"/club/{club.slug}/gestion/appels/nouveau/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Publier un appel à projets")
    page.get_by_role("button", name="Publier l'appel").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page, context="appel : erreurs")
    page.get_by_label("Titre").fill("Coopérer pour entreprendre autrement")
    page.get_by_label("Financeur").fill("Région Hauts-de-France")
    page.get_by_label("Montant (€)").fill("60000")
    page.get_by_label("Date limite de dépôt").fill(deadline.isoformat())
    page.get_by_role("button", name="Publier l'appel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Coopérer pour entreprendre autrement")
    call = Call.objects.get()
    assert_accessible(page, context="appel publié")

    # The lead answers together and invites two partners.
    login(page, lead_user, f"/club/{club.slug}/appels/")
    assert_accessible(page, context="liste des appels")
    page.get_by_role("link", name="Coopérer pour entreprendre autrement").click()
    page.get_by_role("link", name="Répondre ensemble").click()
    assert_accessible(page, context="nouvelle réponse")
    page.get_by_label("Intitulé du projet").fill("Atelier partagé de réemploi")
    page.get_by_label("Montant demandé (€)").fill("30000")
    page.get_by_role("button", name="Créer la réponse commune").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Atelier partagé de réemploi")
    answer = JointAnswer.objects.get(call=call)
    for name in ("Maison de la poésie", "CAE Artois"):
        page.get_by_label("Structure membre à inviter").select_option(label=name)
        page.get_by_role("button", name="Inviter", exact=True).click()
        expect(page.get_by_role("status")).to_contain_text(f"{name} est invitée")
    assert_accessible(page, context="espace de travail du chef de file")
    assert answer.partners.filter(status=PartnerStatus.INVITED).count() == 2

    # They accept: one from the list of their answers, the other from the invitation's page.
    login(page, one_user, f"/club/{club.slug}/espace/reponses/")
    assert_accessible(page, context="mes réponses : invitation")
    page.get_by_role("button", name=re.compile("^Accepter")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Atelier partagé de réemploi")
    answer_path = f"/club/{club.slug}/espace/reponses/{answer.pk}/"
    login(page, two_user, answer_path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Invitation à répondre ensemble")
    assert_accessible(page, context="invitation")
    page.get_by_role("button", name="Accepter l'invitation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Atelier partagé de réemploi")
    assert answer.partners.filter(status=PartnerStatus.ACCEPTED).count() == 3

    # The partners share a task and talk.
    tasks = page.get_by_role("region", name="Tâches")
    tasks.get_by_role("textbox", name=re.compile("Tâche")).fill("Programme des ateliers")
    tasks.get_by_label("Qui s'en charge").select_option(label=one_user.full_name or one_user.email)
    tasks.get_by_role("button", name="Ajouter la tâche").click()
    expect(page.get_by_role("region", name="Tâches").get_by_role("rowheader")).to_have_text(["Programme des ateliers"])
    page.get_by_label("Votre message").fill("J'ai ajouté la tâche du programme.")
    page.get_by_role("button", name="Publier le message").click()
    expect(page.get_by_role("region", name="Discussion")).to_contain_text("J'ai ajouté la tâche du programme.")
    login(page, one_user, answer_path)
    page.get_by_role("button", name=re.compile("^Marquer faite")).click()
    expect(page.get_by_role("region", name="Tâches").locator(".badge-success")).to_have_text("faite")
    assert_accessible(page, context="espace de travail d'un partenaire")

    # The lead splits the budget, records the outcome and starts the grant application.
    login(page, lead_user, answer_path)
    partners = page.get_by_role("region", name="Partenaires et budget")
    for name, share in (("L'Effet déco", "14000"), ("Maison de la poésie", "9000"), ("CAE Artois", "9000")):
        partners.get_by_label(re.compile(f"Part.*{re.escape(name)}")).fill(share)
        partners.get_by_role("button", name=re.compile(f"Enregistrer.*{re.escape(name)}")).click()
        expect(page.get_by_role("status")).to_contain_text(f"Part de {name} enregistrée")
    expect(page.get_by_role("region", name="Partenaires et budget")).to_contain_text("dépasse le montant demandé")
    assert_accessible(page, context="budget dépassé")
    page.get_by_label("La réponse est").select_option(label="déposée")
    page.get_by_role("button", name="Enregistrer le résultat").click()
    page.get_by_label("La réponse est").select_option(label="retenue")
    page.get_by_label("Montant obtenu (€)").fill("28000")
    page.get_by_role("button", name="Enregistrer le résultat").click()
    expect(page.get_by_role("region", name="Résultat")).to_contain_text("retenue")
    assert_accessible(page, context="réponse retenue")
    page.get_by_role("button", name="Créer la demande d'aide Entreprendre Autrement").click()
    expect(page).to_have_url(re.compile(r"/aides/"))
    answer.refresh_from_db()
    assert answer.status == AnswerStatus.WON
    assert answer.grant_application.project_title == "Atelier partagé de réemploi"
    assert not js_errors
