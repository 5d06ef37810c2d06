"""The project record's services: opening (by hand, for a structure, from a booking), stage, closure with its
survey, notes, documents, the grant application started from the project, retention."""

import datetime
import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from essaim.grants.enums import ApplicationState, GrantForm
from essaim.support.enums import ClosureReason, ProjectKind, ProjectStatus, ReferralStatus, Stage
from essaim.support.models import Booking, Project, ProjectApplication, ProjectNote, SatisfactionSurvey, StageChange
from essaim.support.services import projects as services
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.directory.factories import StructureFactory
from tests.grants.factories import SchemeFactory
from tests.support.factories import BookingFactory, PartnerFactory, ProjectFactory, ReferralFactory, png_upload
from tests.territories.factories import CommuneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return MembershipFactory().user


def territory_of(user):
    return user.memberships.get().territory


def test_project_create_logs_the_first_stage_and_makes_the_officer_referent(officer):
    territory = territory_of(officer)
    project = services.project_create(
        territory=territory, by=officer, title="Épicerie solidaire", holder_email=" Camille@Example.ORG "
    )
    assert project.referent == officer
    assert project.holder_email == "camille@example.org"
    change = StageChange.objects.get(project=project)
    assert (change.from_stage, change.to_stage, change.by) == ("", Stage.IDEA, officer)


def test_project_create_for_a_structure_is_a_development_titled_after_it(officer):
    structure = StructureFactory(name="Ressourcerie du Béthunois")
    project = services.project_create(territory=territory_of(officer), by=officer, structure=structure)
    assert project.kind == ProjectKind.DEVELOPMENT
    assert project.title == "Développement de Ressourcerie du Béthunois"


def test_project_create_refuses_a_development_without_structure_and_unknown_needs(officer):
    with pytest.raises(ValidationError, match="structure"):
        services.project_create(territory=territory_of(officer), by=officer, kind=ProjectKind.DEVELOPMENT, title="x")
    with pytest.raises(ValidationError, match="besoins"):
        services.project_create(territory=territory_of(officer), by=officer, title="x", needs=["teleportation"])
    assert Project.objects.count() == 0


def test_project_from_booking_copies_the_booking_and_sets_the_first_contact():
    booking = BookingFactory(name="Camille Martin", email="Camille@Example.org", phone="0601020304")
    project = services.project_from_booking(booking=booking, by=booking.adviser)
    booking.refresh_from_db()
    assert booking.project == project
    assert (project.holder_name, project.holder_email, project.holder_phone) == (
        "Camille Martin",
        "camille@example.org",
        "0601020304",
    )
    assert project.title == "Une recyclerie solidaire à Béthune."
    assert project.first_contact_at == booking.starts_at
    assert project.referent == booking.adviser
    assert StageChange.objects.filter(project=project, from_stage="").count() == 1


def test_project_from_a_second_booking_links_the_holders_open_project_by_email():
    first = BookingFactory(email="camille@example.org")
    project = services.project_from_booking(booking=first, by=first.adviser)
    earlier = BookingFactory(
        opening_range=first.opening_range,
        email="CAMILLE@example.org",
        starts_at=first.starts_at - datetime.timedelta(days=7),
        ends_at=first.ends_at - datetime.timedelta(days=7),
    )
    again = services.project_from_booking(booking=earlier, by=earlier.adviser)
    assert again.pk == project.pk
    assert Project.objects.count() == 1
    assert Booking.objects.filter(project=project).count() == 2
    again.refresh_from_db()
    assert again.first_contact_at == earlier.starts_at


def test_project_from_booking_twice_returns_the_same_project():
    booking = BookingFactory()
    first = services.project_from_booking(booking=booking, by=booking.adviser)
    second = services.project_from_booking(booking=booking, by=booking.adviser)
    assert first.pk == second.pk
    assert Project.objects.count() == 1


