"""Chinese first: the language is Chinese unless someone chose another.

Django's LocaleMiddleware follows the browser's Accept-Language, so a phone set to English
would get English pages nobody asked for. Here a person chooses with the language switch
(a cookie); programs calling the interfaces choose with Accept-Language."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

PROGRAM_PATHS = ("/api/", "/open311/")


class ChosenLanguageMiddleware(LocaleMiddleware):
    def process_request(self, request):
        if request.path.startswith(PROGRAM_PATHS):
            language = translation.get_language_from_request(request)
        else:
            chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
            try:
                language = translation.get_supported_language_variant(chosen)
            except LookupError:
                language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
