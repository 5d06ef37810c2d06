"""The joint answers (*réponses en consortium*) under the members' space: a new answer to a call, the person's
answers and invitations, and the private workspace (deadline, partners and budget split, tasks, documents,
discussion, outcome, the grant application of a won answer).

Every page looks the answer up through ``answer_for``: 404 — not 403 — for anybody who may not see it, whatever the
id typed. An invited partner sees the invitation only (title, lead, call) and answers it; the facilitators read the
workspace when the lead allows it, without writing in it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from essaim.club import perms
from essaim.club.enums import MemberStatus, PartnerStatus
from essaim.club.models import AnswerDocument, AnswerPartner, AnswerTask, Call, JointAnswer, Member
from essaim.club.services import answers as services
from essaim.core.http import private_file_response
from essaim.core.links import site_url
from essaim.www.club.calls import club_crumb
from essaim.www.club.common import club_for, errors_text
from essaim.www.club.forms_calls import (
    AnswerForm,
    DocumentForm,
    InviteForm,
    MessageForm,
    OutcomeForm,
    ShareForm,
    TaskForm,
)


def answer_for(request, club_slug, pk, *, workspace=True) -> JointAnswer:
    """The answer ``pk`` of the club, if the person may see its workspace (or, ``workspace=False``, answer its
    invitation); 404 for anybody else."""
    club = club_for(club_slug)
    answer = get_object_or_404(
        JointAnswer.objects.select_related("call__club__territory", "lead__structure").prefetch_related("partners"),
        pk=pk,
        call__club=club,
    )
    allowed = perms.can_see_answer if workspace else perms.can_answer_invitation
    if not allowed(request.user, answer):
        raise Http404("Réponse introuvable.")
    return answer


def _back(answer, anchor=""):
    url = reverse("club:answer", kwargs={"club": answer.call.club.slug, "pk": answer.pk})
    return redirect(f"{url}#{anchor}" if anchor else url)


def _crumbs(club, *rest):
    return [club_crumb(club), ("Mes réponses communes", reverse("club:answers", kwargs={"club": club.slug})), *rest]


def _my_members(request, club):
    return Member.objects.filter(pk__in=perms.member_ids(request.user, club)).select_related("structure")


# --- a new answer, the list --------------------------------------------------------------------------------------


@login_required
def answer_new(request, club, pk):
    """A member's person starts a joint answer to an open call, for one of its structures (the lead)."""
    club = club_for(club)
    call = get_object_or_404(Call, pk=pk, club=club)
    members = _my_members(request, club).order_by("structure__name")
    if not members.exists():
        raise Http404("Page réservée aux membres du club.")
    form = AnswerForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            answer = services.answer_create(
                call=call,
                lead=data["member"],
                by=request.user,
                title=data["title"],
                summary=data["summary"],
                amount_requested=data["amount_requested"],
                facilitators_can_see=data["facilitators_can_see"],
            )
        except ValidationError as exc:
            form.add_error(None, errors_text(exc))
        else:
            messages.success(request, "Réponse commune créée : invitez maintenant vos partenaires.")
            return _back(answer)
    return render(
        request,
        "club/calls/answer_new.html",
        {
            "club": club,
            "call": call,
            "form": form,
            "is_open": call.deadline >= timezone.localdate(),
            "page_title": f"Répondre ensemble : {call.title}",
            "breadcrumbs": [
                club_crumb(club),
                ("Appels à projets", reverse("club:calls", kwargs={"club": club.slug})),
                (call.title, reverse("club:call", kwargs={"club": club.slug, "pk": call.pk})),
                ("Répondre ensemble", None),
            ],
        },
    )


