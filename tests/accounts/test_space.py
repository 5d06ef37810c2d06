""" "Mon espace": one page per person listing what is theirs, block by block, each with its link or what to do."""

import datetime
import json
from html import unescape

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from essaim.agenda.enums import Publication, RegistrationStatus
from essaim.directory.enums import RequestStatus
from essaim.grants.enums import ApplicationState, GrantForm
from essaim.grants.models import Application
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.agenda.factories import EventFactory, RegistrationFactory, SessionFactory, in_days
from tests.directory.factories import StructureClaimFactory
from tests.grants.factories import SchemeFactory

SPACE = "/compte/"


def text(response):
    return unescape(response.content.decode()).replace("\u00a0", " ")


def application(user, state, title):
    scheme = SchemeFactory()
    return Application.objects.create(
        scheme=scheme,
        rule=scheme.rules.first(),
        applicant=user,
        form=GrantForm.START,
        project_title=title,
        state=state,
    )


@pytest.mark.django_db
def test_a_new_person_sees_every_empty_state_with_what_to_do_next(client):
    client.force_login(UserFactory())
    page = text(client.get(SPACE))
    assert "Vous n'êtes inscrit·e à aucun événement à venir" in page and reverse("agenda:list") in page
    assert "Simuler une aide" in page and reverse("grants:simulator") in page
    assert "Revendiquer la fiche de votre structure" in page and reverse("directory:submit") in page
    assert "Proposer un événement" in page and reverse("agenda:propose") in page
    assert "Mes territoires" not in page  # no role, no such block
    assert reverse("accounts:export") in page and reverse("accounts:erase") in page
    assert reverse("accounts:profile_edit") in page and reverse("account_email") in page


@pytest.mark.django_db
def test_registrations_upcoming_first_with_their_cancel_link_past_ones_apart(client):
    user = UserFactory(email="lea@asso.example")
    later = RegistrationFactory(email="lea@asso.example", session=SessionFactory(start=in_days(20)))
    sooner = RegistrationFactory(
        email="lea@asso.example", session=SessionFactory(start=in_days(3)), status=RegistrationStatus.WAITLISTED
    )
    past = RegistrationFactory(email="lea@asso.example", session=SessionFactory(start=in_days(-10)))
    RegistrationFactory(email="lea@asso.example", session=SessionFactory(start=in_days(5)), status="cancelled")
    RegistrationFactory(email="autre@asso.example", session=SessionFactory(start=in_days(4)))
    client.force_login(user)
    response = client.get(SPACE)
    assert response.context["blocks"][0][0].key == "inscriptions"
    data = dict((b.key, d) for b, d in response.context["blocks"])["inscriptions"]
    assert data["upcoming"] == [sooner, later]
    assert data["past"] == [past]
    page = text(response)
    assert "sur liste d'attente" in page
    assert reverse("accounts:registration_cancel", args=[later.pk]) in page
    assert reverse("accounts:registration_cancel", args=[past.pk]) not in page
    assert "2 inscriptions à venir" in page


@pytest.mark.django_db
def test_cancelling_my_registration_frees_the_seat_for_the_waiting_list(client, django_capture_on_commit_callbacks):
    session = SessionFactory(start=in_days(5), capacity=1)
    mine = RegistrationFactory(session=session, email="lea@asso.example")
    waiting = RegistrationFactory(session=session, status=RegistrationStatus.WAITLISTED)
    client.force_login(UserFactory(email="lea@asso.example"))
    url = reverse("accounts:registration_cancel", args=[mine.pk])
    assert "Confirmer l'annulation" in text(client.get(url))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    mine.refresh_from_db()
    waiting.refresh_from_db()
    assert mine.status == RegistrationStatus.CANCELLED
    assert waiting.status == RegistrationStatus.CONFIRMED
    assert "est annulée" in text(response)
    assert any(waiting.email in m.to for m in mail.outbox)


