"""GeoReport v2 resources. Plain Django views: the format is in the path, errors are the
specification's `errors/error` list with HTTP 400, 403 or 404 (and 429 past a key's rate
limit). A POST is checked and kept (`api.services.open311_request_submit`) and answered with
a token; the worker files it through `case_intake` (services of type "batch")."""

from __future__ import annotations

import datetime
import re
import time
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from lianxin.api import counters, selectors, services
from lianxin.api.models import Open311Client, Open311RequestStatus
from lianxin.api.open311.formats import render
from lianxin.calendar import deadlines
from lianxin.cases.models import OPEN_STATUSES, Category, LimitUnit

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
STARTED = timezone.now()
_ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]+)\](\[\])?$")


class Open311Error(Exception):
    def __init__(self, status: int, *descriptions: str) -> None:
        super().__init__(descriptions[0] if descriptions else "")
        self.status = status
        self.descriptions = list(descriptions)


def errors_response(fmt: str, status: int, descriptions: list[str]):
    return render(
        fmt,
        "errors",
        [{"code": status, "description": text} for text in descriptions],
        status=status,
    )


def open311_view(methods=("GET",)):
    """Wraps a resource: allowed methods, jurisdiction_id, and errors in the right format."""

    def decorate(view):
        @never_cache
        @csrf_exempt
        @require_http_methods(list(methods))
        def wrapper(request, *args, fmt: str, **kwargs):
            try:
                _check_jurisdiction(request)
                return view(request, *args, fmt=fmt, **kwargs)
            except Open311Error as exc:
                response = errors_response(fmt, exc.status, exc.descriptions)
                if exc.status == 429:
                    response["Retry-After"] = "60"
                return response

        wrapper.__name__ = view.__name__
        wrapper.__doc__ = view.__doc__
        return wrapper

    return decorate


def _param(request, name: str) -> str:
    source = request.POST if request.method == "POST" else request.GET
    return (source.get(name) or request.GET.get(name) or "").strip()


def _check_jurisdiction(request) -> None:
    given = _param(request, "jurisdiction_id")
    if given and given != settings.OPEN311_JURISDICTION_ID:
        raise Open311Error(
            404,
            _("jurisdiction_id “%(given)s” was not found; this endpoint serves “%(ours)s”.")
            % {"given": given, "ours": settings.OPEN311_JURISDICTION_ID},
        )


def _client(request) -> Open311Client:
    key = _param(request, "api_key")
    if not key:
        raise Open311Error(403, _("api_key is missing: ask the district for a key."))
    client = selectors.open311_client_by_key(key)
    if client is None:
        raise Open311Error(403, _("Invalid api_key received; it is unknown or was withdrawn."))
    services.credential_touch(client)
    return client


