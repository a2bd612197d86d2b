"""The login lockout backend (django-axes), first in AUTHENTICATION_BACKENDS."""

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check for every login that comes with a request (the login page,
    the admin login). Calls without a request — ``authenticate()`` from management commands
    or the test client's ``login()`` — are not web logins and are left to the next backends."""

    def authenticate(self, request=None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
