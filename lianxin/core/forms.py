"""Small helpers every room's staff pages share."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator


def apply_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field when the form has one,
    otherwise at the top, so nothing the user typed is lost and every message is shown."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        for error in exc.messages:
            form.add_error(None, error)


def paginate(request, queryset, per_page: int) -> Page:
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))
