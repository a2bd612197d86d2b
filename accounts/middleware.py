"""The forced password change: someone whose password was chosen by someone else (an office,
an import, the demo in production; User.must_change_password) reaches only the password change
page, until they have chosen their own (accounts.actions.choose_password)."""

from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

# URL names reachable before the change: the page itself, leaving, the language switch.
# (Static files never get here: WhiteNoise serves them first.)
ALLOWED = ("password_change", "password_change_done", "logout", "set_language")


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "must_change_password", False):
            if request.path not in {reverse(name) for name in ALLOWED}:
                return self._to_password_change(request)
        return self.get_response(request)

    @staticmethod
    def _to_password_change(request):
        target = reverse("password_change")
        if request.headers.get("HX-Request"):
            # htmx would swap the page into a fragment; tell it to load the page instead.
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return redirect(target)
