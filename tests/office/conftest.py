import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fast_office_tests(settings):
    """Dashboard figures are cached: every test starts with none. Cheap password hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def office(client, world):
    client.force_login(world.office_province)
    return client
