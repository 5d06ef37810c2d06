"""Every crossing: another applicant's file by id, another territory's officer or commission member, a commission
member outside the sitting, anonymous visitors, and the applicant on the officers' pages."""

import pytest
from django.urls import reverse

from essaim.grants import perms
from essaim.grants.enums import ApplicationState

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
