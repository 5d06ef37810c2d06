"""Every crossing: another applicant's file by id, another territory's officer or commission member, a commission
member outside the sitting, anonymous visitors, and the applicant on the officers' pages."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from essaim.accounts.models import User
from essaim.grants import perms, services
from essaim.grants.enums import ApplicationState, DocumentKind, PaymentKind
from essaim.grants.models import Application
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.grants.conftest import EXAMINATION, PDF

S = ApplicationState

# (url name, method, data) of the pages about one application; {pk} and {doc} are filled in.
APPLICANT_PAGES = [
    ("grants:application", "get", None),
    ("grants:step", "get", "structure"),
    ("grants:amount", "get", None),
    ("grants:submit", "post", None),
    ("grants:withdraw", "get", None),
    ("grants:message", "post", {"body": "Bonjour"}),
]
OFFICER_PAGES = [
    ("grants:assign", "post", {"officer": ""}),
    ("grants:examination", "get", None),
    ("grants:transition", "post", "drop"),
    ("grants:review_message", "post", {"body": "Bonjour"}),
    ("grants:agreement", "post", {"signed_on": "2026-03-20"}),
    ("grants:payment", "post", {"kind": "advance", "amount": "1", "paid_on": "2026-04-01"}),
]


def url_of(name, application, extra=None):
    if name == "grants:step":
        return reverse(name, args=[application.pk, extra])
    if name == "grants:transition":
        return reverse(name, args=[application.pk, extra])
    return reverse(name, args=[application.pk])


def call(client, name, method, extra, application):
    url = url_of(name, application, extra if isinstance(extra, str) else None)
    data = extra if isinstance(extra, dict) else {}
    return client.get(url) if method == "get" else client.post(url, data)


@pytest.fixture
def on_agenda(world):
    """A file ready for the commission, on a sitting where ``world.member`` sits (not ``absent_member``)."""
    application = world.at(S.READY_FOR_COMMISSION)
    world.commission([application])
    application.refresh_from_db()
    return application


def test_anonymous_visitors_are_sent_to_log_in(client, on_agenda):
    for name, method, extra in APPLICANT_PAGES + OFFICER_PAGES + [("grants:review", "get", None)]:
        response = call(client, name, method, extra, on_agenda)
        assert response.status_code == 302 and "/compte/" in response.url, name


@pytest.mark.parametrize("who", ["other_applicant", "foreign_officer", "foreign_member", "absent_member"])
def test_people_without_a_right_on_the_file_get_a_404_whatever_the_id(client, world, on_agenda, who):
    client.force_login(getattr(world, who))
    before = on_agenda.state
    for name, method, extra in APPLICANT_PAGES + OFFICER_PAGES + [("grants:review", "get", None)]:
        assert call(client, name, method, extra, on_agenda).status_code == 404, (who, name)
    document = on_agenda.documents.first()
    assert client.get(reverse("grants:document", args=[on_agenda.pk, document.pk])).status_code == 404
    on_agenda.refresh_from_db()
    assert on_agenda.state == before


def test_the_applicant_never_reaches_the_officers_pages(client, world, on_agenda):
    client.force_login(world.applicant)
    for name, method, extra in OFFICER_PAGES + [("grants:review", "get", None)]:
        assert call(client, name, method, extra, on_agenda).status_code == 404, name
    assert client.get(reverse("grants:queue")).status_code == 403
    assert client.get(reverse("grants:dashboard")).status_code == 403
    assert client.get(reverse("grants:sessions")).status_code == 403


def test_the_officer_of_the_territory_does_not_use_the_applicant_pages(client, world, on_agenda):
    client.force_login(world.officer)
    for name, method, extra in APPLICANT_PAGES:
        assert call(client, name, method, extra, on_agenda).status_code == 404, name
    assert client.get(on_agenda.get_review_url()).status_code == 200


def test_a_commission_member_sees_only_the_files_of_their_sittings_and_acts_on_none(client, world, on_agenda):
    client.force_login(world.member)
    assert client.get(on_agenda.get_review_url()).status_code == 200
    document = on_agenda.documents.first()
    response = client.get(reverse("grants:document", args=[on_agenda.pk, document.pk]))
    assert response.status_code == 200
    for name, method, extra in APPLICANT_PAGES + OFFICER_PAGES:
        assert call(client, name, method, extra, on_agenda).status_code == 404, name
    other = world.at(S.UNDER_REVIEW)  # not on any sitting
    assert client.get(other.get_review_url()).status_code == 404
    assert client.get(reverse("grants:queue")).status_code == 403


def test_sittings_are_for_the_officers_and_the_members_called(client, world, on_agenda):
    session = on_agenda.sessions.get()
    for who, expected in [
        ("officer", 200),
        ("member", 200),
        ("absent_member", 404),
        ("foreign_officer", 404),
        ("foreign_member", 404),
        ("applicant", 404),
    ]:
        client.force_login(getattr(world, who))
        assert client.get(session.get_absolute_url()).status_code == expected, who
        assert client.get(reverse("grants:session_agenda", args=[session.pk])).status_code == expected, who
    client.force_login(world.member)
    assert client.post(session.get_absolute_url(), {"applications": []}).status_code == 403
    assert session.items.count() == 1


def test_another_territory_s_officer_cannot_manage_its_credits(client, world):
    client.force_login(world.foreign_officer)
    response = client.post(reverse("grants:envelope_save", args=[world.scheme.slug]), {"year": 2026, "credits": "1"})
    assert response.status_code == 403
    world.envelope.refresh_from_db()
    assert world.envelope.credits == 40000
    page = client.get(reverse("grants:dashboard"), {"territoire": world.territory.slug})
    assert page.status_code == 404


def test_perms_functions_per_role(world, on_agenda):
    assert perms.can_view_application(world.applicant, on_agenda)
    assert not perms.can_view_review(world.applicant, on_agenda)
    assert perms.can_view_review(world.member, on_agenda)
    assert not perms.can_view_review(world.absent_member, on_agenda)
    assert not perms.can_instruct(world.member, on_agenda)
    assert perms.can_instruct(world.officer, on_agenda)
    assert not perms.can_instruct(world.foreign_officer, on_agenda)
    world.officer.is_active = False
    assert not perms.can_view_application(world.officer, on_agenda)


def test_nobody_moves_a_file_outside_the_transitions_through_the_pages(client, world):
    application = world.at(S.SUBMITTED)
    client.force_login(world.officer)
    for name in ("mark_ready", "close", "request_pieces"):
        client.post(reverse("grants:transition", args=[application.pk, name]), {"comment": "x"})
        application.refresh_from_db()
        assert application.state == S.SUBMITTED, name
    client.post(
        reverse("grants:payment", args=[application.pk]), {"kind": "advance", "amount": "1", "paid_on": "2026-04-01"}
    )
    client.post(reverse("grants:agreement", args=[application.pk]), {"signed_on": "2026-04-01"})
    application.refresh_from_db()
    assert application.state == S.SUBMITTED and not application.payments.exists()


def test_the_list_of_sittings_shows_a_member_only_the_sittings_they_are_called_to(client, world, on_agenda):
    session = on_agenda.sessions.get()
    client.force_login(world.member)
    assert str(session) in client.get(reverse("grants:sessions")).content.decode()
    client.force_login(world.absent_member)
    assert client.get(reverse("grants:sessions")).status_code == 403
    client.force_login(world.foreign_officer)
    assert str(session) not in client.get(reverse("grants:sessions")).content.decode()


# The people around a file on the agenda of ``world.member``'s sitting; "inactive_x" is x's account deactivated.
WHO = [
    "applicant",
    "other_applicant",
    "officer",
    "admin",
    "member",
    "absent_member",
    "elected",
    "foreign_officer",
    "foreign_member",
    "network",
    "anonymous",
    "inactive_applicant",
    "inactive_officer",
    "inactive_member",
]


@pytest.fixture
def person(world):
    """The user behind a name of ``WHO``: the territory's admin, elected member and the network admin are added to
    the world; an inactive account is deactivated in the database."""
    world.admin = MembershipFactory(territory=world.territory, admin=True).user
    world.elected = MembershipFactory(territory=world.territory, elected=True).user
    world.network = UserFactory(network_admin=True)

    def get(who):
        if who == "anonymous":
            return AnonymousUser()
        if who.startswith("inactive_"):
            user = User.objects.get(pk=getattr(world, who.removeprefix("inactive_")).pk)
            user.is_active = False
            user.save(update_fields=["is_active"])
            return user
        return getattr(world, who)

    return get


@pytest.fixture
def file_with_rib(world):
    """A file with bank details, on the agenda of ``world.member``'s commission (not ``absent_member``'s)."""
    application = world.draft()
    services.document_add(
        application=application,
        by=world.applicant,
        kind=DocumentKind.BANK_DETAILS,
        upload=SimpleUploadedFile("rib.pdf", PDF, content_type="application/pdf"),
    )
    services.application_submit(application=application, by=world.applicant, attested=True)
    services.application_officer_transition(application=application, by=world.officer, name="start_review")
    services.examination_save(application=application, by=world.officer, values=EXAMINATION)
    services.application_officer_transition(application=application, by=world.officer, name="mark_ready")
    world.commission([Application.objects.get(pk=application.pk)])
    return Application.objects.get(pk=application.pk)


FILE_RIGHTS = (
    "is_applicant",
    "can_view_application",
    "can_view_review",
    "can_edit_application",
    "can_instruct",
    "can_write_message",
    "can_add_siret",
    "can_justify_balance",
)
# Who holds which right on a file ready for the commission and on its documents; others hold none.
RIGHTS_ON_THE_FILE = {
    "applicant": {
        "is_applicant",
        "can_view_application",
        "can_write_message",
        "can_add_siret",
        "statutes",
        "bank_details",
    },
    "officer": {
        "can_view_application",
        "can_view_review",
        "can_instruct",
        "can_write_message",
        "can_add_siret",
        "statutes",
        "bank_details",
    },
    "member": {"can_view_application", "can_view_review", "statutes"},
}
RIGHTS_ON_THE_FILE["admin"] = RIGHTS_ON_THE_FILE["officer"]


@pytest.mark.parametrize("who", WHO)
def test_who_sees_and_does_what_on_a_file_ready_for_the_commission(person, file_with_rib, who):
    """The applicant sees and completes their file; the territory's officers and admin instruct it; the member
    called to the sitting reads it and its project documents but never the bank details; nobody else (another
    applicant, an absent member, an elected member, another territory's people, the network admin, an anonymous
    visitor, an inactive account) holds any right. Nobody edits a file that is not a draft nor incomplete."""
    user = person(who)
    rib = file_with_rib.documents.get(kind=DocumentKind.BANK_DETAILS)
    statutes = file_with_rib.documents.get(kind=DocumentKind.STATUTES)
    granted = {right for right in FILE_RIGHTS if getattr(perms, right)(user, file_with_rib) is True}
    if perms.can_view_document(user, file_with_rib, statutes) is True:
        granted.add("statutes")
    if perms.can_view_document(user, file_with_rib, rib) is True:
        granted.add("bank_details")
    assert granted == RIGHTS_ON_THE_FILE.get(who, set())


TERRITORY_RIGHTS = (
    "is_instructor",
    "is_commission_member",
    "can_manage_sessions",
    "can_manage_budget",
    "can_export_year",
    "can_view_dashboard",
    "can_read_bureau_summary",
)
STAFF = {"is_instructor", "can_manage_sessions", "can_manage_budget", "can_export_year"}
# Who holds which right on the file's territory; others hold none.
RIGHTS_ON_THE_TERRITORY = {
    "officer": STAFF | {"can_view_dashboard", "can_read_bureau_summary"},
    "admin": STAFF | {"can_view_dashboard", "can_read_bureau_summary"},
    "member": {"is_commission_member", "can_view_dashboard"},
    "absent_member": {"is_commission_member", "can_view_dashboard"},
    "elected": {"can_view_dashboard", "can_read_bureau_summary"},
    "network": {"can_view_dashboard", "can_read_bureau_summary"},
}


@pytest.mark.parametrize("who", WHO)
def test_who_does_what_with_the_territory_s_grants(world, person, who):
    """Officers and the admin instruct, prepare the sittings, set the credits and export the year; commission
    members and elected members read the credits dashboard, elected members and the network admin the Bureau's
    summary; the network admin instructs nothing (the files hold personal data)."""
    user = person(who)
    granted = {right for right in TERRITORY_RIGHTS if getattr(perms, right)(user, world.territory) is True}
    assert granted == RIGHTS_ON_THE_TERRITORY.get(who, set())


@pytest.mark.parametrize("who", ["officer", "admin", "member", "elected"])
def test_a_role_gives_no_grant_right_on_another_territory(world, person, who):
    user = person(who)
    granted = {right for right in TERRITORY_RIGHTS if getattr(perms, right)(user, world.other_territory) is True}
    assert granted == set()


@pytest.mark.parametrize(
    ("who", "view", "record"),
    [
        ("officer", True, True),
        ("admin", True, True),
        ("member", True, False),
        ("absent_member", False, False),
        ("foreign_officer", False, False),
        ("foreign_member", False, False),
        ("elected", False, False),
        ("applicant", False, False),
        ("network", False, False),
        ("inactive_officer", False, False),
        ("inactive_member", False, False),
    ],
)
def test_a_sitting_is_read_by_the_officers_and_the_members_called_and_recorded_by_the_officers(
    world, person, on_agenda, who, view, record
):
    user = person(who)
    session = on_agenda.sessions.get()
    assert perms.can_view_session(user, session) is view
    assert perms.can_record_session(user, session) is record


@pytest.mark.parametrize(
    ("who", "territories", "create"),
    [
        ("officer", ["territory"], True),
        ("admin", ["territory"], True),
        ("foreign_officer", ["other_territory"], False),
        ("member", [], False),
        ("elected", [], False),
        ("network", [], False),
        ("anonymous", [], False),
        ("inactive_officer", [], False),
    ],
)
def test_new_sittings_are_offered_to_the_officers_of_a_territory_that_runs_a_scheme(
    world, person, who, territories, create
):
    """Another territory's officer instructs there, but that territory runs no scheme: no « Nouvelle séance »."""
    user = person(who)
    assert list(perms.instructor_territories(user)) == [getattr(world, name) for name in territories]
    assert perms.can_create_session(user) is create


