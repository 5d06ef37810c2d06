"""Helpers of the membership's tests: a club whose territory has a commune (so that structures are in it), and a
person who manages a structure's page there (an approved claim)."""

from essaim.directory.enums import RequestStatus
from tests.accounts.factories import UserFactory
from tests.club.factories import CharterVersionFactory, ClubFactory
from tests.directory.factories import StructureClaimFactory, StructureFactory, territory_with_commune


def club_with_territory(*, charter=True, **kwargs):
    """A club whose territory's perimeter is one commune; with its charter's first version. Returns (club, commune)."""
    territory, commune = territory_with_commune()
    club = ClubFactory(territory=territory, **kwargs)
    if charter:
        CharterVersionFactory(club=club, number=1)
    return club, commune


def structure_in(commune, **kwargs):
    return StructureFactory(commune=commune, **kwargs)


def claimant(commune, user=None, **structure_kwargs):
    """A person with an approved claim on a new structure of ``commune``: returns (user, structure)."""
    user = user or UserFactory()
    structure = structure_in(commune, **structure_kwargs)
    StructureClaimFactory(structure=structure, user=user, status=RequestStatus.APPROVED)
    return user, structure