@login_required
def answers(request, club):
    """The person's joint answers (as an accepted partner) and the invitations waiting for their answer; the
    staff also sees the answers whose lead lets the facilitators follow."""
    club = club_for(club)
    mine = perms.member_ids(request.user, club)
    can_facilitate = perms.can_facilitate(request.user, club)
    if not mine and not can_facilitate:
        raise Http404("Page réservée aux membres du club.")
    base = JointAnswer.objects.filter(call__club=club).select_related("call", "lead__structure")
    working = list(
        base.filter(partners__member_id__in=mine, partners__status=PartnerStatus.ACCEPTED)
        .distinct()
        .order_by("call__deadline", "pk")
    )
    invited = list(
        base.filter(partners__member_id__in=mine, partners__status=PartnerStatus.INVITED)
        .distinct()
        .order_by("call__deadline", "pk")
    )
    followed = []
    if can_facilitate:
        followed = list(
            base.filter(facilitators_can_see=True).exclude(pk__in=[a.pk for a in working]).order_by("-created_at")
        )
    return render(
        request,
        "club/calls/answers.html",
        {
            "club": club,
            "working": working,
            "invited": invited,
            "followed": followed,
            "page_title": "Mes réponses communes",
            "breadcrumbs": [club_crumb(club), ("Mes réponses communes", None)],
        },
    )


# --- the workspace -----------------------------------------------------------------------------------------------


@login_required
def answer(request, club, pk):
    """The workspace for its accepted partners (and the facilitators when allowed); the invitation for an invited
    member's person; 404 for anybody else."""
    club_slug = club
    club = club_for(club_slug)
    answer = get_object_or_404(
        JointAnswer.objects.select_related("call__club__territory", "lead__structure", "grant_application"),
        pk=pk,
        call__club=club,
    )
    if not perms.can_see_answer(request.user, answer):
        if perms.can_answer_invitation(request.user, answer):
            return _invitation(request, answer)
        raise Http404("Réponse introuvable.")
    return render(request, "club/calls/answer.html", _workspace(request, answer))


def _workspace(request, answer, **forms):
    club = answer.call.club
    today = timezone.localdate()
    partners = list(answer.partners.select_related("member__structure").order_by("created_at", "pk"))
    is_lead = perms.can_lead_answer(request.user, answer)
    works = perms.answer_partner(request.user, answer) is not None
    tasks = list(answer.tasks.select_related("owner", "partner__member__structure"))
    for task in tasks:
        task.is_late = task.done_at is None and task.due_on is not None and task.due_on < today
    context = {
        "club": club,
        "answer": answer,
        "call": answer.call,
        "days_left": (answer.call.deadline - today).days,
        "partners": partners,
        "budget": services.budget(answer, partners),
        "tasks": tasks,
        "late_count": sum(1 for task in tasks if task.is_late),
        "documents": list(answer.documents.select_related("uploaded_by")),
        "thread": list(answer.messages.select_related("author")),
        "is_lead": is_lead,
        "works": works,
        "page_title": f"Réponse commune : {answer.title}",
        "breadcrumbs": _crumbs(club, (answer.title, None)),
    }
    if works:
        people = services.partner_people(answer)
        context.update(
            task_form=forms.get("task_form") or TaskForm(people=people),
            message_form=forms.get("message_form") or MessageForm(),
            document_form=forms.get("document_form") or DocumentForm(),
        )
    if is_lead:
        taken = [p.member_id for p in partners if p.status != PartnerStatus.DECLINED]
        candidates = (
            Member.objects.filter(club=club, status=MemberStatus.ACTIVE)
            .exclude(pk__in=taken)
            .select_related("structure")
            .order_by("structure__name")
        )
        allowed = services.TRANSITIONS.get(answer.status, ())
        context.update(
            invite_form=forms.get("invite_form") or InviteForm(members=candidates),
            can_invite=answer.status == "preparing" and candidates.exists(),
            share_forms={
                p.pk: ShareForm(prefix=f"p{p.pk}", initial={"role": p.role, "budget_share": p.budget_share})
                for p in partners
                if p.status != PartnerStatus.DECLINED
            },
            outcome_form=(forms.get("outcome_form") or OutcomeForm(allowed=allowed)) if allowed else None,
            can_start_application=answer.status == "won" and answer.grant_application_id is None,
            scheme=services.open_scheme(club.territory) if answer.status == "won" else None,
        )
    for partner in partners:
        partner.share_form = context.get("share_forms", {}).get(partner.pk)
    return context


