"""A known territory for the observatory's figures: every row below is counted by hand in the tests.

The territory is the grants' ``World`` territory (its commune « Auchel », plus « Béthune »); the year is 2026 (the
grants' world decides in 2026), the previous year 2025 holds one structure first published then and one session."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from essaim.agenda.enums import Audience, EventStatus, EventType, RegistrationStatus
from essaim.directory.enums import Family, HeadcountBand, Status, Transition
from essaim.directory.models import ModerationLog
from essaim.grants.enums import ApplicationState
from essaim.territories.models import TerritoryCommune
from tests.agenda.factories import CampaignFactory, EventFactory, RegistrationFactory, SessionFactory
from tests.directory.factories import SectorFactory, StructureFactory, StructureLabelFactory
from tests.territories.factories import CommuneFactory

PARIS = ZoneInfo("Europe/Paris")
YEAR = 2026


def at(year, month, day, hour=18):
    return datetime.datetime(year, month, day, hour, tzinfo=PARIS)


def _log(structure, transition, to_status, moment):
    log = ModerationLog.objects.create(structure=structure, transition=transition, to_status=to_status)
    ModerationLog.objects.filter(pk=log.pk).update(created_at=moment)


class Known:
    def __init__(self, world):
        self.world = world
        self.territory = world.territory
        self.auchel = world.commune
        self.auchel.name = "Auchel"
        self.auchel.save()
        self.bethune = CommuneFactory(name="Béthune")
        TerritoryCommune.objects.create(territory=self.territory, commune=self.bethune)
        self.outside = world.outside
        self.reemploi = SectorFactory(slug="reemploi", name="Réemploi", position=1)
        self.alimentation = SectorFactory(slug="alimentation", name="Alimentation", position=2)
        self._directory()
        self._agenda()
        self._grants()

    def _directory(self):
        s1 = StructureFactory(
            family=Family.ASSOCIATION, commune=self.auchel, headcount_band=HeadcountBand.B01, is_employer=True
        )
        StructureLabelFactory(structure=s1, label="ACI")
        s1.sectors.add(self.reemploi)
        s2 = StructureFactory(family=Family.COOPERATIVE, commune=self.auchel, headcount_band=HeadcountBand.B12)
        StructureLabelFactory(structure=s2, label="SCOP")
        StructureLabelFactory(structure=s2, label="ESUS")
        s2.sectors.add(self.reemploi, self.alimentation)
        s3 = StructureFactory(family=Family.ASSOCIATION, commune=self.bethune)
        s3.sectors.add(self.alimentation)
        s4 = StructureFactory(
            family=Family.FONDATION,
            commune=self.bethune,
            headcount_band=HeadcountBand.B00,
            is_employer=False,
            status=Status.ARCHIVED,
        )
        _log(s4, Transition.ARCHIVE, Status.ARCHIVED, at(YEAR, 6, 1))
        StructureFactory(family=Family.ASSOCIATION, commune=self.outside, headcount_band=HeadcountBand.B03)
        StructureFactory(family=Family.ASSOCIATION, commune=self.auchel, status=Status.DRAFT)
        s7 = StructureFactory(family=Family.MUTUELLE, commune=self.bethune)
        _log(s7, Transition.PUBLISH, Status.PUBLISHED, at(YEAR - 1, 6, 1))
        self.structures = [s1, s2, s3, s4, s7]

    def _agenda(self):
        territory = self.territory
        self.campaign = CampaignFactory(
            territory=territory,
            name="Mois de l'ESS 2026",
            start_date=datetime.date(YEAR, 11, 1),
            end_date=datetime.date(YEAR, 11, 30),
        )
        e1 = EventFactory(
            territory=territory,
            campaign=self.campaign,
            event_type=EventType.ATELIER,
            audiences=[Audience.GRAND_PUBLIC, Audience.PORTEURS_DE_PROJET],
        )
        first = SessionFactory(event=e1, start=at(YEAR, 11, 10), capacity=None)
        second = SessionFactory(event=e1, start=at(YEAR, 11, 20), capacity=None)
        now = at(YEAR, 11, 10, 19)
        RegistrationFactory.create_batch(2, session=first, checked_in_at=now)
        RegistrationFactory(session=first)
        RegistrationFactory(session=first, status=RegistrationStatus.WAITLISTED)
        RegistrationFactory(session=first, status=RegistrationStatus.CANCELLED)
        RegistrationFactory(session=second)
        e2 = EventFactory(
            territory=territory, event_type=EventType.VISITE, members_only=True, audiences=[Audience.ADHERENTS_CLUB]
        )
        club = SessionFactory(event=e2, start=at(YEAR, 3, 5), capacity=None)
        RegistrationFactory(session=club, checked_in_at=at(YEAR, 3, 5, 19))
        RegistrationFactory(session=club)
        SessionFactory(event=e2, start=at(YEAR - 1, 10, 1), capacity=None)
        cancelled = EventFactory(territory=territory, status=EventStatus.CANCELLED)
        RegistrationFactory(session=SessionFactory(event=cancelled, start=at(YEAR, 4, 1), capacity=None))
        SessionFactory(event=EventFactory(territory=territory, draft=True), start=at(YEAR, 4, 2))
        SessionFactory(event=EventFactory(territory=self.world.other_territory), start=at(YEAR, 4, 3))

    def _grants(self):
        self.world.at(ApplicationState.CLOSED)
        self.world.at(ApplicationState.REFUSED)
        self.world.at(ApplicationState.DRAFT)


ZERO = Decimal("0.00")
