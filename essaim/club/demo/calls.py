"""The club's demo — calls for projects and joint answers (issue #18, « Demo »): one open call on ESS cooperation
(fictitious but plausible: the Région's, deadline in a few weeks) with a joint answer in progress — a lead member,
two accepted partners and one invited, tasks (some done, one late), a budget split, a few messages and a small PDF —
and a past call whose won answer is linked to the grants demo's application « Véhicule et local de stockage
partagés entre deux associations » when it exists. Every date is relative to ``today``; a second run changes
nothing; no mail is sent (rows are written through the ORM, not the services that notify)."""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.text import slugify

from essaim.accounts.models import User
from essaim.club.enums import AnswerStatus, PartnerStatus
from essaim.club.models import (
    AnswerDocument,
    AnswerMessage,
    AnswerPartner,
    AnswerTask,
    Call,
    JointAnswer,
    MemberPerson,
)
from essaim.directory.models import Sector

PREFERRED = (
    "l-effet-deco",
    "maison-de-la-poesie",
    "cae-artois",
    "apic",
    "apes",
    "bge-hauts-de-france",
    "pas-de-calais-actif",
    "maison-ecoquartier-alouettes",
)
OPEN_CALL = "Coopérer pour entreprendre autrement : projets collectifs de l'ESS"
PAST_CALL = "Mutualiser pour durer : fonds d'appui aux coopérations associatives"
WON_TITLE = "Véhicule et local de stockage partagés entre deux associations"


def _pick(club, count):
    """Members by directory slug in the order of ``PREFERRED``, completed by any active member."""
    active = list(club.members.active().select_related("structure").order_by("structure__name", "pk"))
    by_slug = {m.structure.slug: m for m in active}
    chosen = [by_slug[slug] for slug in PREFERRED if slug in by_slug]
    chosen += [m for m in active if m not in chosen]
    return chosen[:count]


# Fictitious people of the partner structures that have no account in the demo (they cannot log in).
PARTNER_PEOPLE = [("Claire", "Delobel"), ("Yann", "Merlin"), ("Sonia", "Boulanger"), ("Rémi", "Decroix")]


def _person(member):
    """The first person of a member structure; a fictitious one (no usable password) when it has none, so that the
    workspace's tasks and messages have authors."""
    person = member.people.select_related("user").order_by("pk").first()
    if person is not None:
        return person.user
    first, last = PARTNER_PEOPLE[member.pk % len(PARTNER_PEOPLE)]
    email = f"{slugify(first)}.{slugify(last)}.{member.pk}@membre-club.example"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email, full_name=f"{first} {last}")
        user.set_unusable_password()
        user.save()
    MemberPerson.objects.get_or_create(member=member, user=user, defaults={"function": "Chargée de projets"})
    return user


def _at(today, days, hour=10):
    day = today + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def load_demo_calls(*, club, today) -> dict:
    members = _pick(club, 6)
    if len(members) < 2:
        return {"answers": 0}
    open_call, _ = Call.objects.get_or_create(
        club=club,
        title=OPEN_CALL,
        defaults={
            "funder": "Région Hauts-de-France",
            "description": (
                "La Région soutient les projets portés à plusieurs par des structures de l'économie sociale et "
                "solidaire : mutualisation de moyens, nouvelles activités partagées, emplois mutualisés. Les "
                "réponses en consortium d'au moins deux structures sont encouragées."
            ),
            "amount": Decimal("60000.00"),
            "amount_note": "jusqu'à 30 000 € par projet, 80 % des dépenses éligibles au plus",
            "deadline": today + datetime.timedelta(days=24),
            "notified_at": _at(today, -12),
        },
    )
    Call.objects.filter(pk=open_call.pk, created_at__gt=_at(today, -12)).update(created_at=_at(today, -12))
    open_call.sectors.set(Sector.objects.filter(slug__in=("culture", "insertion", "environnement")))
    answers = [_answer_in_progress(open_call, members, today)]
    past = _past_call(club, members, today)
    if past is not None:
        answers.append(past)
    return {"answers": len(answers)}


