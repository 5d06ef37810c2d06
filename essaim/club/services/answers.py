"""Joint answers to calls for projects (*réponses en consortium*): a lead member creates one, invites partners
among the club's active members, who accept or decline; the accepted partners share tasks, documents and a short
discussion; the lead splits the budget, records the outcome and, when the answer is won, may start the grant
application of the territory's "Entreprendre Autrement" scheme for it as a cooperation project (fiche 10).

Who may do what is ``essaim.club.perms``; every function here checks it again and raises a French
``ValidationError``."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from essaim.club import perms
from essaim.club.enums import AnswerStatus, MemberStatus, PartnerStatus
from essaim.club.models import AnswerDocument, AnswerMessage, AnswerPartner, AnswerTask, JointAnswer, Member

MAX_MESSAGE = 4000

# The outcome's workflow: what the lead may record from each status.
TRANSITIONS = {
    AnswerStatus.PREPARING: (AnswerStatus.SUBMITTED, AnswerStatus.ABANDONED),
    AnswerStatus.SUBMITTED: (AnswerStatus.WON, AnswerStatus.LOST, AnswerStatus.ABANDONED),
    AnswerStatus.WON: (),
    AnswerStatus.LOST: (),
    AnswerStatus.ABANDONED: (),
}


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ValidationError(message)


def _text(value) -> str:
    return (value or "").strip()


# --- the answer and its partners --------------------------------------------------------------------------------


@transaction.atomic
def answer_create(
    *, call, lead: Member, by, title: str, summary: str = "", amount_requested=None, facilitators_can_see=False
) -> JointAnswer:
    """A member's person starts a joint answer for its structure, which leads it and is an accepted partner at
    once. The call must still be open."""
    _require(lead.club_id == call.club_id, "Cette structure n'est pas membre du club de cet appel.")
    _require(
        lead.status == MemberStatus.ACTIVE and perms.acts_for(by, lead),
        "Vous ne pouvez répondre qu'au nom d'une structure membre active du club pour laquelle vous agissez.",
    )
    _require(call.deadline >= timezone.localdate(), "La date limite de cet appel est passée.")
    _require(bool(_text(title)), "Donnez un intitulé au projet.")
    _require(amount_requested is None or amount_requested >= 0, "Le montant demandé ne peut pas être négatif.")
    answer = JointAnswer.objects.create(
        call=call,
        lead=lead,
        title=_text(title)[:250],
        summary=_text(summary),
        amount_requested=amount_requested,
        facilitators_can_see=bool(facilitators_can_see),
        created_by=by,
    )
    AnswerPartner.objects.create(
        answer=answer, member=lead, status=PartnerStatus.ACCEPTED, invited_by=by, answered_at=timezone.now()
    )
    return answer


@transaction.atomic
def answer_settings(*, answer: JointAnswer, by, title: str, summary: str, amount_requested, facilitators_can_see):
    """The lead edits the project's title, summary, amount requested, and whether the facilitators may follow."""
    _require(perms.can_lead_answer(by, answer), "Seul le chef de file modifie la réponse.")
    _require(bool(_text(title)), "Donnez un intitulé au projet.")
    _require(amount_requested is None or amount_requested >= 0, "Le montant demandé ne peut pas être négatif.")
    answer.title = _text(title)[:250]
    answer.summary = _text(summary)
    answer.amount_requested = amount_requested
    answer.facilitators_can_see = bool(facilitators_can_see)
    answer.save()
    return answer


@transaction.atomic
def partner_invite(*, answer: JointAnswer, member: Member, by, role: str = "", site_url: str = "") -> AnswerPartner:
    """The lead invites an active member of the club; its people get a mail. A member who declined may be invited
    again; one already invited or partner may not (constraint ``answer_partner_once``)."""
    from essaim.club.tasks import calls as tasks

    _require(perms.can_lead_answer(by, answer), "Seul le chef de file invite des partenaires.")
    _require(answer.status == AnswerStatus.PREPARING, "La réponse n'est plus en préparation.")
    _require(
        member.club_id == answer.call.club_id and member.status == MemberStatus.ACTIVE,
        "Seuls les membres actifs du club peuvent être invités.",
    )
    existing = AnswerPartner.objects.filter(answer=answer, member=member).first()
    if existing is not None:
        _require(existing.status == PartnerStatus.DECLINED, "Cette structure est déjà invitée ou partenaire.")
        existing.status = PartnerStatus.INVITED
        existing.invited_by = by
        existing.answered_at = None
        existing.role = _text(role)[:200] or existing.role
        existing.save()
        partner = existing
    else:
        try:
            with transaction.atomic():
                partner = AnswerPartner.objects.create(
                    answer=answer, member=member, invited_by=by, role=_text(role)[:200]
                )
        except IntegrityError as exc:
            raise ValidationError("Cette structure est déjà invitée ou partenaire.") from exc
    pk = partner.pk
    transaction.on_commit(lambda: tasks.send_answer_invitation.enqueue(pk, site_url))
    return partner