def _invitation(request, answer):
    club = answer.call.club
    return render(
        request,
        "club/calls/invitation.html",
        {
            "club": club,
            "answer": answer,
            "call": answer.call,
            "page_title": f"Invitation : {answer.title}",
            "breadcrumbs": _crumbs(club, (answer.title, None)),
        },
    )


@login_required
@require_POST
def answer_reply(request, club, pk):
    """An invited member's person accepts or declines."""
    answer = answer_for(request, club, pk, workspace=False)
    accept = request.POST.get("decision") == "accept"
    try:
        services.invitation_reply(answer=answer, by=request.user, accept=accept)
    except ValidationError as exc:
        messages.error(request, errors_text(exc))
        return redirect("club:answers", club=answer.call.club.slug)
    perms.forget(request.user)
    if accept:
        messages.success(request, "Vous êtes partenaire de cette réponse commune.")
        return _back(answer)
    messages.success(request, "Invitation déclinée.")
    return redirect("club:answers", club=answer.call.club.slug)


def _lead_answer(request, club, pk):
    answer = answer_for(request, club, pk)
    if not perms.can_lead_answer(request.user, answer):
        raise Http404("Page introuvable.")
    return answer


def _worker_answer(request, club, pk):
    answer = answer_for(request, club, pk)
    if perms.answer_partner(request.user, answer) is None:
        raise Http404("Page introuvable.")
    return answer


@login_required
@require_POST
def answer_invite(request, club, pk):
    answer = _lead_answer(request, club, pk)
    taken = answer.partners.exclude(status=PartnerStatus.DECLINED).values_list("member_id", flat=True)
    candidates = Member.objects.filter(club=answer.call.club, status=MemberStatus.ACTIVE).exclude(pk__in=taken)
    form = InviteForm(request.POST, members=candidates)
    if form.is_valid():
        try:
            partner = services.partner_invite(
                answer=answer,
                member=form.cleaned_data["member"],
                by=request.user,
                role=form.cleaned_data["role"],
                site_url=site_url(request),
            )
        except ValidationError as exc:
            form.add_error(None, errors_text(exc))
        else:
            messages.success(
                request, f"{partner.member.structure.name} est invitée : ses membres reçoivent un e-mail."
            )
            return _back(answer, "partenaires")
    return render(request, "club/calls/answer.html", _workspace(request, answer, invite_form=form), status=400)


@login_required
@require_POST
def answer_partner(request, club, pk, partner):
    """The lead sets a partner's role and budget share."""
    answer = _lead_answer(request, club, pk)
    partner = get_object_or_404(AnswerPartner, pk=partner, answer=answer)
    form = ShareForm(request.POST, prefix=f"p{partner.pk}")
    if not form.is_valid():
        messages.error(request, "La part du budget est un montant positif en euros.")
        return _back(answer, "partenaires")
    try:
        services.partner_share(
            partner=partner,
            by=request.user,
            role=form.cleaned_data["role"],
            budget_share=form.cleaned_data["budget_share"],
        )
    except ValidationError as exc:
        messages.error(request, errors_text(exc))
    else:
        messages.success(request, f"Part de {partner.member.structure.name} enregistrée.")
    return _back(answer, "partenaires")


@login_required
@require_POST
def answer_task_new(request, club, pk):
    answer = _worker_answer(request, club, pk)
    form = TaskForm(request.POST, people=services.partner_people(answer))
    if form.is_valid():
        try:
            services.task_add(
                answer=answer,
                by=request.user,
                title=form.cleaned_data["title"],
                owner=form.cleaned_data["owner"],
                due_on=form.cleaned_data["due_on"],
            )
        except ValidationError as exc:
            form.add_error(None, errors_text(exc))
        else:
            messages.success(request, "Tâche ajoutée.")
            return _back(answer, "taches")
    return render(request, "club/calls/answer.html", _workspace(request, answer, task_form=form), status=400)


