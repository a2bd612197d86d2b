"""Sign-in events on the `security` log (core.security_log), from Django's and django-axes' signals,
so that no login view has to remember them: a login, a failed login (the username tried, never the
password: Django's signal hides it, and only the username is read here) and a lockout, each with
the client address as the lockout sees it (access.middleware.client_ip)."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from access.lockout import attempted_username
from access.middleware import client_ip
from core.log_context import set_user_id
from core.security_log import security_event


def _address(request):
    return client_ip(request) if request is not None else None


@receiver(user_logged_in, dispatch_uid="security-login")
def logged_in(sender, request, user, **kwargs):
    set_user_id(user.pk, request)  # the request's later lines are this user's
    security_event("login", username=user.get_username(), ip=_address(request))


@receiver(user_login_failed, dispatch_uid="security-login-failure")
def login_failed(sender, credentials, request=None, **kwargs):
    username = attempted_username(request, credentials) if credentials else None
    security_event("login_failure", username=username, ip=_address(request))


@receiver(user_locked_out, dispatch_uid="security-lockout")
def locked_out(sender, request, username, ip_address, **kwargs):
    security_event("lockout", username=username, ip=ip_address)
