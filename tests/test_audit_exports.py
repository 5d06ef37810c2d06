"""The RGPD audit trail of lists of people and exports: who opened or downloaded the registrants of a session (page,
check-in, CSV), a campaign report, the grants' year-end exports — and when; shown beside the registrants list and in
the admin (read-only); the reader's account deleted leaves an anonymous trace; old traces are purged."""

import datetime
import io

import pytest
from django.contrib.admin.sites import site
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from essaim.agenda.services import registration_create
from essaim.core import audit
from essaim.core.models import AccessRecord
from tests.accounts.factories import MembershipFactory
from tests.agenda.factories import CampaignFactory, EventFactory, SessionFactory


@pytest.fixture
def session(db):
    return SessionFactory(event=EventFactory(title="Café citoyen"), capacity=3)


@pytest.fixture
def officer(session):
    return MembershipFactory(territory=session.event.territory).user


def test_the_registrants_page_check_in_and_csv_each_leave_a_trace(client, officer, session):
    registration_create(session=session, name="Léa Dufour", email="lea@exemple.example")
    client.force_login(officer)
    slug = session.event.territory.slug
    client.get(reverse("agenda:registrants", args=[slug, session.pk]))
    client.get(reverse("agenda:check_in", args=[slug, session.pk]))
    response = client.get(reverse("agenda:registrants_csv", args=[slug, session.pk]))
    assert response["Cache-Control"] == "private, no-store"
    records = list(AccessRecord.objects.of(audit.REGISTRANTS, session.pk).order_by("pk"))
    assert [(r.user, r.action, r.detail) for r in records] == [
        (officer, AccessRecord.VIEW, "liste des inscrits"),
        (officer, AccessRecord.VIEW, "pointage"),
        (officer, AccessRecord.EXPORT, "CSV"),
    ]
    assert records[0].label.startswith("Inscrits : Café citoyen (")
    assert "Léa" not in records[0].label  # the trace names the list, never the people in it


def test_the_registrants_page_shows_who_read_the_list(client, officer, session):
    colleague = MembershipFactory(territory=session.event.territory).user
    client.force_login(colleague)
    client.get(reverse("agenda:registrants_csv", args=[session.event.territory.slug, session.pk]))
    client.force_login(officer)
    page = client.get(reverse("agenda:registrants", args=[session.event.territory.slug, session.pk])).content.decode()
    assert "Derniers accès à cette liste (journal RGPD)" in page
    assert str(colleague) in page and "téléchargement" in page and "consultation" in page


def test_a_refused_reader_leaves_no_trace_and_reads_nothing(client, session):
    outsider = MembershipFactory().user  # an officer of another territory
    client.force_login(outsider)
    response = client.get(reverse("agenda:registrants_csv", args=[session.event.territory.slug, session.pk]))
    assert response.status_code == 403
    assert not AccessRecord.objects.exists()


def test_a_campaign_report_download_leaves_a_trace(client, db):
    campaign = CampaignFactory(name="Mois de l'ESS 2026")
    user = MembershipFactory(territory=campaign.territory).user
    client.force_login(user)
    url = reverse("agenda:campaign_report", args=[campaign.territory.slug, campaign.pk])
    assert client.get(url.replace("/bilan/", "/bilan.csv")).status_code == 200
    (record,) = AccessRecord.objects.of(audit.CAMPAIGN_REPORT, campaign.pk)
    assert (record.user, record.action, record.label, record.detail) == (
        user,
        AccessRecord.EXPORT,
        "Bilan : Mois de l'ESS 2026",
        "CSV",
    )


def test_a_deleted_account_leaves_an_anonymous_trace(client, officer, session):
    client.force_login(officer)
    client.get(reverse("agenda:registrants_csv", args=[session.event.territory.slug, session.pk]))
    client.logout()
    officer.delete()
    (record,) = AccessRecord.objects.all()
    assert record.user is None and str(record).startswith("compte supprimé")


def test_old_traces_are_purged_after_the_retention(db, officer, settings):
    settings.ESSAIM_ACCESS_RECORD_RETENTION_MONTHS = 6
    old = audit.record_access(user=officer, action=AccessRecord.EXPORT, subject=audit.REGISTRANTS, label="ancien")
    AccessRecord.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=200))
    audit.record_access(user=officer, action=AccessRecord.EXPORT, subject=audit.REGISTRANTS, label="récent")
    out = io.StringIO()
    call_command("purge_access_records", "--dry-run", stdout=out)
    assert "1 trace d'accès serait supprimée" in out.getvalue() and AccessRecord.objects.count() == 2
    call_command("purge_access_records", stdout=out)
    assert list(AccessRecord.objects.values_list("label", flat=True)) == ["récent"]


def test_the_trail_is_read_only_in_the_admin(rf, db):
    model_admin = site._registry[AccessRecord]
    request = rf.get("/")
    assert not model_admin.has_add_permission(request) and not model_admin.has_change_permission(request)


def test_an_unknown_subject_is_a_programming_error(db):
    with pytest.raises(ValueError, match="Unknown audit subject"):
        audit.record_access(user=None, action=AccessRecord.VIEW, subject="x", label="y")