def test_set_stage_logs_the_move_and_refuses_the_same_stage(officer):
    project = ProjectFactory(territory=territory_of(officer))
    services.project_set_stage(project=project, stage=Stage.STUDY, by=officer, comment="Étude de marché lancée")
    project.refresh_from_db()
    assert project.stage == Stage.STUDY
    change = StageChange.objects.get(project=project)
    assert (change.from_stage, change.to_stage, change.comment) == (Stage.IDEA, Stage.STUDY, "Étude de marché lancée")
    with pytest.raises(ValidationError, match="déjà"):
        services.project_set_stage(project=project, stage=Stage.STUDY, by=officer)
    with pytest.raises(ValidationError, match="n'existe pas"):
        services.project_set_stage(project=project, stage="moon", by=officer)


def test_close_closes_open_referrals_and_sends_the_survey(officer, django_capture_on_commit_callbacks):
    project = ProjectFactory(territory=territory_of(officer), holder_email="camille@example.org")
    open_referral = ReferralFactory(project=project, status=ReferralStatus.TAKING_CARE)
    done = ReferralFactory(project=project, status=ReferralStatus.DONE, closed_at=timezone.now())
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        services.project_close(project=project, reason=ClosureReason.CREATED, by=officer)
    project.refresh_from_db()
    open_referral.refresh_from_db()
    done.refresh_from_db()
    assert project.status == ProjectStatus.CLOSED
    assert project.closure_reason == ClosureReason.CREATED
    assert open_referral.status == ReferralStatus.DONE_NO_HELP
    assert "clôturée avec le projet" in open_referral.transitions.get().comment
    assert done.status == ReferralStatus.DONE
    survey = SatisfactionSurvey.objects.get(project=project)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["camille@example.org"]
    assert f"/accompagnement/enquete/{survey.token}/" in mail.outbox[0].body
    assert mail.outbox[0].body.count("http") == 1
    with pytest.raises(ValidationError, match="déjà clos"):
        services.project_close(project=project, reason=ClosureReason.CREATED, by=officer)


def test_close_without_holder_email_sends_no_survey(officer, django_capture_on_commit_callbacks):
    project = ProjectFactory(territory=territory_of(officer), holder_email="")
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        services.project_close(project=project, reason=ClosureReason.NO_NEWS, by=officer)
    assert mail.outbox == []
    assert not SatisfactionSurvey.objects.filter(project=project).exists()


def test_survey_is_answered_once():
    project = ProjectFactory(status=ProjectStatus.CLOSED, closed_at=timezone.now())
    survey = SatisfactionSurvey.objects.create(project=project, token="t" * 40, sent_at=timezone.now())
    with pytest.raises(ValidationError, match="1 à 5"):
        services.survey_answer(survey=survey, rating=6, helped="yes")
    services.survey_answer(survey=survey, rating=4, helped="partly", comment=" Merci ")
    survey.refresh_from_db()
    assert (survey.rating, survey.helped, survey.comment) == (4, "partly", "Merci")
    with pytest.raises(ValidationError, match="déjà répondu"):
        services.survey_answer(survey=survey, rating=1, helped="no")


def test_note_is_refused_to_a_person_who_cannot_see_the_project(officer):
    project = ProjectFactory(territory=territory_of(officer))
    services.note_add(project=project, by=officer, text="Rappeler en janvier")
    with pytest.raises(ValidationError):
        services.note_add(project=project, by=UserFactory(), text="intrusion")
    assert list(ProjectNote.objects.values_list("text", flat=True)) == ["Rappeler en janvier"]


