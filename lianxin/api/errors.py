"""Every REST API error is JSON: `{"code": "<stable code>", "message": "<in the reader's
language, Chinese by default>"}`, plus `"fields": {name: [messages]}` for input errors.

| what | HTTP | code |
|---|---|---|
| bad input (serializer or service) | 400 | `invalid` (with `fields`) |
| no or bad credentials | 401 | `not_authenticated`, `authentication_failed` |
| not allowed (role, scope, CSRF) | 403 | `permission_denied`, or the service's code |
| not visible to you, or no such thing | 404 | `not_found` |
| the step conflicts with the case's state | 409 | the service's code (`stale_state` …) |

Outreach services raise `OutreachError(code, message)`; it is answered like a case step's error
(403 for `not_allowed` and `out_of_scope`, 409 otherwise: `stale`, `closed`, `too_late` …).
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from lianxin.cases.errors import CaseActionError
from lianxin.outreach.services import OutreachError

logger = logging.getLogger(__name__)

# Codes of CaseActionError that mean "you may not", not "not now".
FORBIDDEN_CODES = {"not_allowed", "not_your_department", "out_of_scope"}


def case_action_status(code: str) -> int:
    return status.HTTP_403_FORBIDDEN if code in FORBIDDEN_CODES else status.HTTP_409_CONFLICT


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    body = {"code": code, "message": str(message)}
    if fields is not None:
        body["fields"] = fields
    return body


def exception_handler(exc, context):
    if isinstance(exc, CaseActionError | OutreachError):
        return Response(error_body(exc.code, exc.message), status=case_action_status(exc.code))
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        logger.exception("API error", exc_info=exc)
        return Response(
            error_body("server_error", _("Something went wrong on the server; please try later.")),
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    if isinstance(exc, exceptions.ValidationError):
        fields = (
            response.data
            if isinstance(response.data, dict)
            else {"non_field_errors": response.data}
        )
        response.data = error_body(
            "invalid", _("Some of what was sent is not right; see the fields."), _flatten(fields)
        )
        return response
    code = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
    if not isinstance(code, str):
        code = "error"
    detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
    response.data = error_body(code, detail if isinstance(detail, str) else str(detail))
    return response


def _flatten(fields: dict) -> dict[str, list[str]]:
    """{field: [messages]}; nested errors (list items, nested objects) become dotted names."""
    flat: dict[str, list[str]] = {}

    def walk(prefix: str, value) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), inner)
        elif isinstance(value, list) and value and not all(isinstance(v, str) for v in value):
            for index, inner in enumerate(value):
                if inner:
                    walk(f"{prefix}.{index}", inner)
        else:
            items = value if isinstance(value, list) else [value]
            flat.setdefault(prefix or "non_field_errors", []).extend(str(v) for v in items)

    walk("", fields)
    return flat
