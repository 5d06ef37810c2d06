import pytest

from tests.roles import RoleCast


@pytest.fixture
def cast(db):
    return RoleCast()
