"""The project pages as the team, the partner and the holder use them: the board (filters, pagination, a constant
number of queries), the abandoned board, a new project, a project from a booking, the record's actions, the
partner's board, the grant application started from the project, the survey."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from essaim.grants.models import Application
from essaim.support.enums import ProjectKind, ProjectStatus, ReferralStatus, Stage
from essaim.support.models import NextStep, Project, ProjectNote, Referral, SatisfactionSurvey
from essaim.support.services import projects as services
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.directory.factories import StructureFactory
from tests.grants.factories import SchemeFactory
from tests.support.factories import BookingFactory, PartnerAdviserFactory, PartnerFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return MembershipFactory().user


def territory_of(user):
    return user.memberships.get().territory


def make_projects(territory, count, partner, referent):
    projects = Project.objects.bulk_create(
        Project(
            territory=territory,
            title=f"Projet {i:04d}",
            holder_name=f"Porteur {i}",
            stage=Stage.values[i % 5],
            needs=["financing"] if i % 2 else ["premises"],
            referent=referent,
        )
        for i in range(count)
    )
    Referral.objects.bulk_create(Referral(project=p, partner=partner) for p in projects[::2])
    NextStep.objects.bulk_create(
        NextStep(project=p, title="Relancer", due_on=datetime.date(2030, 1, 1)) for p in projects[::3]
    )
    ProjectNote.objects.bulk_create(ProjectNote(project=p, text="n") for p in projects)
    return projects


def test_the_board_takes_a_constant_number_of_queries(client, officer, django_assert_max_num_queries):
    territory = territory_of(officer)
    partner = PartnerFactory(territory=territory)
    client.force_login(officer)
    url = reverse("support:board", kwargs={"slug": territory.slug})
    make_projects(territory, 20, partner, officer)
    with django_assert_max_num_queries(14):
        small = client.get(url)
    make_projects(territory, 180, partner, officer)
    with django_assert_max_num_queries(14):
        big = client.get(url)
    assert small.status_code == big.status_code == 200
    assert "20 projets en cours" in small.content.decode()
    assert "200 projets en cours" in big.content.decode()
    assert "Page 1 sur 4" in big.content.decode()


def test_the_board_filters_by_stage_and_need(client, officer):
    territory = territory_of(officer)
    ProjectFactory(territory=territory, title="Idée financement", stage=Stage.IDEA, needs=["financing"])
    ProjectFactory(territory=territory, title="Étude locaux", stage=Stage.STUDY, needs=["premises"])
    ProjectFactory(title="Ailleurs", stage=Stage.STUDY)
    ProjectFactory(territory=territory, title="Clos", status=ProjectStatus.CLOSED, closed_at=timezone.now())
    client.force_login(officer)
    url = reverse("support:board", kwargs={"slug": territory.slug})
    html = client.get(url).content.decode()
    assert "Idée financement" in html
    assert "Étude locaux" in html
    assert "Ailleurs" not in html
    assert ">Clos<" not in html
    html = client.get(url, {"stage": "study"}).content.decode()
    assert "Étude locaux" in html
    assert "Idée financement" not in html
    html = client.get(url, {"need": "financing"}).content.decode()
    assert "Idée financement" in html
    assert "Étude locaux" not in html
    refused = client.get(url, {"stage": "<script>", "referent": "x", "page": "-1"})
    assert refused.status_code == 400
    assert "Idée financement" in refused.content.decode()
    assert client.get(url, {"page": "-1"}).status_code == 200


def test_abandoned_board_lists_old_unanswered_referrals(client, officer):
    territory = territory_of(officer)
    referral = Referral.objects.create(
        project=ProjectFactory(territory=territory, title="Oublié"), partner=PartnerFactory(territory=territory)
    )
    Referral.objects.filter(pk=referral.pk).update(created_at=timezone.now() - datetime.timedelta(days=50))
    Referral.objects.create(project=ProjectFactory(territory=territory, title="Récent"), partner=referral.partner)
    client.force_login(officer)
    html = client.get(reverse("support:abandoned", kwargs={"slug": territory.slug})).content.decode()
    assert "Oublié" in html
    assert "Récent" not in html


def test_create_a_project_for_a_structure_of_the_directory(client, officer):
    territory = territory_of(officer)
    structure = StructureFactory(siret="73282932000074", name="Ressourcerie du Béthunois")
    client.force_login(officer)
    url = reverse("support:project_create", kwargs={"slug": territory.slug})
    assert client.get(url, {"siret": structure.siret}).status_code == 200
    response = client.post(
        url, {"kind": "development", "structure_siret": "732 829 320 00074", "needs": ["cooperation"]}
    )
    project = Project.objects.get()
    assert response.status_code == 302
    assert response["Location"] == project.get_absolute_url()
    assert (project.kind, project.structure, project.needs) == (ProjectKind.DEVELOPMENT, structure, ["cooperation"])


def test_create_keeps_what_was_typed_and_explains_the_error(client, officer):
    territory = territory_of(officer)
    client.force_login(officer)
    url = reverse("support:project_create", kwargs={"slug": territory.slug})
    response = client.post(url, {"kind": "development", "structure_siret": "123", "idea": "Une idée à garder"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Un SIRET compte 14 chiffres." in html
    assert "Une idée à garder" in html
    assert "<title>Erreur" in html.replace("\n", "").replace("  ", "")
    assert Project.objects.count() == 0


def test_the_adviser_opens_a_project_from_a_booking(client):
    booking = BookingFactory(message="Un café associatif à Bruay")
    client.force_login(booking.adviser)
    response = client.post(reverse("support:project_from_booking", kwargs={"pk": booking.pk}))
    project = Project.objects.get()
    assert response["Location"] == project.get_absolute_url()
    assert project.title == "Un café associatif à Bruay"
    assert client.get(reverse("support:project_from_booking", kwargs={"pk": booking.pk})).status_code == 405


def test_the_team_refers_and_the_partner_takes_in_charge_then_closes(
    client, officer, django_capture_on_commit_callbacks
):
    territory = territory_of(officer)
    project = ProjectFactory(territory=territory, title="Épicerie")
    partner = PartnerFactory(territory=territory, name="BGE Artois")
    adviser = PartnerAdviserFactory(partner=partner).user
    client.force_login(officer)
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("support:referral_create", kwargs={"pk": project.pk}), {"partner": partner.pk})
    referral = Referral.objects.get()
    assert len(mail.outbox) == 1
    client.force_login(adviser)
    board = client.get(reverse("support:partner_board")).content.decode()
    assert "Épicerie" in board
    assert "Prendre en charge" in board
    move = reverse("support:referral_move", kwargs={"pk": referral.pk})
    response = client.post(move, {"to_status": "not_for_me", "comment": "", "next": "board"})
    assert response["Location"] == reverse("support:partner_board")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.QUO
    client.post(move, {"to_status": "taking_care", "next": "board"})
    client.post(move, {"to_status": "done", "comment": "Prêt d'honneur obtenu", "next": "board"})
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DONE
    html = client.get(reverse("support:partner_board")).content.decode()
    assert "Reprendre le suivi" in html


def test_stage_change_and_closure_from_the_record(client, officer, django_capture_on_commit_callbacks):
    project = ProjectFactory(territory=territory_of(officer), holder_email="camille@example.org")
    client.force_login(officer)
    client.post(reverse("support:project_stage", kwargs={"pk": project.pk}), {"stage": "launch", "comment": "Go"})
    project.refresh_from_db()
    assert project.stage == Stage.LAUNCH
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("support:project_close", kwargs={"pk": project.pk}), {"reason": "created"})
    project.refresh_from_db()
    assert project.status == ProjectStatus.CLOSED
    assert len(mail.outbox) == 1
    response = client.post(reverse("support:project_stage", kwargs={"pk": project.pk}), {"stage": "idea"})
    project.refresh_from_db()
    assert project.stage == Stage.LAUNCH
    assert response.status_code == 302


def test_the_holder_starts_a_prefilled_application(client, officer):
    territory = territory_of(officer)
    holder = UserFactory(email="camille@example.org")
    project = ProjectFactory(territory=territory, holder_email="camille@example.org", title="Recyclerie")
    scheme = SchemeFactory(territory=territory)
    client.force_login(holder)
    page = client.get(project.get_absolute_url()).content.decode()
    assert "Commencer une demande d" in page
    response = client.post(reverse("support:project_application", kwargs={"pk": project.pk}), {"scheme": scheme.pk})
    application = Application.objects.get()
    assert response["Location"] == application.get_absolute_url()
    assert application.project_title == "Recyclerie"
    assert application.support_link.project == project


def test_the_survey_is_answered_once_and_a_bad_token_is_a_404(client):
    project = ProjectFactory(status=ProjectStatus.CLOSED, closed_at=timezone.now())
    survey = SatisfactionSurvey.objects.create(project=project, token="abc" * 12, sent_at=timezone.now())
    url = reverse("support:survey", kwargs={"token": survey.token})
    assert client.get(url).status_code == 200
    bad = client.post(url, {"rating": "9", "helped": "yes"})
    assert bad.status_code == 200
    assert "Erreur" in bad.content.decode()
    client.post(url, {"rating": "5", "helped": "partly", "comment": "Merci"})
    survey.refresh_from_db()
    assert (survey.rating, survey.helped) == (5, "partly")
    again = client.post(url, {"rating": "1", "helped": "no"})
    survey.refresh_from_db()
    assert survey.rating == 5
    assert "votre réponse est enregistrée" in again.content.decode()
    assert client.get(reverse("support:survey", kwargs={"token": "nope"})).status_code == 404


def test_note_from_the_record_by_the_team(client, officer):
    project = ProjectFactory(territory=territory_of(officer))
    client.force_login(officer)
    client.post(reverse("support:project_note", kwargs={"pk": project.pk}), {"text": "Appelé ce jour"})
    assert list(project.notes.values_list("text", flat=True)) == ["Appelé ce jour"]
    services.project_close(project=project, reason="abandoned", by=officer)
    response = client.get(project.get_absolute_url())
    assert "Rouvrir le projet" in response.content.decode()
