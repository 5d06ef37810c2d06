"""The project record's pages (``/accompagnement/suivi/``): the officers' board and the abandoned board of a
territory, a new project, a project opened from a booking, the record itself and its actions (stage, closure,
next steps, notes, documents, the grant application started from it), and the holder's satisfaction survey.

A project holds personal data: every page looks it up through ``project_for``, which answers 404 — not 403 —
to anybody who may not see it (its existence is private), and records the opening in the access log."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, DateField, IntegerField, OuterRef, Q, Subquery, TextField, Value
from django.db.models.functions import Cast, Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from essaim.core.http import private_file_response
from essaim.support import perms
from essaim.support.enums import Need, ReferralStatus
from essaim.support.models import Booking, NextStep, Project, ProjectDocument, Referral, SatisfactionSurvey
from essaim.support.nudges import abandoned_referrals, idle_projects
from essaim.support.services import projects as services
from essaim.support.timeline import HOLDER, PARTNER, TEAM, project_timeline
from essaim.support.workflow import PARTNER as PARTNER_ACTOR
from essaim.support.workflow import TEAM as TEAM_ACTOR
from essaim.support.workflow import allowed
from essaim.territories.models import Territory
from essaim.www.forms import refused_status
from essaim.www.support.forms_projects import (
    ApplicationStartForm,
    BoardFilterForm,
    CloseForm,
    DocumentForm,
    NextStepForm,
    NoteForm,
    ProjectForm,
    ReferralForm,
    StageForm,
    SurveyForm,
)

PAGE_SIZE = 50


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def team_users(territory):
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(memberships__territory=territory, memberships__role__in=perms.TEAM_ROLES, is_active=True)
        .distinct()
        .order_by("full_name", "email")
    )


def territory_for_team(request, slug) -> Territory:
    """The territory of the board; a person outside its team is refused (the board itself is no secret)."""
    territory = get_object_or_404(Territory, slug=slug)
    if not perms.can_manage_support(request.user, territory):
        raise PermissionDenied("Le suivi des projets est réservé à l'équipe du territoire.")
    return territory


def project_for(request, pk, *, log: str | None = "view"):
    """The project ``pk`` and the audience the person reads it as (team, partner or holder); 404 for anybody else
    (a project's existence is private). Records the opening in the access log when ``log`` is given."""
    project = get_object_or_404(
        Project.objects.select_related("territory", "commune", "sector", "structure", "referent", "holder"), pk=pk
    )
    if perms.can_edit_project(request.user, project):
        audience = TEAM
    elif perms.can_view_project(request.user, project):
        audience = PARTNER
    elif perms.is_holder(request.user, project):
        audience = HOLDER
    else:
        raise Http404("Projet introuvable.")
    if log:
        services.project_access(project=project, user=request.user, action=log)
    return project, audience


def _team_project(request, pk, log="change"):
    project, audience = project_for(request, pk, log=log)
    if audience != TEAM:
        raise Http404("Projet introuvable.")
    return project


def crumbs(territory, *trail):
    return [("Accompagnement", reverse("support:board", kwargs={"slug": territory.slug})), *trail]


# --- the boards ----------------------------------------------------------------------------------------------------


def board_queryset(territory, data: dict, user):
    """The open projects of the territory for the board, filtered, in the board's order (no annotation: the page's
    rows are annotated afterwards, see ``board_rows``)."""
    projects = Project.objects.open().filter(territory=territory)
    if data.get("stage"):
        projects = projects.filter(stage=data["stage"])
    if data.get("kind"):
        projects = projects.filter(kind=data["kind"])
    if data.get("sector"):
        projects = projects.filter(sector=data["sector"])
    if data.get("commune"):
        projects = projects.filter(commune=data["commune"])
    if data.get("need"):
        projects = projects.annotate(needs_text=Cast("needs", TextField())).filter(
            needs_text__contains=f'"{data["need"]}"'
        )
    referent = data.get("referent")
    if referent == "me":
        projects = projects.filter(referent=user)
    elif referent == "none":
        projects = projects.filter(referent__isnull=True)
    elif referent and referent.isdigit():
        projects = projects.filter(referent_id=int(referent))
    if data.get("q"):
        q = data["q"].strip()
        projects = projects.filter(
            Q(title__icontains=q) | Q(holder_name__icontains=q) | Q(structure__name__icontains=q)
        )
    return projects.order_by("-created_at", "-pk")


def board_rows(pks: list[int]) -> list[Project]:
    """The rows of one page, with everything a row shows (referent, commune, next step due, open referrals, last
    activity): the correlated subqueries run for these rows only — computed in the board's query itself, a
    database evaluates them for every project before sorting — so one page costs the same at any size."""
    next_due = NextStep.objects.filter(project=OuterRef("pk"), done_at__isnull=True, due_on__isnull=False)
    open_referrals = (
        Referral.objects.filter(project=OuterRef("pk"), status__in=(ReferralStatus.QUO, ReferralStatus.TAKING_CARE))
        .order_by()
        .values("project")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        Project.objects.filter(pk__in=pks)
        .select_related("referent", "commune", "sector", "structure")
        .with_activity()
        .annotate(
            next_due=Subquery(next_due.order_by("due_on").values("due_on")[:1], output_field=DateField()),
            next_title=Subquery(next_due.order_by("due_on").values("title")[:1], output_field=TextField()),
            open_referrals=Coalesce(Subquery(open_referrals, output_field=IntegerField()), Value(0)),
        )
    )
    by_pk = {project.pk: project for project in rows}
    return [by_pk[pk] for pk in pks if pk in by_pk]


@login_required
def board(request, slug):
    """Login required: the territory's team. Its open projects, filtered, paginated."""
    territory = territory_for_team(request, slug)
    team = list(team_users(territory))
    form = BoardFilterForm(request.GET or None, territory=territory, team=team)
    refused = form.is_bound and not form.is_valid()
    data = {} if refused or not form.is_bound else form.cleaned_data
    ids = board_queryset(territory, data, request.user).values_list("pk", flat=True)
    page = Paginator(ids, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = board_rows(list(page.object_list))
    query = urlencode([(k, v) for k, v in request.GET.items() if k != "page" and v][:10])
    return render(
        request,
        "support/projects/board.html",
        {
            "territory": territory,
            "form": form,
            "page": page,
            "query": query,
            "abandoned_count": abandoned_referrals(territory).count(),
            "breadcrumbs": crumbs(territory, ("Projets suivis", None)),
            "page_title": f"Projets suivis — {territory.name}",
        },
        status=refused_status(request, refused),
    )


@login_required
def abandoned(request, slug):
    """Login required: the team. Referrals left unanswered for 45 days, and projects without activity for six
    months."""
    territory = territory_for_team(request, slug)
    return render(
        request,
        "support/projects/abandoned.html",
        {
            "territory": territory,
            "referrals": list(abandoned_referrals(territory)[:200]),
            "projects": list(idle_projects(territory)[:200]),
            "breadcrumbs": crumbs(territory, ("Abandons", None)),
            "page_title": f"Orientations et projets abandonnés — {territory.name}",
        },
    )


# --- creating a project ----------------------------------------------------------------------------------------


@login_required
def project_create(request, slug):
    """Login required: the team. A person's project, or the follow-up of a structure of the directory
    (``?siret=`` prefills it from the structure's page)."""
    territory = territory_for_team(request, slug)
    team = team_users(territory)
    initial = {}
    if request.GET.get("siret"):
        initial = {"kind": "development", "structure_siret": request.GET["siret"][:20]}
    form = ProjectForm(request.POST or None, initial=initial, territory=territory, team_queryset=team)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(territory=territory, by=request.user, **form.service_fields())
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, "Le projet est ouvert.")
            return redirect(project)
    return render(
        request,
        "support/projects/project_form.html",
        {
            "territory": territory,
            "form": form,
            "cancel_url": reverse("support:board", kwargs={"slug": territory.slug}),
            "breadcrumbs": crumbs(territory, ("Nouveau projet", None)),
            "page_title": "Nouveau projet accompagné",
        },
    )


@login_required
@require_POST
def project_from_booking(request, pk):
    """Login required, POST: the team or the adviser holding the slot. Opens (or finds) the booking's project."""
    booking = Booking.objects.filter(pk=pk).select_related("territory").first()
    if booking is None or not perms.can_handle_booking(request.user, booking):
        raise Http404("Rendez-vous introuvable.")
    try:
        project = services.project_from_booking(booking=booking, by=request.user)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return redirect(reverse("support:day", kwargs={"slug": booking.territory.slug}))
    if perms.can_view_project(request.user, project):
        messages.success(request, "Le rendez-vous est rattaché au projet.")
        return redirect(project)
    messages.success(request, "Le projet est ouvert : l'équipe du territoire en assure le suivi.")
    return redirect(reverse("support:day", kwargs={"slug": booking.territory.slug}))


# --- the record ------------------------------------------------------------------------------------------------


def _referral_rows(project, user, audience):
    rows = []
    for referral in project.referrals.select_related("partner", "taken_by").order_by("-created_at", "-pk"):
        moves = []
        if audience != HOLDER:
            if perms.can_move_referral(user, referral):
                moves += allowed(referral, PARTNER_ACTOR)
            if audience == TEAM:
                moves += allowed(referral, TEAM_ACTOR)
        rows.append({"referral": referral, "moves": moves})
    return rows


@login_required
def project(request, pk):
    """Login required. The team and the referred partner read the whole record; the holder reads their own project
    without notes, documents or the access log; anybody else gets a 404. Every opening is logged."""
    project, audience = project_for(request, pk)
    context = {
        "project": project,
        "territory": project.territory,
        "audience": audience,
        "is_team": audience == TEAM,
        "is_holder": audience == HOLDER,
        "timeline": project_timeline(project, audience=audience),
        "applications": [link.application for link in project.applications.select_related("application__scheme")],
        "needs": [Need(need).label for need in project.needs if need in Need.values],
        "page_title": project.title,
        "breadcrumbs": crumbs(project.territory, (project.title, None))
        if audience == TEAM
        else [("Mon espace" if audience == HOLDER else "Mes orientations", _home(audience)), (project.title, None)],
    }
    steps = project.next_steps.all()
    if audience == HOLDER:
        steps = steps.filter(shared_with_holder=True)
        context["schemes"] = _open_schemes(project)
    else:
        context["notes"] = list(project.notes.select_related("author"))
        context["documents"] = list(project.documents.select_related("uploaded_by"))
        context["referrals"] = _referral_rows(project, request.user, audience)
        context["note_form"] = NoteForm()
    context["next_steps"] = list(steps)
    if audience == TEAM:
        context.update(
            stage_form=StageForm(initial={"stage": project.stage}),
            close_form=CloseForm(),
            step_form=NextStepForm(),
            document_form=DocumentForm(),
            referral_form=ReferralForm(territory=project.territory),
            accesses=_accesses(project),
            survey=SatisfactionSurvey.objects.filter(project=project).first(),
        )
    return render(request, "support/projects/project.html", context)


ACCESS_LABELS = {"view": "consultation", "download": "téléchargement", "change": "modification", "note": "note"}


def _accesses(project):
    rows = list(project.accesses.select_related("user")[:50])
    for access in rows:
        access.label = ACCESS_LABELS.get(access.action, "consultation")
    return rows


def _home(audience):
    return reverse("accounts:profile") + "#mon-projet" if audience == HOLDER else reverse("support:partner_board")


def _open_schemes(project):
    from essaim.grants.models import Scheme

    schemes = Scheme.objects.published().filter(territory=project.territory).order_by("name")
    return [scheme for scheme in schemes if scheme.is_open]


def _back(project, anchor=""):
    return redirect(project.get_absolute_url() + (f"#{anchor}" if anchor else ""))


@login_required
@require_POST
def project_stage(request, pk):
    project = _team_project(request, pk)
    form = StageForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choisissez une étape de la liste.")
        return _back(project, "etape")
    try:
        services.project_set_stage(
            project=project, stage=form.cleaned_data["stage"], by=request.user, comment=form.cleaned_data["comment"]
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, "L'étape du projet est changée.")
    return _back(project, "etape")


@login_required
@require_POST
def project_close(request, pk):
    project = _team_project(request, pk)
    form = CloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choisissez le motif de la clôture.")
        return _back(project, "cloture")
    try:
        services.project_close(project=project, reason=form.cleaned_data["reason"], by=request.user)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, "Le projet est clos ; l'enquête de satisfaction est envoyée au porteur.")
    return _back(project)


