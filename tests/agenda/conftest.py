import pytest

from tests.accounts.factories import MembershipFactory
from tests.agenda.factories import EventFactory, SessionFactory


@pytest.fixture
def session(db):
    """A published café citoyen with registration here: one session in a week, 3 seats, a waiting list."""
    return SessionFactory(event=EventFactory(), capacity=3)


@pytest.fixture
def officer(session):
    """An ESS officer of the session's territory."""
    return MembershipFactory(territory=session.event.territory).user
