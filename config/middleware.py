"""Interface language: Simplified Chinese unless the user chose another one."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Like LocaleMiddleware, but ignores the browser's Accept-Language header.

    Office computers often run browsers set up in English; the product speaks Chinese
    until someone picks English with the language switch (the set_language cookie), or a
    signed-in person has chosen it as their preference (accounts.User.language; this middleware
    runs after authentication for that).
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        user = getattr(request, "user", None)
        if not chosen and user is not None and user.is_authenticated:
            chosen = user.language
        try:
            language = translation.get_supported_language_variant(chosen) if chosen else settings.LANGUAGE_CODE
        except LookupError:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