@login_required
@require_POST
def project_reopen(request, pk):
    project = _team_project(request, pk)
    try:
        services.project_reopen(project=project, by=request.user)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, "Le projet est rouvert.")
    return _back(project)


@login_required
@require_POST
def project_note(request, pk):
    """The team and the referred partner write notes; the holder never reaches this (404)."""
    project, audience = project_for(request, pk, log="note")
    if audience == HOLDER:
        raise Http404("Projet introuvable.")
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "La note est vide ou trop longue (10 000 caractères au plus).")
        return _back(project, "notes")
    try:
        services.note_add(project=project, by=request.user, text=form.cleaned_data["text"])
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, "Note enregistrée.")
    return _back(project, "notes")


@login_required
@require_POST
def project_next_step(request, pk):
    project = _team_project(request, pk)
    form = NextStepForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Dites quelle est la prochaine étape (et une date valide, si vous en donnez une).")
        return _back(project, "prochaines-etapes")
    data = form.cleaned_data
    services.next_step_add(
        project=project,
        by=request.user,
        title=data["title"],
        due_on=data["due_on"],
        shared_with_holder=data["shared_with_holder"],
    )
    messages.success(request, "Prochaine étape ajoutée.")
    return _back(project, "prochaines-etapes")


@login_required
@require_POST
def project_next_step_done(request, pk, step_pk):
    project = _team_project(request, pk)
    step = get_object_or_404(NextStep, pk=step_pk, project=project)
    services.next_step_done(step=step, by=request.user)
    return _back(project, "prochaines-etapes")