@transaction.atomic
def invitation_reply(*, answer: JointAnswer, by, accept: bool) -> AnswerPartner:
    """A person of an invited member accepts or declines for its structure. A conditional UPDATE: a second reply
    (a double click, two people of the structure) finds nothing left to answer."""
    mine = perms.member_ids(by, answer.call.club)
    partner = answer.partners.filter(member_id__in=mine, status=PartnerStatus.INVITED).first()
    _require(partner is not None, "Cette invitation n'attend plus de réponse.")
    status = PartnerStatus.ACCEPTED if accept else PartnerStatus.DECLINED
    done = AnswerPartner.objects.filter(pk=partner.pk, status=PartnerStatus.INVITED).update(
        status=status, answered_at=timezone.now(), updated_at=timezone.now()
    )
    _require(bool(done), "Cette invitation n'attend plus de réponse.")
    partner.refresh_from_db()
    return partner


@transaction.atomic
def partner_share(*, partner: AnswerPartner, by, role: str, budget_share) -> AnswerPartner:
    """The lead sets a partner's role and share of the budget (the total may exceed the amount requested: the
    workspace warns, it does not refuse)."""
    _require(perms.can_lead_answer(by, partner.answer), "Seul le chef de file répartit le budget.")
    _require(partner.status != PartnerStatus.DECLINED, "Ce partenaire a décliné l'invitation.")
    _require(budget_share is None or budget_share >= 0, "Une part du budget ne peut pas être négative.")
    partner.role = _text(role)[:200]
    partner.budget_share = budget_share
    partner.save(update_fields=["role", "budget_share", "updated_at"])
    return partner


def budget(answer: JointAnswer, partners=None) -> dict:
    """The total of the partners' shares (declined ones aside) against the amount requested."""
    partners = partners if partners is not None else list(answer.partners.all())
    total = sum(
        (p.budget_share for p in partners if p.budget_share is not None and p.status != PartnerStatus.DECLINED),
        Decimal("0.00"),
    )
    requested = answer.amount_requested
    return {
        "total": total,
        "requested": requested,
        "exceeds": requested is not None and total > requested,
        "left": None if requested is None else requested - total,
    }


def partner_people(answer: JointAnswer):
    """The people of the accepted partners: who may own a task."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(
            club_people__member__answer_partnerships__answer=answer,
            club_people__member__answer_partnerships__status=PartnerStatus.ACCEPTED,
            is_active=True,
        )
        .distinct()
        .order_by("full_name", "email")
    )


# --- the workspace: tasks, messages, documents ------------------------------------------------------------------


def _worker(answer, by):
    partner = perms.answer_partner(by, answer)
    _require(partner is not None, "Seuls les partenaires de la réponse y travaillent.")
    return partner


@transaction.atomic
def task_add(*, answer: JointAnswer, by, title: str, owner=None, due_on=None) -> AnswerTask:
    """A partner adds a task, owned by a person of an accepted partner (or nobody yet)."""
    _worker(answer, by)
    _require(bool(_text(title)), "Décrivez la tâche.")
    partner = None
    if owner is not None:
        partner = (
            answer.partners.filter(status=PartnerStatus.ACCEPTED, member__people__user=owner).order_by("pk").first()
        )
        _require(partner is not None, "La tâche revient à une personne d'un partenaire de la réponse.")
    return AnswerTask.objects.create(
        answer=answer, title=_text(title)[:250], owner=owner, partner=partner, due_on=due_on
    )


@transaction.atomic
def task_mark(*, task: AnswerTask, by, done: bool) -> AnswerTask:
    """A partner marks a task done, or not done again."""
    _worker(task.answer, by)
    task.done_at = timezone.now() if done else None
    task.save(update_fields=["done_at", "updated_at"])
    return task


@transaction.atomic
def message_post(*, answer: JointAnswer, by, body: str) -> AnswerMessage:
    _worker(answer, by)
    body = _text(body)
    _require(bool(body), "Le message est vide.")
    _require(len(body) <= MAX_MESSAGE, f"Un message compte {MAX_MESSAGE} caractères au plus.")
    return AnswerMessage.objects.create(answer=answer, author=by, body=body)


@transaction.atomic
def document_add(*, answer: JointAnswer, by, upload) -> AnswerDocument:
    """Stores a document after the grants' checks (type read from the content — PDF, PNG or JPEG —, size limit,
    PDF without active content, images re-encoded without their metadata)."""
    from essaim.grants.documents import sniff_content_type

    _worker(answer, by)
    content_type = sniff_content_type(upload)
    name = (getattr(upload, "name", "") or "document").rsplit("/", 1)[-1][:200]
    document = AnswerDocument(answer=answer, original_name=name, content_type=content_type, uploaded_by=by)
    document.file.save(name, upload, save=False)
    document.save()
    return document


# --- the outcome and the grant application ----------------------------------------------------------------------


@transaction.atomic
def answer_outcome(
    *, answer: JointAnswer, by, status: str, on=None, amount_awarded=None, note: str = ""
) -> JointAnswer:
    """The lead records where the answer stands: submitted (with its date), then won (with the amount awarded),
    lost, or abandoned; with the funder's feedback. ``TRANSITIONS`` says what may follow what."""
    _require(perms.can_lead_answer(by, answer), "Seul le chef de file enregistre le résultat.")
    answer = JointAnswer.objects.select_for_update(of=("self",)).get(pk=answer.pk)
    _require(
        status in TRANSITIONS.get(answer.status, ()),
        f"Une réponse « {answer.get_status_display()} » ne peut pas devenir « {AnswerStatus(status).label} ».",
    )
    today = timezone.localdate()
    _require(on is None or on <= today, "La date ne peut pas être dans le futur.")
    if status == AnswerStatus.SUBMITTED:
        answer.submitted_on = on or today
    elif status in (AnswerStatus.WON, AnswerStatus.LOST):
        answer.outcome_on = on or today
        _require(
            answer.submitted_on is None or answer.outcome_on >= answer.submitted_on,
            "Le résultat ne peut pas être connu avant le dépôt.",
        )
    if status == AnswerStatus.WON:
        _require(
            amount_awarded is not None and amount_awarded > 0, "Indiquez le montant obtenu pour une réponse retenue."
        )
        answer.amount_awarded = amount_awarded
    answer.status = status
    if _text(note):
        answer.outcome_note = _text(note)
    answer.save()
    return answer


