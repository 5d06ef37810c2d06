"""Factories of the club (shared by every test module of tests/club)."""

import datetime

import factory
from django.utils import timezone

from essaim.agenda.enums import Audience, EventType
from essaim.club.enums import (
    ClubRole,
    ListingCategory,
    ListingKind,
    MemberStatus,
    PartnerStatus,
    PracticeStatus,
)
from essaim.club.models import (
    AnswerPartner,
    Call,
    CharterAcceptance,
    CharterVersion,
    Club,
    ClubStaff,
    JointAnswer,
    Listing,
    Meeting,
    Member,
    MemberPerson,
    PracticeSheet,
    SharedItem,
    Skill,
    Topic,
)
from tests.accounts.factories import UserFactory
from tests.agenda.factories import EventFactory
from tests.directory.factories import StructureFactory
from tests.territories.factories import TerritoryFactory


class ClubFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Club

    territory = factory.SubFactory(TerritoryFactory)
    slug = factory.Sequence(lambda n: f"club-{n}")
    name = factory.Sequence(lambda n: f"Club des entrepreneurs de l'ESS n° {n}")
    description = "Se connaître, s'entraider et travailler ensemble."
    founded_on = datetime.date(2015, 2, 1)


class CharterVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CharterVersion

    club = factory.SubFactory(ClubFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = "Les membres s'engagent à partager leurs pratiques et à mutualiser leurs moyens."
    adopted_on = datetime.date(2015, 6, 1)


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Compétence {n}")
    slug = factory.Sequence(lambda n: f"competence-{n}")


class MemberFactory(factory.django.DjangoModelFactory):
    """An active member (a structure of the directory) for a year from today."""

    class Meta:
        model = Member

    club = factory.SubFactory(ClubFactory)
    structure = factory.SubFactory(StructureFactory)
    status = MemberStatus.ACTIVE
    joined_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    expires_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=335))
    show_publicly = True

    class Params:
        candidate = factory.Trait(status=MemberStatus.CANDIDATE, joined_on=None, expires_on=None)
        lapsed = factory.Trait(
            status=MemberStatus.LAPSED,
            expires_on=factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10)),
        )


class MemberPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MemberPerson

    member = factory.SubFactory(MemberFactory)
    user = factory.SubFactory(UserFactory)
    function = "Directrice"


class ClubStaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClubStaff

    club = factory.SubFactory(ClubFactory)
    user = factory.SubFactory(UserFactory)
    role = ClubRole.FACILITATOR


class CharterAcceptanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CharterAcceptance

    member = factory.SubFactory(MemberFactory)
    version = factory.SubFactory(CharterVersionFactory, club=factory.SelfAttribute("..member.club"))


def member_user(club=None, *, status=MemberStatus.ACTIVE, **member_kwargs):
    """A person acting for a member structure of ``club`` (a new club when None): returns (user, member)."""
    member = MemberFactory(club=club or ClubFactory(), status=status, **member_kwargs)
    person = MemberPersonFactory(member=member)
    return person.user, member


def facilitator(club):
    """A person who facilitates the club (without a member structure)."""
    return ClubStaffFactory(club=club, role=ClubRole.FACILITATOR).user


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    club = factory.SubFactory(ClubFactory)
    name = factory.Sequence(lambda n: f"Sujet {n}")
    slug = factory.Sequence(lambda n: f"sujet-{n}")


class MeetingFactory(factory.django.DjangoModelFactory):
    """A meeting with its members-only agenda event (no session: add one with SessionFactory(event=m.event))."""

    class Meta:
        model = Meeting

    club = factory.SubFactory(ClubFactory)
    event = factory.SubFactory(
        EventFactory,
        territory=factory.SelfAttribute("..club.territory"),
        members_only=True,
        event_type=EventType.REUNION,
        audiences=[Audience.ADHERENTS_CLUB],
        title=factory.Sequence(lambda n: f"Rencontre trimestrielle n° {n}"),
    )
    theme = "Recherche de financements"
    agenda = "Tour de table, intervention, questions."


class ListingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Listing

    club = factory.SelfAttribute("member.club")
    member = factory.SubFactory(MemberFactory)
    kind = ListingKind.OFFER
    category = ListingCategory.VEHICLE
    title = factory.Sequence(lambda n: f"Camionnette partagée n° {n}")
    description = "Un utilitaire de 12 m³, disponible en semaine."
    commune = factory.SelfAttribute("member.structure.commune")
    contact_name = "Élodie Deprez"
    contact_email = factory.Sequence(lambda n: f"contact{n}@structure.example")
    show_publicly = True


class SharedItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SharedItem

    club = factory.SelfAttribute("owner.club")
    owner = factory.SubFactory(MemberFactory)
    name = factory.Sequence(lambda n: f"Camionnette n° {n}")
    category = ListingCategory.VEHICLE


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Call

    club = factory.SubFactory(ClubFactory)
    title = factory.Sequence(lambda n: f"Appel à projets n° {n}")
    funder = "Région Hauts-de-France"
    deadline = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=45))


class JointAnswerFactory(factory.django.DjangoModelFactory):
    """A joint answer whose lead is an accepted partner (as the services make it)."""

    class Meta:
        model = JointAnswer
        skip_postgeneration_save = True

    call = factory.SubFactory(CallFactory)
    lead = factory.SubFactory(MemberFactory, club=factory.SelfAttribute("..call.club"))
    title = factory.Sequence(lambda n: f"Projet commun n° {n}")

    @factory.post_generation
    def lead_partner(obj, create, extracted, **kwargs):
        if create:
            AnswerPartner.objects.create(answer=obj, member=obj.lead, status=PartnerStatus.ACCEPTED)


class AnswerPartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnswerPartner

    answer = factory.SubFactory(JointAnswerFactory)
    member = factory.SubFactory(MemberFactory, club=factory.SelfAttribute("..answer.call.club"))
    status = PartnerStatus.ACCEPTED


class PracticeSheetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PracticeSheet

    club = factory.SelfAttribute("member.club")
    member = factory.SubFactory(MemberFactory)
    title = factory.Sequence(lambda n: f"Partager un poste de comptable n° {n}")
    what = "Trois associations partagent une comptable à temps partiel."
    status = PracticeStatus.DRAFT

    class Params:
        published = factory.Trait(status=PracticeStatus.PUBLISHED, published_at=factory.LazyFunction(timezone.now))
