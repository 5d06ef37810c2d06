"""Factories and builders of the calls' and joint answers' tests."""

from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile

from essaim.club.enums import PartnerStatus
from essaim.club.models import AnswerDocument, AnswerTask, Club, JointAnswer, Member
from essaim.grants.demo import DEMO_PDF
from tests.club.factories import AnswerPartnerFactory, ClubFactory, JointAnswerFactory, member_user


@dataclass
class Consortium:
    club: Club
    answer: JointAnswer
    lead_user: object
    lead: Member
    partner_user: object
    partner: Member
    invited_user: object
    invited: Member
    outsider_user: object  # a person of an active member, no partner of the answer


def consortium(club=None, **answer_kwargs) -> Consortium:
    """A joint answer with its lead, one accepted partner and one invited member, plus another member of the club."""
    club = club or ClubFactory()
    lead_user, lead = member_user(club)
    partner_user, partner = member_user(club)
    invited_user, invited = member_user(club)
    outsider_user, _ = member_user(club)
    answer = JointAnswerFactory(call__club=club, lead=lead, **answer_kwargs)
    AnswerPartnerFactory(answer=answer, member=partner, status=PartnerStatus.ACCEPTED)
    AnswerPartnerFactory(answer=answer, member=invited, status=PartnerStatus.INVITED)
    return Consortium(club, answer, lead_user, lead, partner_user, partner, invited_user, invited, outsider_user)


def pdf_upload(name="budget.pdf"):
    return SimpleUploadedFile(name, DEMO_PDF, content_type="application/pdf")


def document_of(answer, by) -> AnswerDocument:
    document = AnswerDocument(
        answer=answer, original_name="budget.pdf", content_type="application/pdf", uploaded_by=by
    )
    document.file.save("budget.pdf", pdf_upload(), save=False)
    document.save()
    return document


def task_of(answer, **kwargs) -> AnswerTask:
    return AnswerTask.objects.create(answer=answer, title=kwargs.pop("title", "Rédiger le budget"), **kwargs)
