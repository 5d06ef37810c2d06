"""The joint answer's life through its pages and services: creation by a member's person (the lead is an accepted
partner at once), invitations by mail, accept/decline, the budget split against the amount requested, tasks with
owners among the partners' people and late ones flagged, documents checked by content, the thread, the outcome's
workflow, and the grant application of a won answer (form « développement », case « mutualisation ou coopération »)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from essaim.club.enums import AnswerStatus, PartnerStatus
from essaim.club.models import AnswerPartner, JointAnswer
from essaim.club.services import answers as services
from essaim.grants.enums import ApplicationState, DevelopmentCase, GrantForm
from tests.accounts.factories import UserFactory
from tests.club.factories import CallFactory, ClubFactory, facilitator, member_user
from tests.club.factories_calls import consortium, pdf_upload, task_of
from tests.grants.factories import SchemeFactory

pytestmark = pytest.mark.django_db


def _url(c, name="answer", **kwargs):
    return reverse(f"club:{name}", kwargs={"club": c.club.slug, "pk": c.answer.pk, **kwargs})


def test_a_members_person_creates_an_answer_and_its_structure_leads_it(client):
    club = ClubFactory()
    user, member = member_user(club)
    call = CallFactory(club=club)
    client.force_login(user)
    response = client.post(
        reverse("club:answer_new", kwargs={"club": club.slug, "pk": call.pk}),
        {"member": member.pk, "title": "Recyclerie mobile", "summary": "Un camion.", "amount_requested": "30000"},
    )
    answer = JointAnswer.objects.get()
    assert response.status_code == 302
    assert (answer.lead, answer.title, answer.amount_requested, answer.created_by) == (
        member,
        "Recyclerie mobile",
        Decimal("30000.00"),
        user,
    )
    assert list(answer.partners.values_list("member_id", "status")) == [(member.pk, PartnerStatus.ACCEPTED)]


def test_an_answer_keeps_what_was_typed_and_says_what_is_wrong(client):
    club = ClubFactory()
    user, member = member_user(club)
    call = CallFactory(club=club)
    client.force_login(user)
    response = client.post(
        reverse("club:answer_new", kwargs={"club": club.slug, "pk": call.pk}),
        {"member": member.pk, "title": "", "summary": "Gardé tel quel"},
    )
    assert response.status_code == 200
    assert "Gardé tel quel" in response.content.decode()
    assert response.context["form"].errors["title"]
    assert JointAnswer.objects.count() == 0


def test_no_answer_to_a_closed_call_and_not_for_a_structure_one_does_not_act_for():
    club = ClubFactory()
    user, member = member_user(club)
    _, other = member_user(club)
    closed = CallFactory(club=club, deadline=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="date limite"):
        services.answer_create(call=closed, lead=member, by=user, title="Trop tard")
    with pytest.raises(ValidationError, match="au nom"):
        services.answer_create(call=CallFactory(club=club), lead=other, by=user, title="Pas à moi")
    assert JointAnswer.objects.count() == 0


def test_the_lead_invites_a_member_whose_people_get_a_mail(client, mailoutbox, django_capture_on_commit_callbacks):
    c = consortium(title="Tiers-lieu")
    _, newcomer = member_user(c.club)
    client.force_login(c.lead_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(c, "answer_invite"), {"member": newcomer.pk, "role": "Comptabilité"})
    assert response.status_code == 302
    partner = AnswerPartner.objects.get(answer=c.answer, member=newcomer)
    assert (partner.status, partner.role) == (PartnerStatus.INVITED, "Comptabilité")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [newcomer.people.get().user.email]
    assert _url(c) in mailoutbox[0].body


def test_a_member_is_invited_once_but_may_be_invited_again_after_declining():
    c = consortium()
    with pytest.raises(ValidationError, match="déjà invitée"):
        services.partner_invite(answer=c.answer, member=c.invited, by=c.lead_user)
    services.invitation_reply(answer=c.answer, by=c.invited_user, accept=False)
    partner = services.partner_invite(answer=c.answer, member=c.invited, by=c.lead_user)
    assert partner.status == PartnerStatus.INVITED
    assert c.answer.partners.count() == 3


def test_an_invited_member_accepts_then_sees_the_workspace(client):
    c = consortium()
    client.force_login(c.invited_user)
    response = client.post(_url(c, "answer_reply"), {"decision": "accept"})
    assert response.status_code == 302
    assert AnswerPartner.objects.get(answer=c.answer, member=c.invited).status == PartnerStatus.ACCEPTED
    page = client.get(_url(c))
    assert [t.name for t in page.templates][0] == "club/calls/answer.html"
    assert client.post(_url(c, "answer_reply"), {"decision": "decline"}).status_code == 404


def test_an_invited_member_declines_and_the_answers_page_lists_it_no_more(client):
    c = consortium(title="Épicerie solidaire")
    client.force_login(c.invited_user)
    answers = reverse("club:answers", kwargs={"club": c.club.slug})
    assert [a.pk for a in client.get(answers).context["invited"]] == [c.answer.pk]
    client.post(_url(c, "answer_reply"), {"decision": "decline"})
    assert AnswerPartner.objects.get(answer=c.answer, member=c.invited).status == PartnerStatus.DECLINED
    page = client.get(answers)
    assert page.context["invited"] == []
    assert page.context["working"] == []


def test_the_budget_split_warns_when_the_shares_exceed_the_amount_requested(client):
    c = consortium(amount_requested=Decimal("10000.00"))
    lead_partner = AnswerPartner.objects.get(answer=c.answer, member=c.lead)
    partner = AnswerPartner.objects.get(answer=c.answer, member=c.partner)
    client.force_login(c.lead_user)
    prefix = f"p{lead_partner.pk}"
    client.post(
        _url(c, "answer_partner", partner=lead_partner.pk),
        {f"{prefix}-role": "Pilote", f"{prefix}-budget_share": "6000"},
    )
    page = client.get(_url(c))
    assert page.context["budget"]["total"] == Decimal("6000.00")
    assert page.context["budget"]["exceeds"] is False
    prefix = f"p{partner.pk}"
    client.post(_url(c, "answer_partner", partner=partner.pk), {f"{prefix}-budget_share": "5000"})
    page = client.get(_url(c))
    assert page.context["budget"]["total"] == Decimal("11000.00")
    assert page.context["budget"]["exceeds"] is True
    assert "dépasse le montant demandé" in page.content.decode()


def test_a_negative_share_is_refused():
    c = consortium()
    partner = AnswerPartner.objects.get(answer=c.answer, member=c.partner)
    with pytest.raises(ValidationError, match="négative"):
        services.partner_share(partner=partner, by=c.lead_user, role="", budget_share=Decimal("-1"))


def test_partners_share_tasks_and_late_ones_are_flagged(client):
    c = consortium()
    client.force_login(c.lead_user)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(
        _url(c, "answer_task_new"),
        {"title": "Lettre d'intention", "owner": c.partner_user.pk, "due_on": yesterday.isoformat()},
    )
    assert response.status_code == 302
    task = c.answer.tasks.get()
    assert (task.owner, task.partner.member) == (c.partner_user, c.partner)
    page = client.get(_url(c))
    assert page.context["late_count"] == 1
    client.force_login(c.partner_user)
    client.post(_url(c, "answer_task", task=task.pk), {"done": "1"})
    task.refresh_from_db()
    assert task.done_at is not None
    assert client.get(_url(c)).context["late_count"] == 0


def test_a_task_is_owned_by_a_person_of_an_accepted_partner_only():
    c = consortium()
    with pytest.raises(ValidationError, match="personne d'un partenaire"):
        services.task_add(answer=c.answer, by=c.lead_user, title="Budget", owner=c.invited_user)
    assert c.answer.tasks.count() == 0


def test_the_thread_takes_messages_of_partners(client):
    c = consortium()
    client.force_login(c.partner_user)
    client.post(_url(c, "answer_message"), {"body": "Je relis la note."})
    response = client.post(_url(c, "answer_message"), {"body": "   "})
    assert response.status_code == 400
    assert list(c.answer.messages.values_list("body", "author")) == [("Je relis la note.", c.partner_user.pk)]


def test_documents_are_checked_by_content_and_served_to_partners(client):
    c = consortium()
    client.force_login(c.partner_user)
    response = client.post(_url(c, "answer_document_new"), {"file": pdf_upload("budget.pdf")})
    assert response.status_code == 302
    document = c.answer.documents.get()
    assert document.content_type == "application/pdf"
    download = client.get(_url(c, "answer_document", document=document.pk))
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download).startswith(b"%PDF")
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    refused = client.post(_url(c, "answer_document_new"), {"file": fake})
    assert refused.status_code == 400
    assert c.answer.documents.count() == 1


def test_the_outcome_follows_its_workflow(client):
    c = consortium()
    with pytest.raises(ValidationError, match="ne peut pas devenir"):
        services.answer_outcome(answer=c.answer, by=c.lead_user, status=AnswerStatus.WON, amount_awarded=Decimal(1))
    client.force_login(c.lead_user)
    client.post(_url(c, "answer_outcome"), {"status": "submitted"})
    c.answer.refresh_from_db()
    assert (c.answer.status, c.answer.submitted_on) == (AnswerStatus.SUBMITTED, timezone.localdate())
    refused = client.post(_url(c, "answer_outcome"), {"status": "won"})
    assert refused.status_code == 400
    client.post(_url(c, "answer_outcome"), {"status": "won", "amount_awarded": "24000", "note": "Bon dossier."})
    c.answer.refresh_from_db()
    assert (c.answer.status, c.answer.amount_awarded, c.answer.outcome_note) == (
        AnswerStatus.WON,
        Decimal("24000.00"),
        "Bon dossier.",
    )


def _won(c):
    JointAnswer.objects.filter(pk=c.answer.pk).update(
        status=AnswerStatus.WON, submitted_on=timezone.localdate(), amount_awarded=Decimal("20000")
    )
    c.answer.refresh_from_db()


def test_a_won_answer_becomes_a_cooperation_projects_grant_application(client):
    c = consortium(title="Véhicule partagé", summary="Un utilitaire pour trois associations.")
    SchemeFactory(territory=c.club.territory)
    _won(c)
    client.force_login(c.lead_user)
    response = client.post(_url(c, "answer_application"))
    c.answer.refresh_from_db()
    application = c.answer.grant_application
    assert response.status_code == 302
    assert response["Location"] == application.get_absolute_url()
    assert (application.state, application.form, application.development_case) == (
        ApplicationState.DRAFT,
        GrantForm.DEVELOPMENT,
        DevelopmentCase.POOLING,
    )
    assert (application.applicant, application.structure, application.project_title) == (
        c.lead_user,
        c.lead.structure,
        "Véhicule partagé",
    )
    assert c.partner.structure.name in application.project_summary
    assert c.invited.structure.name not in application.project_summary
    page = client.get(_url(c))
    assert application.get_absolute_url() in page.content.decode()
    with pytest.raises(ValidationError, match="déjà commencée"):
        services.answer_start_application(answer=c.answer, by=c.lead_user)


def test_without_an_open_scheme_the_lead_is_told_so_in_french(client):
    c = consortium()
    _won(c)
    client.force_login(c.lead_user)
    page = client.get(_url(c))
    assert "n'est ouvert aux demandes en ce moment sur ce territoire" in page.content.decode()
    with pytest.raises(ValidationError, match="Aucun dispositif"):
        services.answer_start_application(answer=c.answer, by=c.lead_user)
    assert JointAnswer.objects.get(pk=c.answer.pk).grant_application is None


def test_an_answer_still_in_preparation_cannot_become_an_application():
    c = consortium()
    SchemeFactory(territory=c.club.territory)
    with pytest.raises(ValidationError, match="Seule une réponse retenue"):
        services.answer_start_application(answer=c.answer, by=c.lead_user)


def test_the_workspace_shows_the_days_left_and_the_late_tasks():
    c = consortium()
    task_of(c.answer, due_on=timezone.localdate() - datetime.timedelta(days=3))
    task_of(c.answer, title="Fait", due_on=timezone.localdate() - datetime.timedelta(days=3), done_at=timezone.now())
    from django.test import Client

    client = Client()
    client.force_login(c.partner_user)
    page = client.get(_url(c))
    assert page.context["days_left"] == (c.answer.call.deadline - timezone.localdate()).days
    assert page.context["late_count"] == 1
    assert len(page.context["tasks"]) == 2


def test_the_lead_lets_the_facilitators_follow_and_they_find_it_in_their_list(client):
    c = consortium(title="Cuisine partagée")
    staff = facilitator(c.club)
    answers = reverse("club:answers", kwargs={"club": c.club.slug})
    client.force_login(staff)
    assert client.get(answers).context["followed"] == []
    client.force_login(c.lead_user)
    response = client.post(
        _url(c, "answer_settings"), {"title": "Cuisine partagée", "summary": "", "facilitators_can_see": "on"}
    )
    assert response.status_code == 302
    client.force_login(staff)
    assert client.get(answers).context["followed"] == [c.answer]
    assert client.get(_url(c)).status_code == 200


def test_the_answers_page_is_for_members_and_staff_only(client):
    c = consortium()
    client.force_login(UserFactory())
    assert client.get(reverse("club:answers", kwargs={"club": c.club.slug})).status_code == 404
    client.force_login(c.outsider_user)
    page = client.get(reverse("club:answers", kwargs={"club": c.club.slug}))
    assert (page.context["working"], page.context["invited"]) == ([], [])
