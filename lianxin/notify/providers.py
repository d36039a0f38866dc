"""Channels and providers: each sends one Delivery and returns the provider's message id, or
raises DeliveryError (retryable or not).

- email: Django's mail backend (SMTP in production, settings EMAIL_*).
- SMS `outbox`: keeps the message (admin "SMS outbox"); nothing leaves the machine.
- SMS `http`: a generic gateway (SMS_HTTP_*): a JSON or form body built from a template with
  ${phone}, ${text}, ${sign} and ${id}; any 2xx answer is success.
- SMS `aliyun`: Alibaba Cloud Dysmsapi SendSms (API version 2017-05-25), an RPC request
  signed with signature version 1.0 (HMAC-SHA1 over the canonicalised query).
- WeCom: a group robot webhook; errcode 0 is success.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import json
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from email.utils import make_msgid
from string import Template

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.utils import DNS_NAME
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.core.logging import redact
from lianxin.notify.kinds import Channel


class DeliveryError(Exception):
    def __init__(self, message: str, *, retryable: bool = True):
        super().__init__(redact(message)[:2000])
        self.retryable = retryable


@dataclass(frozen=True)
class Sent:
    provider_message_id: str = ""


def _http(method: str, url: str, *, data: bytes | None = None, headers: dict | None = None):
    """(status, text) of one HTTP request; network failures raise a retryable DeliveryError."""
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=settings.NOTIFY_HTTP_TIMEOUT) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")
    except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
        reason = getattr(exc, "reason", exc)
        raise DeliveryError(
            _("Could not reach %(host)s: %(reason)s")
            % {
                "host": urllib.parse.urlsplit(url).netloc,
                "reason": reason,
            }
        ) from None


def _json(text: str) -> dict:
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _utf8_prefix(text: str, limit: int) -> str:
    encoded = text.encode()
    if len(encoded) <= limit:
        return text
    return encoded[: limit - 3].decode("utf-8", "ignore") + "…"


# --- Email ---------------------------------------------------------------------------------
class EmailProvider:
    name = "smtp"

    def send(self, delivery) -> Sent:
        import smtplib

        message_id = make_msgid(domain=str(DNS_NAME))
        email = EmailMessage(
            subject=delivery.subject,
            body=delivery.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[delivery.plain_address()],
            headers={"Message-ID": message_id},
        )
        try:
            email.send(fail_silently=False)
        except smtplib.SMTPRecipientsRefused as exc:
            raise DeliveryError(
                _("The mail server refused the address: %(error)s") % {"error": exc.recipients},
                retryable=False,
            ) from None
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryError(_("Mail server error: %(error)s") % {"error": exc}) from None
        return Sent(message_id)


# --- SMS -----------------------------------------------------------------------------------
class OutboxSmsProvider:
    """Keeps the message in the outbox (the delivery row itself) and reports it sent."""

    name = "outbox"

    def send(self, delivery) -> Sent:
        return Sent(f"outbox-{delivery.pk}")


class HttpSmsProvider:
    name = "http"

    def send(self, delivery) -> Sent:
        try:
            shape = json.loads(settings.SMS_HTTP_BODY)
        except ValueError:
            raise DeliveryError(_("SMS_HTTP_BODY is not valid JSON."), retryable=False) from None
        values = {
            "phone": delivery.plain_address(),
            "text": delivery.body,
            "sign": settings.SMS_SIGNATURE,
            "id": str(delivery.pk),
        }
        body = _substitute(shape, values)
        headers = {"Accept": "application/json"}
        if settings.SMS_HTTP_AUTH_HEADER:
            name, _sep, value = settings.SMS_HTTP_AUTH_HEADER.partition(":")
            headers[name.strip()] = value.strip()
        url, data = settings.SMS_HTTP_URL, None
        flat = (
            {
                k: v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)
                for k, v in body.items()
            }
            if isinstance(body, dict)
            else {}
        )
        if settings.SMS_HTTP_METHOD == "GET":
            url += ("&" if "?" in url else "?") + urllib.parse.urlencode(flat)
        elif settings.SMS_HTTP_FORMAT == "form":
            data = urllib.parse.urlencode(flat).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8"
        else:
            data = json.dumps(body, ensure_ascii=False).encode()
            headers["Content-Type"] = "application/json; charset=utf-8"
        status, text = _http(settings.SMS_HTTP_METHOD, url, data=data, headers=headers)
        if not 200 <= status < 300:
            raise DeliveryError(
                _("The SMS gateway answered HTTP %(status)s: %(body)s")
                % {"status": status, "body": text[:300]}
            )
        message_id = ""
        if settings.SMS_HTTP_MESSAGE_ID_FIELD:
            found = _json(text)
            for part in settings.SMS_HTTP_MESSAGE_ID_FIELD.split("."):
                found = found.get(part, {}) if isinstance(found, dict) else {}
            message_id = str(found) if found not in ({}, None) else ""
        return Sent(message_id[:100])


def _substitute(value, values: dict):
    if isinstance(value, str):
        return Template(value).safe_substitute(values)
    if isinstance(value, dict):
        return {k: _substitute(v, values) for k, v in value.items()}
    if isinstance(value, list):
        return [_substitute(v, values) for v in value]
    return value


def aliyun_percent_encode(text: str) -> str:
    """RFC 3986 encoding as the signature needs it: space %20, * %2A, ~ kept."""
    return urllib.parse.quote(text, safe="~")


def aliyun_signature(params: dict, secret: str, method: str = "GET") -> str:
    canonical = "&".join(
        f"{aliyun_percent_encode(k)}={aliyun_percent_encode(v)}" for k, v in sorted(params.items())
    )
    string_to_sign = f"{method}&{aliyun_percent_encode('/')}&{aliyun_percent_encode(canonical)}"
    digest = hmac.new(f"{secret}&".encode(), string_to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


# Errors that no retry cures; a rate limit or a system error may pass.
ALIYUN_PERMANENT = {
    "isv.MOBILE_NUMBER_ILLEGAL",
    "isv.SMS_TEMPLATE_ILLEGAL",
    "isv.SMS_SIGNATURE_ILLEGAL",
    "isv.TEMPLATE_MISSING_PARAMETERS",
    "isv.INVALID_PARAMETERS",
    "isv.INVALID_JSON_PARAM",
    "isv.PARAM_LENGTH_LIMIT",
    "isv.PARAM_NOT_SUPPORT_URL",
    "isv.BLACK_KEY_CONTROL_LIMIT",
    "isv.ACCOUNT_NOT_EXISTS",
    "isv.PRODUCT_UN_SUBSCRIPT",
    "isv.PRODUCT_UNSUBSCRIBE",
    "isp.RAM_PERMISSION_DENY",
    "SignatureDoesNotMatch",
    "InvalidAccessKeyId.NotFound",
    "MissingParameter",
}


class AliyunSmsProvider:
    name = "aliyun"

    def send(self, delivery) -> Sent:
        payload = delivery.payload or {}
        template_code = payload.get("template_code", "")
        if not template_code:
            raise DeliveryError(
                _(
                    "No SMS template code is set for this event; enter the approved template code in the notification templates, then retry."
                ),
                retryable=False,
            )
        params = {
            "AccessKeyId": settings.SMS_ALIYUN_ACCESS_KEY_ID,
            "Action": "SendSms",
            "Format": "JSON",
            "RegionId": settings.SMS_ALIYUN_REGION,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "Timestamp": timezone.now().astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": "2017-05-25",
            "PhoneNumbers": delivery.plain_address(),
            "SignName": settings.SMS_SIGNATURE,
            "TemplateCode": template_code,
            "OutId": str(delivery.pk),
        }
        variables = dict(payload.get("template_params", []))
        if variables:
            params["TemplateParam"] = json.dumps(
                variables, ensure_ascii=False, separators=(",", ":")
            )
        signature = aliyun_signature(params, settings.SMS_ALIYUN_ACCESS_KEY_SECRET)
        query = urllib.parse.urlencode(
            {"Signature": signature, **params}, quote_via=urllib.parse.quote, safe="~"
        )
        status, text = _http("GET", f"{settings.SMS_ALIYUN_ENDPOINT}?{query}")
        answer = _json(text)
        code = answer.get("Code", "")
        if status == 200 and code == "OK":
            return Sent(answer.get("BizId", "")[:100])
        raise DeliveryError(
            f"{code or 'HTTP ' + str(status)}: {answer.get('Message', text[:200])}",
            retryable=code not in ALIYUN_PERMANENT,
        )


# --- WeCom group robot ----------------------------------------------------------------------
WECOM_TEXT_LIMIT = 2048  # bytes, per the robot API
WECOM_MARKDOWN_LIMIT = 4096
WECOM_PERMANENT = {93000}  # invalid webhook address


class WeComProvider:
    name = "wecom"

    def send(self, delivery) -> Sent:
        robot = delivery.robot
        url = robot.webhook_url if robot is not None else settings.WECOM_WEBHOOK_URL
        if not url:
            raise DeliveryError(_("No WeCom robot is configured."), retryable=False)
        if robot is not None and robot.markdown:
            message = {
                "msgtype": "markdown",
                "markdown": {"content": _utf8_prefix(delivery.body, WECOM_MARKDOWN_LIMIT)},
            }
        else:
            text = {"content": _utf8_prefix(delivery.body, WECOM_TEXT_LIMIT)}
            mentions = (delivery.payload or {}).get("mentioned_mobile_list")
            if mentions:
                text["mentioned_mobile_list"] = mentions
            message = {"msgtype": "text", "text": text}
        status, text = _http(
            "POST",
            url,
            data=json.dumps(message, ensure_ascii=False).encode(),
            headers={"Content-Type": "application/json; charset=utf-8"},
        )
        answer = _json(text)
        if status != 200 or "errcode" not in answer:
            raise DeliveryError(
                _("The WeCom robot answered HTTP %(status)s: %(body)s")
                % {"status": status, "body": text[:300]}
            )
        if answer["errcode"] != 0:
            raise DeliveryError(
                f"errcode {answer['errcode']}: {answer.get('errmsg', '')}",
                retryable=answer["errcode"] not in WECOM_PERMANENT,
            )
        return Sent()


SMS_PROVIDERS = {p.name: p for p in (OutboxSmsProvider, HttpSmsProvider, AliyunSmsProvider)}


def sms_provider_name() -> str:
    return settings.SMS_PROVIDER


def provider_name(channel: str) -> str:
    if channel == Channel.EMAIL:
        return EmailProvider.name
    if channel == Channel.SMS:
        return sms_provider_name()
    if channel == Channel.WECOM:
        return WeComProvider.name
    raise ValueError(channel)


def provider_for(delivery):
    if delivery.channel == Channel.EMAIL:
        return EmailProvider()
    if delivery.channel == Channel.WECOM:
        return WeComProvider()
    try:
        return SMS_PROVIDERS[delivery.provider]()
    except KeyError:
        raise DeliveryError(
            _("Unknown SMS provider %(name)s.") % {"name": delivery.provider}, retryable=False
        ) from None
