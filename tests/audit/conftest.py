import pytest

from accountability.models import Role
from tests.factories import UserFactory


@pytest.fixture
def secadmin(world):
    return UserFactory(
        username="secadmin", full_name="周安全", unit=world.root, roles=[Role.SECURITY_ADMIN]
    )


@pytest.fixture
def auditor(world):
    return UserFactory(
        username="auditor", full_name="吴审计", unit=world.root, roles=[Role.AUDITOR]
    )
