import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_cache():
    """Dashboard figures are cached; every test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def office(client, world):
    client.force_login(world.office_province)
    return client