def test_document_is_checked_by_its_content(officer):
    project = ProjectFactory(territory=territory_of(officer))
    fake = SimpleUploadedFile("statuts.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    with pytest.raises(ValidationError, match="ni un PDF"):
        services.document_add(project=project, by=officer, upload=fake)
    document = services.document_add(project=project, by=officer, upload=png_upload())
    assert document.content_type == "image/png"
    assert document.original_name == "plan.png"


def test_application_from_project_prefills_a_draft_for_the_holder(officer):
    territory = territory_of(officer)
    commune = CommuneFactory(name="Béthune")
    holder = UserFactory(email="camille@example.org")
    project = ProjectFactory(
        territory=territory, holder_email="Camille@example.org", commune=commune, title="Recyclerie"
    )
    scheme = SchemeFactory(territory=territory)
    application = services.application_from_project(project=project, scheme=scheme, user=holder)
    assert application.state == ApplicationState.DRAFT
    assert application.applicant == holder
    assert application.form == GrantForm.START
    assert (application.project_title, application.project_commune, application.new_structure_name) == (
        "Recyclerie",
        commune,
        "Recyclerie",
    )
    assert application.project_summary == project.idea
    assert application.steps_done == []
    assert ProjectApplication.objects.get(project=project).application == application
    project.refresh_from_db()
    assert project.holder == holder


def test_application_from_a_development_project_names_the_structure(officer):
    territory = territory_of(officer)
    holder = UserFactory()
    structure = StructureFactory()
    project = ProjectFactory(territory=territory, kind=ProjectKind.DEVELOPMENT, structure=structure, holder=holder)
    application = services.application_from_project(
        project=project, scheme=SchemeFactory(territory=territory), user=holder
    )
    assert application.form == GrantForm.DEVELOPMENT
    assert application.structure == structure


def test_application_from_project_is_refused_to_others_and_another_territorys_scheme(officer):
    territory = territory_of(officer)
    holder = UserFactory()
    project = ProjectFactory(territory=territory, holder=holder)
    with pytest.raises(ValidationError, match="porteur"):
        services.application_from_project(project=project, scheme=SchemeFactory(territory=territory), user=officer)
    with pytest.raises(ValidationError, match="territoire"):
        services.application_from_project(project=project, scheme=SchemeFactory(), user=holder)
    assert ProjectApplication.objects.count() == 0


def test_anonymise_clears_old_closed_projects_only():
    old = timezone.now() - datetime.timedelta(days=40 * 31)
    booking = BookingFactory(name="Camille", email="camille@example.org", phone="06")
    closed = ProjectFactory(
        territory=booking.territory, status=ProjectStatus.CLOSED, closed_at=old, holder_phone="0601"
    )
    Booking.objects.filter(pk=booking.pk).update(project=closed)
    ProjectNote.objects.create(project=closed, text="privé")
    document = services.document_add(project=closed, by=None, upload=png_upload())
    storage = document.file.storage
    assert storage.exists(document.file.name)
    recent = ProjectFactory(status=ProjectStatus.CLOSED, closed_at=timezone.now())
    open_one = ProjectFactory()
    call_command("support_anonymise", stdout=io.StringIO())
    closed.refresh_from_db()
    booking.refresh_from_db()
    assert (closed.holder_name, closed.holder_email, closed.holder_phone) == ("Porteur·se anonymisé·e", "", "")
    assert closed.anonymised_at is not None
    assert closed.notes.count() == 0
    assert closed.documents.count() == 0
    assert not storage.exists(document.file.name)
    assert (booking.name, booking.phone, booking.message) == ("Personne anonymisée", "", "")
    assert booking.email.endswith("@anonyme.invalid")
    recent.refresh_from_db()
    open_one.refresh_from_db()
    assert recent.anonymised_at is None
    assert open_one.anonymised_at is None
    assert recent.holder_email.endswith("@example.org")
    out = io.StringIO()
    call_command("support_anonymise", stdout=out)
    assert out.getvalue().startswith("0 projet")


def test_anonymise_keeps_what_figures_count(officer):
    old = timezone.now() - datetime.timedelta(days=40 * 31)
    project = ProjectFactory(
        territory=territory_of(officer), status=ProjectStatus.CLOSED, closed_at=old, stage=Stage.CREATED
    )
    referral = ReferralFactory(project=project, partner=PartnerFactory(territory=project.territory))
    services.projects_anonymise()
    project.refresh_from_db()
    assert project.stage == Stage.CREATED
    assert project.referrals.get() == referral