EDITABLE = {S.DRAFT, S.INCOMPLETE}
BEFORE_THE_AGREEMENT = {
    S.SUBMITTED,
    S.UNDER_REVIEW,
    S.INCOMPLETE,
    S.READY_FOR_COMMISSION,
    S.COMMISSION_REVIEWED,
    S.GRANTED,
}
UNTIL_THE_BALANCE = {S.AGREEMENT_SIGNED, S.IN_PAYMENT}


@pytest.mark.parametrize("state", list(S))
def test_what_the_applicant_and_the_officers_may_do_depends_on_the_state_of_the_file(world, person, state):
    """The applicant edits a draft or an incomplete file; the SIRET is added before the agreement and the balance
    justified once the agreement is signed, by the applicant or the officers; another applicant never."""
    application = world.draft()
    application.state = state
    applicant, officer, other = world.applicant, world.officer, world.other_applicant
    assert perms.can_edit_application(applicant, application) is (state in EDITABLE)
    assert perms.can_edit_application(officer, application) is False
    assert perms.can_edit_application(other, application) is False
    assert perms.can_add_siret(applicant, application) is (state in BEFORE_THE_AGREEMENT)
    assert perms.can_add_siret(officer, application) is (state in BEFORE_THE_AGREEMENT)
    assert perms.can_add_siret(other, application) is False
    assert perms.can_justify_balance(applicant, application) is (state in UNTIL_THE_BALANCE)
    assert perms.can_justify_balance(officer, application) is (state in UNTIL_THE_BALANCE)
    assert perms.can_justify_balance(other, application) is False


def test_once_the_balance_is_paid_nobody_justifies_it_again(world):
    application = world.at(S.IN_PAYMENT)
    assert perms.can_justify_balance(world.applicant, application) is True
    services.balance_justify(
        application=application,
        by=world.applicant,
        fte_achieved=application.fte_created,
        upload=SimpleUploadedFile("emplois.pdf", PDF, content_type="application/pdf"),
    )
    services.payment_record(
        application=application,
        by=world.officer,
        kind=PaymentKind.BALANCE,
        amount=application.granted_amount - application.payments.get().amount,
        paid_on=datetime.date(2026, 10, 1),
    )
    application.refresh_from_db()
    assert application.state == S.IN_PAYMENT
    assert perms.can_justify_balance(world.applicant, application) is False
    assert perms.can_justify_balance(world.officer, application) is False


def test_a_person_s_roles_are_read_once_for_all_the_checks_of_a_page(world, django_assert_num_queries):
    """A page checks several rights on several territories: the memberships are read from the database once."""
    user = User.objects.get(pk=world.officer.pk)
    with django_assert_num_queries(1):
        assert perms.is_instructor(user, world.territory) is True
        assert perms.is_commission_member(user, world.other_territory) is False
        assert perms.can_manage_budget(user, world.territory) is True
