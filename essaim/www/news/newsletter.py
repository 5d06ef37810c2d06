"""The newsletter's pages. Public: the subscription form of a territory (rate-limited), the confirmation link of the
mail (double opt-in) and the one-click unsubscription (a POST without CSRF on the tokenised address, RFC 8058, which
is also what the mail clients' « Se désabonner » button sends). Officers: compose an issue from the recent news and
the upcoming events, preview it, send it (queued for the worker) and follow its sending."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from essaim.core.links import site_url
from essaim.core.ratelimit import allow
from essaim.news import perms
from essaim.news.models import Issue, Subscriber
from essaim.news.services.newsletter import (
    IssueError,
    consent_text,
    is_expired,
    issue_queue,
    issue_save,
    subscription_confirm,
    subscription_request,
    unsubscribe,
)
from essaim.news.tasks import issue_context
from essaim.territories.models import Territory
from essaim.www.news.forms import IssueForm, SubscribeForm
from essaim.www.news.manage import _territory


def rate_limit() -> int:
    return int(getattr(settings, "ESSAIM_NEWSLETTER_RATE_LIMIT", 5))


@require_http_methods(["GET", "POST"])
def subscribe(request, territory):
    """Public, no account. An address and its consent; the confirmation link is mailed (double opt-in). The answer
    is the same whether the address was new, waiting or already subscribed."""
    territory = get_object_or_404(Territory, slug=territory)
    form = SubscribeForm(request.POST or None, consent_text=consent_text(territory))
    status = 200
    if request.method == "POST":
        if not allow(request, scope="news-subscribe", limit=rate_limit(), period="m"):
            form.is_valid()
            form.add_error(None, "Trop de demandes depuis votre connexion : réessayez dans une minute.")
            status = 429
        elif form.is_valid():
            subscription_request(territory=territory, email=form.cleaned_data["email"], site_url=site_url(request))
            return render(
                request,
                "news/subscribe_sent.html",
                {"territory": territory, "email": form.cleaned_data["email"]},
            )
        else:
            status = 400
    return render(request, "news/subscribe.html", {"territory": territory, "form": form}, status=status)


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """Public. The link of the confirmation mail: GET asks to confirm with one button (a mail scanner following the
    link confirms nothing), POST confirms. An unknown or expired link gets a French page saying what to do."""
    subscriber = Subscriber.objects.select_related("territory").filter(token=token).first()
    if subscriber is None or is_expired(subscriber):
        if subscriber is not None:
            subscription_confirm(token=token)  # deletes it
        return render(request, "news/confirm_invalid.html", status=404)
    if request.method == "POST":
        subscriber = subscription_confirm(token=token)
        return render(request, "news/confirm_done.html", {"territory": subscriber.territory})
    return render(request, "news/confirm.html", {"subscriber": subscriber, "territory": subscriber.territory})


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe_view(request, token):
    """Public, no account, no CSRF (RFC 8058: the mail client's one-click POST carries no token of the site; the
    secret is the address itself). GET shows one button; POST deletes the address. Asked twice: already done."""
    if request.method == "POST":
        territory = unsubscribe(token=token)
        return render(request, "news/unsubscribe_done.html", {"territory": territory})
    subscriber = Subscriber.objects.select_related("territory").filter(token=token).first()
    if subscriber is None:
        return render(request, "news/unsubscribe_done.html", {"territory": None})
    return render(request, "news/unsubscribe.html", {"subscriber": subscriber, "territory": subscriber.territory})


def _issue(request, pk):
    issue = get_object_or_404(Issue.objects.select_related("territory"), pk=pk)
    if not perms.can_send_issue(request.user, issue):
        raise PermissionDenied("Vous n'envoyez pas la lettre de ce territoire.")
    return issue


@login_required
def issues(request, territory):
    territory = _territory(request, territory)
    context = {
        "territory": territory,
        "issues": list(Issue.objects.filter(territory=territory).order_by("-created_at", "-pk")),
        "subscribers": Subscriber.objects.confirmed().filter(territory=territory).count(),
        "pending": Subscriber.objects.pending().filter(territory=territory).count(),
    }
    return render(request, "news/manage/issues.html", context)


def _issue_form(request, territory, issue=None):
    initial = None
    if issue is not None:
        initial = {
            "subject": issue.subject,
            "introduction": issue.introduction,
            "items": list(issue.items.all()),
            "events": list(issue.events.all()),
        }
    form = IssueForm(request.POST or None, territory=territory, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            return form, issue_save(
                territory=territory,
                by=request.user,
                issue=issue,
                subject=data["subject"],
                introduction=data["introduction"],
                items=data["items"],
                events=data["events"],
            )
        except IssueError as exc:
            form.add_error(None, exc.message)
    return form, None


@login_required
@require_http_methods(["GET", "POST"])
def issue_new(request, territory):
    territory = _territory(request, territory)
    form, issue = _issue_form(request, territory)
    if issue is not None:
        messages.success(request, "Lettre enregistrée : relisez-la avant de l'envoyer.")
        return redirect("news:issue", pk=issue.pk)
    context = {"form": form, "territory": territory, "page_title": f"Nouvelle lettre — {territory.name}"}
    return render(request, "news/manage/issue_form.html", context, status=400 if form.is_bound else 200)


@login_required
@require_http_methods(["GET", "POST"])
def issue_edit(request, pk):
    issue = _issue(request, pk)
    if not issue.is_draft:
        messages.error(request, "Cette lettre est déjà partie : elle ne se modifie plus.")
        return redirect("news:issue", pk=issue.pk)
    form, saved = _issue_form(request, issue.territory, issue)
    if saved is not None:
        messages.success(request, "Lettre enregistrée.")
        return redirect("news:issue", pk=issue.pk)
    context = {
        "form": form,
        "territory": issue.territory,
        "issue": issue,
        "page_title": f"Modifier « {issue.subject} »",
    }
    return render(request, "news/manage/issue_form.html", context, status=400 if form.is_bound else 200)


@login_required
def issue_detail(request, pk):
    """The issue as its readers will see it (preview), its sending status and counts, and the button to send it."""
    issue = _issue(request, pk)
    context = {
        **issue_context(issue, site_url(request)),
        "subscribers": Subscriber.objects.confirmed().filter(territory=issue.territory).count(),
        "unsubscribe_url": "#",
    }
    return render(request, "news/manage/issue.html", context)


@login_required
@require_POST
def issue_send(request, pk):
    issue = _issue(request, pk)
    try:
        issue_queue(issue=issue, by=request.user, site_url=site_url(request))
    except IssueError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Lettre confiée à l'envoi : elle part par lots, suivez son état ci-dessous.")
    return redirect("news:issue", pk=issue.pk)
