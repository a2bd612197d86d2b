import pytest


@pytest.fixture
def client_for(client):
    """Log the test client in as a user and return it."""

    def _login(user):
        client.force_login(user)
        return client

    return _login
