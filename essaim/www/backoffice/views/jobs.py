"""The network admin's page of background tasks: the queue's counts, the failed tasks and a button to relaunch
each one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from essaim.jobs import perms
from essaim.jobs.display import error_summary, masked_arguments
from essaim.jobs.models import Job
from essaim.jobs.services import database_backend, job_relaunch, queue_counts
from essaim.www.backoffice.views.base import breadcrumbs

PAGE_SIZE = 50


def _check(user):
    if not perms.can_manage_jobs(user):
        raise PermissionDenied("Seule l'administration du réseau voit les tâches de fond.")


@login_required
def job_list(request):
    _check(request.user)
    page = Paginator(Job.objects.failed().order_by("-finished_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"job": job, "arguments": masked_arguments(job), "error": error_summary(job)} for job in page]
    return render(
        request,
        "backoffice/jobs.html",
        {
            "page_title": "Tâches de fond",
            "breadcrumbs": breadcrumbs(None, ("Tâches de fond", None)),
            "counts": queue_counts(),
            "in_database": database_backend() is not None,
            "rows": rows,
            "page": page,
        },
    )


@login_required
@require_POST
def job_relaunch_view(request, pk):
    _check(request.user)
    job = get_object_or_404(Job, pk=pk)
    if job_relaunch(job=job, by=request.user):
        messages.success(request, f"La tâche n° {job.pk} ({job.task_name}) est remise en file.")
    else:
        messages.info(request, f"La tâche n° {job.pk} n'était plus en échec : rien à relancer.")
    return redirect("backoffice:jobs")