def _answer_in_progress(call, members, today):
    lead, partner_one, partner_two, invited = (members + members[:1] * 4)[:4]
    lead_user = _person(lead)
    answer, _ = JointAnswer.objects.get_or_create(
        call=call,
        title="Atelier partagé de réemploi créatif et culturel",
        defaults={
            "lead": lead,
            "summary": (
                "Un atelier commun où les structures du club récupèrent du mobilier et des matériaux, les "
                "transforment avec des salarié·es en insertion et les font vivre dans des ateliers culturels "
                "ouverts aux habitant·es."
            ),
            "amount_requested": Decimal("30000.00"),
            "facilitators_can_see": True,
            "created_by": lead_user,
        },
    )
    shares = [
        (lead, PartnerStatus.ACCEPTED, "Chef de file : atelier et coordination", Decimal("14000.00")),
        (partner_one, PartnerStatus.ACCEPTED, "Ateliers culturels", Decimal("9000.00")),
        (partner_two, PartnerStatus.ACCEPTED, "Portage des emplois partagés", Decimal("7000.00")),
        (invited, PartnerStatus.INVITED, "Formation des bénévoles", None),
    ]
    seen = set()
    for member, status, role, share in shares:
        if member.pk in seen:
            continue
        seen.add(member.pk)
        AnswerPartner.objects.get_or_create(
            answer=answer,
            member=member,
            defaults={
                "status": status,
                "role": role,
                "budget_share": share,
                "invited_by": lead_user,
                "answered_at": _at(today, -9) if status == PartnerStatus.ACCEPTED else None,
            },
        )
    partners = {p.member_id: p for p in answer.partners.all()}
    tasks = [
        ("Rédiger la note d'intention", lead, -10, True),
        ("Réunir les devis de l'aménagement de l'atelier", partner_two, -3, False),  # late
        ("Programme des ateliers culturels", partner_one, 6, False),
        ("Budget prévisionnel consolidé", lead, 12, False),
        ("Lettres d'engagement des partenaires", partner_one, -5, True),
    ]
    for title, member, due, done in tasks:
        AnswerTask.objects.get_or_create(
            answer=answer,
            title=title,
            defaults={
                "owner": _person(member),
                "partner": partners.get(member.pk),
                "due_on": today + datetime.timedelta(days=due),
                "done_at": _at(today, due - 1) if done else None,
            },
        )
    thread = [
        (lead, "Bonjour à toutes et tous : l'espace est ouvert, j'ai mis les premières tâches.", -9),
        (partner_one, "Nous prenons le programme culturel, trois ateliers par trimestre au moins.", -8),
        (partner_two, "Les devis arrivent en retard, je relance le menuisier cette semaine.", -2),
    ]
    for member, body, days in thread:
        message, created = AnswerMessage.objects.get_or_create(
            answer=answer, body=body, defaults={"author": _person(member)}
        )
        if created:
            AnswerMessage.objects.filter(pk=message.pk).update(created_at=_at(today, days))
    if not answer.documents.exists():
        from essaim.grants.demo import DEMO_PDF

        document = AnswerDocument(
            answer=answer, original_name="note-d-intention.pdf", content_type="application/pdf", uploaded_by=lead_user
        )
        document.file.save("note-d-intention.pdf", ContentFile(DEMO_PDF), save=False)
        document.save()
    return answer


def _past_call(club, members, today):
    from essaim.grants.models import Application

    application = (
        Application.objects.filter(project_title=WON_TITLE, scheme__territory=club.territory).order_by("pk").first()
    )
    lead = members[0]
    if application is not None and application.structure_id:
        lead = club.members.active().filter(structure_id=application.structure_id).first() or lead
    partner = next(m for m in members if m.pk != lead.pk)
    call, _ = Call.objects.get_or_create(
        club=club,
        title=PAST_CALL,
        defaults={
            "funder": "Fondation pour la coopération associative",
            "description": "Un fonds d'appui aux associations qui partagent leurs moyens pour durer.",
            "amount": Decimal("40000.00"),
            "deadline": today - datetime.timedelta(days=150),
            "notified_at": _at(today, -200),
        },
    )
    call.sectors.set(Sector.objects.filter(slug__in=("services-personne", "mobilite")))
    answer, _ = JointAnswer.objects.get_or_create(
        call=call,
        title=WON_TITLE,
        defaults={
            "lead": lead,
            "summary": "Deux associations mutualisent un véhicule frigorifique et un local de stockage.",
            "amount_requested": Decimal("25000.00"),
            "status": AnswerStatus.WON,
            "submitted_on": today - datetime.timedelta(days=152),
            "outcome_on": today - datetime.timedelta(days=90),
            "amount_awarded": Decimal("22000.00"),
            "outcome_note": "Projet retenu : le partage du véhicule est exemplaire ; budget de stockage à préciser.",
            "grant_application": application,
            "created_by": _person(lead),
        },
    )
    for member, role, share in (
        (lead, "Chef de file : véhicule", "12000.00"),
        (partner, "Local de stockage", "10000.00"),
    ):
        AnswerPartner.objects.get_or_create(
            answer=answer,
            member=member,
            defaults={
                "status": PartnerStatus.ACCEPTED,
                "role": role,
                "budget_share": Decimal(share),
                "answered_at": _at(today, -170),
            },
        )
    return answer
