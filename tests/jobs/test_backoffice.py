"""The network admin's page of background tasks (/gestion/taches/): who may see it, what it shows (no personal
data), the relaunch button."""

import pytest
from django.urls import reverse
from django.utils import timezone

from essaim.jobs.display import error_summary, masked_arguments
from essaim.jobs.enums import JobStatus
from essaim.jobs.models import Job
from essaim.www.backoffice.links import network_links, territory_links
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.jobs import sample_tasks
from tests.territories.factories import TerritoryFactory

pytestmark = pytest.mark.django_db

EMAIL = "camille.durand@example.org"
QUERIES = 5


@pytest.fixture
def failed_job(database_tasks):
    """A mail task that failed its four attempts, as the worker leaves it."""
    sample_tasks.always_fails.enqueue(EMAIL)
    from essaim.jobs import services

    now = timezone.now()
    for _ in range(4):
        job = services.job_claim(worker_id="w", now=now + timezone.timedelta(days=1))
        services.job_run(job=job)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    return job


@pytest.fixture
def network_admin_client(client):
    client.force_login(UserFactory(network_admin=True))
    return client


def test_anonymous_is_sent_to_the_login_page(client, failed_job):
    response = client.get(reverse("backoffice:jobs"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    response = client.post(reverse("backoffice:job_relaunch", args=[failed_job.pk]))
    assert response.status_code == 302
    assert Job.objects.get().status == JobStatus.FAILED


def test_a_territory_officer_or_admin_may_not_see_nor_relaunch_tasks(client, failed_job):
    territory = TerritoryFactory()
    for membership in (MembershipFactory(territory=territory), MembershipFactory(territory=territory, admin=True)):
        client.force_login(membership.user)
        assert client.get(reverse("backoffice:jobs")).status_code == 403
        assert client.post(reverse("backoffice:job_relaunch", args=[failed_job.pk])).status_code == 403
        assert all(link.url != reverse("backoffice:jobs") for link in territory_links(membership.user, territory))
    assert Job.objects.get().status == JobStatus.FAILED


def test_the_network_admin_sees_failed_tasks_without_personal_data(network_admin_client, failed_job):
    response = network_admin_client.get(reverse("backoffice:jobs"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "always_fails" in content
    assert "ConnectionRefusedError" in content
    assert "texte masqué (26 caractères)" in content
    assert "[adresse masquée]" in content
    assert EMAIL not in content
    assert "camille" not in content


def test_the_network_admin_relaunches_a_failed_task_with_a_post_only(network_admin_client, failed_job):
    url = reverse("backoffice:job_relaunch", args=[failed_job.pk])
    assert network_admin_client.get(url).status_code == 405
    response = network_admin_client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("backoffice:jobs")
    assert "remise en file" in response.content.decode()
    job = Job.objects.get()
    assert (job.status, job.attempts, job.run_after, len(job.errors)) == (JobStatus.READY, 0, None, 4)
    response = network_admin_client.post(url, follow=True)
    assert "rien à relancer" in response.content.decode()
    assert network_admin_client.post(reverse("backoffice:job_relaunch", args=[999999])).status_code == 404


def test_the_page_link_is_offered_to_the_network_admin_only():
    url = reverse("backoffice:jobs")
    assert url in [link.url for link in network_links(UserFactory(network_admin=True))]
    assert network_links(UserFactory()) == []


def test_arguments_show_numbers_and_codes_and_mask_any_other_text():
    job = Job(args=[12, "confirmed", EMAIL], kwargs={"recipients": [EMAIL], "body": "Bonjour", "flag": True})
    assert masked_arguments(job) == (
        "12, 'confirmed', texte masqué (26 caractères), body=texte masqué (7 caractères), flag=True, "
        "recipients=liste de 1 élément(s)"
    )
    job.errors = [{"exception_class_path": "x.Error", "traceback": f"Traceback\n  ...\nx.Error: refusé <{EMAIL}>\n"}]
    assert error_summary(job) == "x.Error: refusé <[adresse masquée]>"


def test_the_page_reads_a_fixed_number_of_queries_whatever_the_number_of_failed_tasks(
    network_admin_client, failed_job, django_assert_num_queries
):
    url = reverse("backoffice:jobs")
    network_admin_client.get(url)  # the session and the user are read once per request: warm nothing else up
    # session, user, count for the paginator, the page of tasks, the queue's counts
    with django_assert_num_queries(QUERIES):
        assert network_admin_client.get(url).status_code == 200
    for _ in range(5):
        Job.objects.create(task_path=failed_job.task_path, status=JobStatus.FAILED, errors=failed_job.errors)
    with django_assert_num_queries(QUERIES):
        assert network_admin_client.get(url).status_code == 200
