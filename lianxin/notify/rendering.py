"""Rendering of notification templates: Django template syntax, plain text out.

Texts go to SMS, email bodies, WeCom and the inbox (which escapes on display), so there is
no HTML autoescaping here. Templates are written by administrators only.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template import Context, Engine, TemplateSyntaxError
from django.utils.translation import gettext as _

from lianxin.notify.kinds import Channel, spec

_ENGINE = Engine(autoescape=False, string_if_invalid="")


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str
    provider_template_code: str = ""
    provider_params: tuple[tuple[str, str], ...] = ()


def check_syntax(text: str) -> None:
    """Raise ValidationError with a readable message if `text` is not a valid template."""
    try:
        _ENGINE.from_string(text)
    except TemplateSyntaxError as exc:
        raise ValidationError(
            _("The template has an error: %(error)s"), params={"error": exc}, code="syntax"
        ) from None


def render_text(text: str, context: dict) -> str:
    return _ENGINE.from_string(text).render(Context(context)).strip()


def parse_params(text: str) -> list[tuple[str, str]]:
    """Parse `name={{ expression }}` lines; raise ValidationError on a malformed line."""
    params = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        name, sep, expression = line.partition("=")
        if not sep or not name.strip().isidentifier():
            raise ValidationError(
                _("Line %(line)d must read name={{ expression }}."),
                params={"line": number},
                code="params",
            )
        params.append((name.strip(), expression.strip()))
    return params


def sms_signature() -> str:
    return f"【{settings.SMS_SIGNATURE}】" if settings.SMS_SIGNATURE else ""


def template_for(kind: str, channel: str):
    """The stored template, or an unsaved one with the default text."""
    from lianxin.notify.models import NotificationTemplate

    stored = NotificationTemplate.objects.filter(kind=kind, channel=channel).first()
    if stored is not None:
        return stored
    subject, body = spec(kind).default_template(channel)
    return NotificationTemplate(
        kind=kind,
        channel=channel,
        subject=subject,
        body=body,
        provider_params=spec(kind).sms_params if channel == Channel.SMS else "",
    )


def render(template, context: dict) -> Rendered:
    subject = render_text(template.subject, context)[:200] if template.subject else ""
    body = render_text(template.body, context)
    if template.channel == Channel.SMS:
        body = sms_signature() + body
    params: tuple = ()
    if template.channel == Channel.SMS and template.provider_params:
        params = tuple(
            (name, render_text(expression, context))
            for name, expression in parse_params(template.provider_params)
        )
    return Rendered(
        subject=subject,
        body=body,
        provider_template_code=template.provider_template_code,
        provider_params=params,
    )