@login_required
@require_POST
def answer_task(request, club, pk, task):
    """Marks a task done or not done."""
    answer = _worker_answer(request, club, pk)
    task = get_object_or_404(AnswerTask, pk=task, answer=answer)
    services.task_mark(task=task, by=request.user, done=request.POST.get("done") == "1")
    messages.success(request, "Tâche faite." if task.done_at else "Tâche rouverte.")
    return _back(answer, "taches")


@login_required
@require_POST
def answer_message(request, club, pk):
    answer = _worker_answer(request, club, pk)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            services.message_post(answer=answer, by=request.user, body=form.cleaned_data["body"])
        except ValidationError as exc:
            form.add_error("body", errors_text(exc))
        else:
            messages.success(request, "Message publié.")
            return _back(answer, "discussion")
    return render(request, "club/calls/answer.html", _workspace(request, answer, message_form=form), status=400)


@login_required
@require_POST
def answer_document_new(request, club, pk):
    answer = _worker_answer(request, club, pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.document_add(answer=answer, by=request.user, upload=form.cleaned_data["file"])
        except ValidationError as exc:
            form.add_error("file", errors_text(exc))
        else:
            messages.success(request, "Document déposé.")
            return _back(answer, "documents")
    return render(request, "club/calls/answer.html", _workspace(request, answer, document_form=form), status=400)


@login_required
def answer_document(request, club, pk, document):
    """A document of the workspace, for those who see the workspace only."""
    answer = answer_for(request, club, pk)
    document = get_object_or_404(AnswerDocument, pk=document, answer=answer)
    return private_file_response(document.file, content_type=document.content_type, filename=document.original_name)


@login_required
def answer_settings(request, club, pk):
    """The lead edits the project and whether the facilitators may follow."""
    answer = _lead_answer(request, club, pk)
    form = AnswerForm(
        request.POST or None,
        initial={
            "title": answer.title,
            "summary": answer.summary,
            "amount_requested": answer.amount_requested,
            "facilitators_can_see": answer.facilitators_can_see,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_settings(answer=answer, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, errors_text(exc))
        else:
            messages.success(request, "Réponse modifiée.")
            return _back(answer)
    club = answer.call.club
    return render(
        request,
        "club/calls/answer_settings.html",
        {
            "club": club,
            "answer": answer,
            "form": form,
            "page_title": f"Modifier la réponse : {answer.title}",
            "breadcrumbs": _crumbs(
                club,
                (answer.title, reverse("club:answer", kwargs={"club": club.slug, "pk": answer.pk})),
                ("Modifier", None),
            ),
        },
    )


@login_required
@require_POST
def answer_outcome(request, club, pk):
    answer = _lead_answer(request, club, pk)
    form = OutcomeForm(request.POST, allowed=services.TRANSITIONS.get(answer.status, ()))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.answer_outcome(
                answer=answer,
                by=request.user,
                status=data["status"],
                on=data["on"],
                amount_awarded=data["amount_awarded"],
                note=data["note"],
            )
        except ValidationError as exc:
            form.add_error(None, errors_text(exc))
        else:
            messages.success(request, "Résultat enregistré.")
            return _back(answer, "resultat")
    return render(request, "club/calls/answer.html", _workspace(request, answer, outcome_form=form), status=400)


@login_required
@require_POST
def answer_application(request, club, pk):
    """On a won answer, the lead starts the grant application (cooperation project) and opens it."""
    answer = _lead_answer(request, club, pk)
    try:
        application = services.answer_start_application(answer=answer, by=request.user)
    except ValidationError as exc:
        messages.error(request, errors_text(exc))
        return _back(answer, "resultat")
    messages.success(
        request, "La demande d'aide est commencée, préremplie depuis la réponse commune : vérifiez chaque étape."
    )
    return redirect(application.get_absolute_url())