def _check_rate(client: Open311Client) -> None:
    """At most `rate_limit` requests filed per key and minute (a counter in the cache)."""
    window = int(time.time() // 60)
    count = counters.count(f"open311:rate:{client.pk}:{window}", timeout=120)
    if count > client.rate_limit:
        raise Open311Error(
            429,
            ngettext(
                "Rate limit reached: this api_key may file %(n)d request a minute.",
                "Rate limit reached: this api_key may file %(n)d requests a minute.",
                client.rate_limit,
            )
            % {"n": client.rate_limit},
        )


def _w3c(value: datetime.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


# --- Discovery and services ----------------------------------------------------------------
@open311_view()
def discovery(request, fmt: str):
    changeset = _w3c(STARTED)
    contact = settings.OPEN311_CONTACT or _("Ask the district's Lianxin administrators.")
    return render(
        fmt,
        "discovery",
        {
            "changeset": changeset,
            "contact": contact,
            "key_service": _(
                "API keys are given to client applications by the district's administrators "
                "(%(contact)s)."
            )
            % {"contact": contact},
            "endpoints": [
                {
                    "specification": SPECIFICATION,
                    "url": f"{settings.SITE_URL}/open311/v2",
                    "changeset": changeset,
                    "type": "production" if settings.PRODUCTION else "test",
                    "formats": ["text/xml", "application/json"],
                }
            ],
        },
    )


def _keywords(category) -> str | None:
    words = category.keyword_list
    return ", ".join(words) if words else None


@open311_view()
def service_list(request, fmt: str):
    return render(
        fmt,
        "services",
        [
            {
                "service_code": category.code,
                "service_name": category.name,
                "description": category.plain_description or None,
                "metadata": bool(category.has_questions),
                "type": "batch",
                "keywords": _keywords(category),
                "group": category.parent.name,
            }
            for category in selectors.open311_services()
        ],
    )


@open311_view()
def service_definition(request, fmt: str, service_code: str):
    category = selectors.open311_service_get(service_code)
    if category is None:
        raise Open311Error(
            404, _("service_code “%(code)s” was not found.") % {"code": service_code}
        )
    return render(
        fmt,
        "service_definition",
        {
            "service_code": category.code,
            "attributes": [
                {
                    "variable": True,
                    "code": question.code,
                    "datatype": question.datatype,
                    "required": question.required,
                    "datatype_description": question.datatype_description or None,
                    "order": question.order,
                    "description": question.description,
                    "values": [{"key": key, "name": name} for key, name in question.value_list],
                }
                for question in category.questions.all()
            ],
        },
    )


# --- Requests ------------------------------------------------------------------------------
OPEN311_FIELDS = {
    "reporter_phone": "phone",
    "reporter_name": "first_name",
    "title": "description",
    "appeal_type": "service_code",
    "category": "service_code",
}


@open311_view(methods=("GET", "POST"))
def requests(request, fmt: str):
    if request.method == "POST":
        return _request_create(request, fmt)
    return _request_list(request, fmt)


def _coordinate(request, name: str, limit: int) -> Decimal | None:
    raw = _param(request, name)
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or abs(value) > limit:
        raise Open311Error(
            400,
            _("%(name)s must be a number between -%(limit)d and %(limit)d.")
            % {"name": name, "limit": limit},
        )
    return value.quantize(Decimal("0.000001"))


def _answers(request) -> dict:
    """attribute[code]=value, and attribute[code][]=v1&attribute[code][]=v2 for lists."""
    answers: dict = {}
    for name in request.POST:
        match = _ATTRIBUTE.match(name)
        if not match:
            continue
        code, values = match.group(1), request.POST.getlist(name)
        if match.group(2):
            previous = answers.get(code, [])
            answers[code] = [*(previous if isinstance(previous, list) else [previous]), *values]
        else:
            answers[code] = values if len(values) > 1 else values[0]
    return answers


def _request_create(request, fmt: str):
    client = _client(request)
    code = _param(request, "service_code")
    if not code:
        raise Open311Error(400, _("service_code is missing."))
    lat, long = _coordinate(request, "lat", 90), _coordinate(request, "long", 180)
    if (lat is None) != (long is None):
        raise Open311Error(400, _("Send lat and long together."))
    category = selectors.open311_service_for_request(code)
    if category is None:
        raise Open311Error(404, _("service_code “%(code)s” was not found.") % {"code": code})
    _check_rate(client)
    try:
        kept = services.open311_request_submit(
            client=client,
            category=category,
            description=_param(request, "description"),
            latitude=lat,
            longitude=long,
            address_string=_param(request, "address_string"),
            address_id=_param(request, "address_id"),
            attributes=_answers(request),
            email=_param(request, "email"),
            device_id=_param(request, "device_id"),
            account_id=_param(request, "account_id"),
            first_name=_param(request, "first_name"),
            last_name=_param(request, "last_name"),
            phone=_param(request, "phone"),
            media_url=_param(request, "media_url"),
        )
    except ValidationError as exc:
        raise Open311Error(400, *_described(exc)) from None
    return render(
        fmt,
        "service_requests",
        [
            {
                "token": kept.token,
                "service_notice": _("Received; it is filed as a case within moments. %(limit)s")
                % {"limit": _limit_notice(category, "normal")},
                "account_id": kept.account_id or None,
            }
        ],
    )


def _described(exc: ValidationError) -> list[str]:
    if not hasattr(exc, "error_dict"):
        return exc.messages
    return [
        f"{OPEN311_FIELDS.get(name, name)}: {message}"
        for name, messages in exc.message_dict.items()
        for message in messages
    ]


def _limit_notice(category, urgency: str) -> str:
    if category is None:
        return ""
    (_response, (amount, unit)) = category.limits(urgency)
    if unit == LimitUnit.HOURS:
        return ngettext(
            "To be handled within %(n)d hour.", "To be handled within %(n)d hours.", amount
        ) % {"n": amount}
    return ngettext(
        "To be handled within %(n)d working day.",
        "To be handled within %(n)d working days.",
        amount,
    ) % {"n": amount}


def _moment(request, name: str) -> datetime.datetime | None:
    raw = _param(request, name)
    if not raw:
        return None
    try:
        moment = parse_datetime(raw)
        day = parse_date(raw) if moment is None else None
    except ValueError:
        moment = day = None
    if moment is None and day is not None:
        moment = datetime.datetime.combine(day, datetime.time.min)
    if moment is None:
        raise Open311Error(
            400,
            _("%(name)s must be a W3C date and time such as 2026-05-04T08:30:00+08:00.")
            % {"name": name},
        )
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _list_param(request, name: str) -> list[str]:
    return [v.strip() for v in _param(request, name).split(",") if v.strip()]


def _request_list(request, fmt: str):
    client = _client(request)
    query = selectors.RequestQuery(numbers=_list_param(request, "service_request_id")[:1000])
    if not query.numbers:
        start, end = _moment(request, "start_date"), _moment(request, "end_date")
        span = selectors.DEFAULT_SPAN
        if start and end:
            if end < start:
                raise Open311Error(400, _("end_date lies before start_date."))
            if end - start > span:
                raise Open311Error(
                    400, _("start_date and end_date may not span more than 90 days.")
                )
        elif start:
            end = start + span
        elif end:
            start = end - span
        else:
            end = timezone.now()
            start = end - span
        statuses = sorted(set(_list_param(request, "status")))
        if any(s not in ("open", "closed") for s in statuses):
            raise Open311Error(400, _("status takes open, closed or both (comma-separated)."))
        query.start, query.end = start, end
        query.statuses = [] if len(statuses) == 2 else statuses
        query.service_codes = _list_param(request, "service_code")
    rows = selectors.open311_requests(client, query)
    writer = _RequestWriter()
    return render(fmt, "service_requests", [writer.request(row) for row in rows])


@open311_view()
def request_detail(request, fmt: str, service_request_id: str):
    client = _client(request)
    case = selectors.open311_request_get(client, service_request_id)
    if case is None:
        raise Open311Error(
            404,
            _("service_request_id “%(id)s” was not found.") % {"id": service_request_id},
        )
    return render(fmt, "service_requests", [_RequestWriter().request(case)])


@open311_view()
def token(request, fmt: str, token: str):
    """The case number of a posted request once the worker has filed it (empty until then)."""
    kept = selectors.open311_request_by_token(token)
    if kept is None:
        raise Open311Error(404, _("token “%(token)s” was not found.") % {"token": token})
    if kept.status == Open311RequestStatus.FAILED:
        raise Open311Error(
            400, _("The request could not be filed: %(reason)s") % {"reason": kept.error}
        )
    number = kept.case.number if kept.case_id else None
    return render(fmt, "service_requests", [{"service_request_id": number, "token": token}])


class _RequestWriter:
    """Service requests as GeoReport v2 dicts; what repeats across rows is worked out once."""

    def __init__(self) -> None:
        self.zone = timezone.get_current_timezone()
        self.notices: dict = {}
        self.limits = {
            c.pk: c for c in Category.objects.filter(parent__isnull=False).only(*LIMIT_FIELDS)
        }

    def w3c(self, value):
        return value.astimezone(self.zone).isoformat(timespec="seconds") if value else None

    def notice(self, category_id, urgency: str):
        key = (category_id, urgency)
        if key not in self.notices:
            self.notices[key] = _limit_notice(self.limits.get(category_id), urgency) or None
        return self.notices[key]

    def request(self, row: dict) -> dict:
        event = row["public_event"]
        moments = [row["status_changed_at"], event.at if event else None, row["closed_at"]]
        return {
            "service_request_id": row["number"],
            "status": "open" if row["status"] in OPEN_STATUSES else "closed",
            "status_notes": (event.text or event.get_kind_display()) if event else None,
            "service_name": row["category__name"],
            "service_code": row["category__code"],
            "description": row["description"],
            "agency_responsible": row["lead_department"],
            "service_notice": self.notice(row["category_id"], row["urgency"]),
            "requested_datetime": self.w3c(row["received_at"]),
            "updated_datetime": self.w3c(max(m for m in moments if m)),
            "expected_datetime": self.w3c(row["handling_due_at"]),
            # 暂定: the deadline falls in a year without an official holiday schedule yet.
            "expected_datetime_provisional": deadlines.is_provisional(row["handling_due_at"]),
            "address": row["address"] or None,
            "address_id": row["open311__address_id"] or None,
            "zipcode": None,
            "lat": float(row["latitude"]) if row["latitude"] is not None else None,
            "long": float(row["longitude"]) if row["longitude"] is not None else None,
            "media_url": row["open311__media_url"] or None,
        }


LIMIT_FIELDS = (
    "response_limit",
    "response_unit",
    "handling_limit",
    "handling_unit",
    "urgent_response_limit",
    "urgent_response_unit",
    "urgent_handling_limit",
    "urgent_handling_unit",
)


def not_found(request, path: str = ""):
    fmt = "json" if path.endswith(".json") else "xml"
    return errors_response(fmt, 404, [_("No such Open311 resource: %(path)s") % {"path": path}])
