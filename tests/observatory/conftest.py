import pytest

from tests.grants.conftest import world  # noqa: F401  (the grants' world: a territory with a scheme)
from tests.observatory.fixtures import Known


@pytest.fixture
def known(world):  # noqa: F811
    return Known(world)