@pytest.mark.django_db
def test_nobody_cancels_someone_elses_registration(client):
    other = RegistrationFactory(email="autre@asso.example", session=SessionFactory(start=in_days(5)))
    client.force_login(UserFactory(email="lea@asso.example"))
    url = reverse("accounts:registration_cancel", args=[other.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    other.refresh_from_db()
    assert other.status == RegistrationStatus.CONFIRMED


@pytest.mark.django_db
def test_grant_applications_with_their_state_and_the_next_step_expected(client):
    user = UserFactory()
    application(user, ApplicationState.INCOMPLETE, "Ressourcerie des Terrils")
    application(user, ApplicationState.DRAFT, "Café citoyen")
    application(UserFactory(), ApplicationState.DRAFT, "Le projet d'une autre personne")
    client.force_login(user)
    page = text(client.get(SPACE))
    assert "Ressourcerie des Terrils" in page and "incomplète : pièces demandées" in page
    assert "Complétez les pièces demandées" in page
    assert "Complétez votre demande, puis déposez-la." in page
    assert "Le projet d'une autre personne" not in page
    assert "incomplete" not in page  # labels, never codes


@pytest.mark.django_db
def test_structures_i_manage_with_the_edit_link_and_my_pending_and_refused_claims(client):
    user = UserFactory()
    managed = StructureClaimFactory(user=user, status=RequestStatus.APPROVED, structure__name="APIC")
    pending = StructureClaimFactory(user=user, structure__name="L'Effet déco")
    StructureClaimFactory(user=user, status=RequestStatus.REJECTED, reason="Pas de lien avec la structure.")
    StructureClaimFactory(status=RequestStatus.APPROVED, structure__name="La structure d'une autre")
    client.force_login(user)
    page = text(client.get(SPACE))
    assert reverse("directory:edit", args=[managed.structure.slug]) in page
    assert "Demandes en attente" in page and pending.structure.name in page
    assert "Pas de lien avec la structure." in page
    assert "La structure d'une autre" not in page
    assert "1 structure gérée" in page


@pytest.mark.django_db
def test_events_i_proposed_with_their_moderation_state(client):
    user = UserFactory()
    EventFactory(proposed_by=user, title="Portes ouvertes", publication=Publication.PROPOSED)
    EventFactory(
        proposed_by=user, title="Atelier vélo", publication=Publication.REJECTED, moderation_note="Hors territoire."
    )
    client.force_login(user)
    page = text(client.get(SPACE))
    assert "Portes ouvertes" in page and "proposé, en attente de modération" in page
    assert "Atelier vélo" in page and "refusé" in page and "Hors territoire." in page
    assert "1 en attente de modération" in page


@pytest.mark.django_db
def test_staff_see_their_territories_with_the_pages_they_may_use(client):
    membership = MembershipFactory()
    client.force_login(membership.user)
    page = text(client.get(SPACE))
    assert "Mes territoires" in page and membership.territory.name in page
    assert reverse("backoffice:territory", args=[membership.territory.slug]) in page
    assert reverse("agenda:manage_territory", args=[membership.territory.slug]) in page
    elected = MembershipFactory(elected=True)
    client.force_login(elected.user)
    page = text(client.get(SPACE))
    assert reverse("backoffice:figures", args=[elected.territory.slug]) in page
    assert f'href="{reverse("backoffice:territory", args=[elected.territory.slug])}"' not in page


@pytest.mark.django_db
def test_the_query_count_of_mon_espace_does_not_grow_with_what_it_lists(client, django_assert_num_queries):
    """Session, user, memberships, registrations (2), applications, accompanied projects, partner adviser's
    partners, claims, the club's member structures and roles, proposed events, newsletter subscriptions."""
    user = UserFactory(email="lea@asso.example")
    for days in (3, 9, -4):
        RegistrationFactory(email="lea@asso.example", session=SessionFactory(start=in_days(days)))
    for state in (ApplicationState.DRAFT, ApplicationState.SUBMITTED):
        application(user, state, "Projet")
    StructureClaimFactory.create_batch(2, user=user, status=RequestStatus.APPROVED)
    EventFactory.create_batch(2, proposed_by=user, publication=Publication.PROPOSED)
    client.force_login(user)
    with django_assert_num_queries(13):
        assert client.get(SPACE).status_code == 200


@pytest.mark.django_db
def test_the_export_holds_what_mon_espace_shows(client):
    user = UserFactory(email="lea@asso.example")
    RegistrationFactory(email="lea@asso.example", session=SessionFactory(start=in_days(3)), phone="03 21 00 00 00")
    application(user, ApplicationState.DRAFT, "Ressourcerie")
    StructureClaimFactory(user=user)
    EventFactory(proposed_by=user, publication=Publication.PROPOSED)
    client.force_login(user)
    data = json.loads(client.get(reverse("accounts:export")).content)
    assert data["inscriptions"][0]["phone"] == "03 21 00 00 00"
    assert data["demandes-d-aide"][0]["project_title"] == "Ressourcerie"
    assert data["demandes-d-aide"][0]["state"] == "brouillon"
    assert len(data["structures"]) == 1 and len(data["evenements-proposes"]) == 1


@pytest.mark.django_db
def test_a_block_shows_nothing_when_its_function_returns_none(rf):
    from essaim.www.accounts.space import blocks_for

    request = rf.get(SPACE)
    request.user = UserFactory()
    assert "territoires" not in [block.key for block, _ in blocks_for(request)]
    assert timezone.now() - request.user.date_joined < datetime.timedelta(minutes=5)
