"""OpenAPI generation: every operation also documents the JSON error body for the statuses
it can answer with, so that clients (and the schema tests) know every response."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse

from lianxin.api.serializers import ErrorSerializer

ERRORS = {
    "400": _("Input errors (`code` invalid, with `fields`), or a malformed request."),
    "401": _("No credentials, or a token that is not valid."),
    "403": _("Not allowed for your role or scope, or a CSRF failure in the browser."),
    "404": _("Not visible to you, or no such record."),
    "405": _("Method not allowed."),
    "406": _("The requested format cannot be served."),
    "415": _("Unsupported request body type."),
}
WRITE_ERRORS = {"409": _("The step conflicts with the current state; reload and retry.")}


class LianxinAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        errors = dict(ERRORS)
        if self.method in ("POST", "PUT", "PATCH", "DELETE"):
            errors.update(WRITE_ERRORS)
        for code, description in errors.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(ErrorSerializer, description=str(description)), code
                )
        return responses