def open_scheme(territory):
    """The territory's published scheme open to applications today (the first by name), or None."""
    from essaim.grants.models import Scheme

    for scheme in Scheme.objects.published().filter(territory=territory).order_by("name"):
        if scheme.is_open:
            return scheme
    return None


def application_summary(answer: JointAnswer) -> str:
    partners = [
        p.member.structure.name
        for p in answer.partners.select_related("member__structure").order_by("pk")
        if p.status == PartnerStatus.ACCEPTED
    ]
    lines = [answer.summary.strip()] if answer.summary.strip() else []
    lines.append(
        f"Projet de coopération porté par {answer.lead.structure.name}, chef de file, avec : {', '.join(partners)}."
    )
    lines.append(f"Réponse commune à l'appel à projets « {answer.call.title} » ({answer.call.funder}), retenue.")
    return "\n\n".join(lines)


@transaction.atomic
def answer_start_application(*, answer: JointAnswer, by):
    """On a won answer, the lead's person opens a draft of the territory's open "Entreprendre Autrement" scheme
    for the lead structure: form « aide au développement », case « projet de mutualisation ou de coopération »,
    prefilled from the answer (title, summary, partners named), owned by the person, and linked to the answer.

    Locks the answer's row (``select_for_update``) so that two clicks at once open one application only."""
    from essaim.grants.enums import AccessAction, DevelopmentCase, GrantForm
    from essaim.grants.services import access_log
    from essaim.grants.services.applicant import application_create

    _require(perms.can_lead_answer(by, answer), "Seul le chef de file commence la demande d'aide.")
    answer = (
        JointAnswer.objects.select_for_update(of=("self",))
        .select_related("call__club", "lead__structure")
        .get(pk=answer.pk)
    )
    _require(answer.status == AnswerStatus.WON, "Seule une réponse retenue peut devenir une demande d'aide.")
    _require(answer.grant_application_id is None, "La demande d'aide de ce projet est déjà commencée.")
    scheme = open_scheme(answer.call.club.territory)
    _require(
        scheme is not None,
        "Aucun dispositif « Entreprendre Autrement » n'est ouvert aux demandes en ce moment sur ce territoire.",
    )
    application = application_create(
        scheme=scheme, applicant=by, form=GrantForm.DEVELOPMENT, development_case=DevelopmentCase.POOLING
    )
    structure = answer.lead.structure
    application.structure = structure
    application.project_title = answer.title[:250]
    application.project_summary = application_summary(answer)
    application.project_commune = structure.commune
    application.save()
    access_log(
        application=application, user=by, action=AccessAction.CHANGE, detail="prérempli depuis la réponse commune"
    )
    answer.grant_application = application
    answer.save(update_fields=["grant_application", "updated_at"])
    return application