@login_required
@require_POST
def project_document(request, pk):
    project = _team_project(request, pk)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Choisissez un fichier à déposer.")
        return _back(project, "documents")
    try:
        services.document_add(project=project, by=request.user, upload=form.cleaned_data["file"])
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, "Document déposé.")
    return _back(project, "documents")


@login_required
def project_document_download(request, pk, document_pk):
    """The team and the referred partner only; each download is logged."""
    project, audience = project_for(request, pk, log=None)
    if audience == HOLDER:
        raise Http404("Document introuvable.")
    document = get_object_or_404(ProjectDocument, pk=document_pk, project=project)
    services.project_access(project=project, user=request.user, action="download")
    return private_file_response(document.file, content_type=document.content_type, filename=document.original_name)


# --- the grant application started from the project -------------------------------------------------------------


@login_required
def project_application(request, pk):
    """Login required: the holder. Starts a prefilled grant application draft from the project (POST) and opens
    it; GET explains and lists the open schemes of the territory."""
    project, audience = project_for(request, pk, log=None)
    if audience != HOLDER:
        raise Http404("Projet introuvable.")
    schemes_qs = _scheme_queryset(project)
    form = ApplicationStartForm(request.POST or None, schemes=schemes_qs)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_from_project(
                project=project, scheme=form.cleaned_data["scheme"], user=request.user
            )
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(
                request, "Votre demande est commencée, préremplie depuis votre projet : vérifiez chaque étape."
            )
            return redirect(application.get_absolute_url())
    return render(
        request,
        "support/projects/application_start.html",
        {
            "project": project,
            "form": form,
            "has_schemes": bool(form.fields["scheme"].queryset.exists()),
            "breadcrumbs": [
                ("Mon espace", _home(HOLDER)),
                (project.title, project.get_absolute_url()),
                ("Demande d'aide", None),
            ],
            "page_title": "Commencer une demande d'aide",
        },
    )


def _scheme_queryset(project):
    from essaim.grants.models import Scheme

    return Scheme.objects.filter(pk__in=[scheme.pk for scheme in _open_schemes(project)]).order_by("name")


# --- the satisfaction survey -----------------------------------------------------------------------------------


def survey(request, token):
    """Public (the token is the key): three questions, one answer per token; a bad token is a French 404."""
    survey = SatisfactionSurvey.objects.filter(token=token[:64]).select_related("project__territory").first()
    if survey is None or survey.project.anonymised_at is not None:
        raise Http404("Ce lien d'enquête n'existe pas ou n'est plus valable.")
    form = SurveyForm(request.POST or None)
    done = survey.answered_at is not None
    if request.method == "POST" and not done and form.is_valid():
        data = form.cleaned_data
        try:
            services.survey_answer(
                survey=survey, rating=data["rating"], helped=data["helped"], comment=data["comment"]
            )
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            done = True
    response = render(
        request,
        "support/projects/survey.html",
        {
            "survey": survey,
            "territory": survey.project.territory,
            "form": form,
            "done": done,
            "breadcrumbs": [],
            "page_title": "Votre avis sur l'accompagnement",
        },
    )
    response["Cache-Control"] = "private, no-store"
    return response
