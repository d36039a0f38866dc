"""Writes of the interfaces: credentials for programs, and cases filed through Open311.

A request posted through Open311 is checked and kept at once (`open311_request_submit`), then
filed by the background worker (`open311_request_file`) as an ordinary case: `case_intake`
records it (channel API, no staff actor), seals the reporter's phone and sets the deadlines;
this module only adds the answers to the category's questions and keeps the Open311 fields a
case has no column for."""

from __future__ import annotations

import datetime
import secrets
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.api import counters
from lianxin.api.attributes import clean_attributes
from lianxin.api.keys import new_secret, secret_hash, secret_hint
from lianxin.api.models import (
    ApiToken,
    Open311Client,
    Open311Request,
    Open311RequestStatus,
    Open311Scope,
)
from lianxin.cases.errors import CaseActionError
from lianxin.cases.models import Case, Category, Channel
from lianxin.cases.services import case_intake
from lianxin.core import privacy
from lianxin.core.validators import normalise_phone

TOKEN_PREFIX = "lxt"
OPEN311_KEY_PREFIX = "lxk"
MAX_DESCRIPTION = 4000
TITLE_LENGTH = 30
LAST_USED_EVERY = datetime.timedelta(minutes=1)


# --- Credentials ---------------------------------------------------------------------------
@transaction.atomic
def api_token_create(*, actor, user, name: str) -> tuple[ApiToken, str]:
    """A token acting as `user`. Returns the token row and the secret, shown only now."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": [_("Say which program will use the token.")]})
    if not user.is_active:
        raise ValidationError({"user": [_("This user is not active.")]})
    secret = new_secret(TOKEN_PREFIX)
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        hint=secret_hint(secret),
        key_hash=secret_hash(secret),
        created_by=actor,
    )
    return token, secret


def api_token_revoke(*, token: ApiToken) -> bool:
    """False if it was already revoked."""
    return bool(
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    )


@transaction.atomic
def open311_client_create(
    *,
    name: str,
    contact: str = "",
    rate_limit: int = 60,
    read_scope: str = Open311Scope.OWN,
) -> tuple[Open311Client, str]:
    """A client application with a new API key. Returns the row and the key, shown only now."""
    name = (name or "").strip()
    errors: dict[str, list] = {}
    if not name:
        errors["name"] = [_("Name the client application.")]
    elif Open311Client.objects.filter(name=name).exists():
        errors["name"] = [_("A client application of this name exists already.")]
    if rate_limit < 1:
        errors["rate_limit"] = [_("Allow at least one request a minute.")]
    if read_scope not in Open311Scope.values:
        errors["read_scope"] = [_("Unknown reading scope.")]
    if errors:
        raise ValidationError(errors)
    key = new_secret(OPEN311_KEY_PREFIX)
    client = Open311Client.objects.create(
        name=name[:100],
        contact=contact.strip()[:200],
        rate_limit=rate_limit,
        read_scope=read_scope,
        hint=secret_hint(key),
        key_hash=secret_hash(key),
    )
    return client, key


def open311_client_rotate(*, client: Open311Client) -> str:
    """A new key for the application; the old one stops working at once."""
    key = new_secret(OPEN311_KEY_PREFIX)
    Open311Client.objects.filter(pk=client.pk).update(
        hint=secret_hint(key), key_hash=secret_hash(key)
    )
    client.hint, client.key_hash = secret_hint(key), secret_hash(key)
    _forget_memoised()
    return key


def open311_client_deactivate(*, client: Open311Client) -> bool:
    """The key stops working at once in this process, and within seconds in the others
    (they remember applications briefly, see selectors.MEMO_SECONDS)."""
    changed = Open311Client.objects.filter(pk=client.pk, is_active=True).update(is_active=False)
    _forget_memoised()
    return bool(changed)


def _forget_memoised() -> None:
    from lianxin.api.selectors import memo_clear

    memo_clear()


def credential_touch(credential) -> None:
    """Record use at most once a minute, so that busy programs do not write on every call."""
    now = timezone.now()
    if credential.last_used_at is None or now - credential.last_used_at >= LAST_USED_EVERY:
        type(credential).objects.filter(pk=credential.pk).update(last_used_at=now)
        credential.last_used_at = now


# --- Cases -------------------------------------------------------------------------------
@transaction.atomic
def case_intake_with_answers(*, actor, answers: dict, category: Category | None = None, **fields):
    """`case_intake`, plus the answers to the category's questions checked and kept on the
    case. Errors in the answers are keyed `attributes.<code>`."""
    try:
        cleaned = clean_attributes(category, answers or {})
    except ValidationError as exc:
        raise ValidationError(
            {f"attributes.{code}": messages for code, messages in exc.message_dict.items()}
        ) from None
    case = case_intake(actor=actor, category=category, **fields)
    if cleaned:
        Case.objects.filter(pk=case.pk).update(attributes=cleaned)
        case.attributes = cleaned
    return case


# --- Open311 requests ----------------------------------------------------------------------
def _reporter_name(first_name: str, last_name: str) -> str:
    first, last = first_name.strip(), last_name.strip()
    if (first + last).isascii():
        return " ".join(p for p in (first, last) if p)
    return f"{last}{first}"


def _title(description: str, category: Category) -> str:
    first_line = description.strip().splitlines()[0].strip() if description.strip() else ""
    if not first_line:
        return category.name
    return first_line if len(first_line) <= TITLE_LENGTH else first_line[: TITLE_LENGTH - 1] + "…"


def open311_request_submit(
    *,
    client: Open311Client,
    category: Category,
    description: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    address_string: str = "",
    address_id: str = "",
    attributes: dict | None = None,
    email: str = "",
    device_id: str = "",
    account_id: str = "",
    first_name: str = "",
    last_name: str = "",
    phone: str = "",
    media_url: str = "",
) -> Open311Request:
    """Check a posted service request and keep it for the worker, which files it as a case
    (`open311_request_file`). Raises ValidationError (keyed by Open311 field names,
    `attribute[code]` for answers) and keeps nothing when the input is wrong.

    The one write is a single INSERT, atomic by itself: no transaction around it, which saves
    the BEGIN and COMMIT round trips on the busiest write of the interfaces (inside a caller's
    transaction the worker is still woken only after commit)."""
    description = (description or "").strip()
    address_string, address_id = address_string.strip(), address_id.strip()
    errors: dict[str, list] = {}
    if latitude is None and longitude is None and not address_string and not address_id:
        errors["location"] = [_("Give the place: lat and long, address_string or address_id.")]
    if len(description) > MAX_DESCRIPTION:
        errors["description"] = [_("The description is longer than 4,000 characters.")]
    email, media_url = email.strip(), media_url.strip()
    if email:
        try:
            EmailValidator()(email)
        except ValidationError:
            errors["email"] = [_("Enter a valid email address.")]
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
        except ValidationError:
            errors["media_url"] = [_("Enter a valid web address (http or https).")]
    normalised_phone = ""
    if phone.strip():
        try:
            normalised_phone = normalise_phone(phone)
        except ValidationError as exc:
            errors["phone"] = exc.messages
    try:
        answers = clean_attributes(category, attributes or {})
    except ValidationError as exc:
        answers = {}
        for code, messages in exc.message_dict.items():
            errors[f"attribute[{code}]"] = messages
    if errors:
        raise ValidationError(errors)
    request = Open311Request.objects.create(
        token=secrets.token_urlsafe(12),
        client=client,
        category=category,
        description=description,
        latitude=latitude,
        longitude=longitude,
        address_string=address_string[:200],
        address_id=address_id[:100],
        attributes=answers,
        first_name=first_name.strip()[:50],
        last_name=last_name.strip()[:50],
        phone_cipher=privacy.seal(normalised_phone) if normalised_phone else "",
        account_id=account_id.strip()[:100],
        device_id=device_id.strip()[:100],
        email=email[:254],
        media_url=media_url[:500],
    )
    transaction.on_commit(_wake_the_filer)
    return request


FILER_FLAG = "open311:filer-queued"


def _wake_the_filer() -> None:
    """Queue one filing job for every burst of requests, not one per request: the job files
    whatever is pending (GeoReport "batch"). The flag is set after the request committed,
    and the job clears it before its last look, so no request is left behind; the periodic
    job catches any whose job was lost."""
    from lianxin.api.tasks import open311_file_pending_job

    if counters.flag_set(FILER_FLAG, timeout=60):
        open311_file_pending_job()


def open311_file_pending() -> int:
    """File every pending request, as the worker's job does. Returns how many were filed."""
    filed = open311_requests_file_pending(older_than=datetime.timedelta(0))
    counters.flag_clear(FILER_FLAG)
    return filed + open311_requests_file_pending(older_than=datetime.timedelta(0))


def open311_request_file(*, request_id: int) -> Case | None:
    """File a kept request as a case (channel API, no staff actor). Idempotent: a request
    already filed or failed is left alone. A request the casework refuses is marked failed
    with the reason, which its token then reports."""
    try:
        return _file(request_id)
    except (ValidationError, CaseActionError) as exc:
        reason = "; ".join(exc.messages) if isinstance(exc, ValidationError) else exc.message
        Open311Request.objects.filter(pk=request_id, status=Open311RequestStatus.PENDING).update(
            status=Open311RequestStatus.FAILED, error=reason, phone_cipher=""
        )
        return None


@transaction.atomic
def _file(request_id: int) -> Case | None:
    request = (
        Open311Request.objects.select_for_update()
        .select_related("category")
        .filter(pk=request_id, status=Open311RequestStatus.PENDING)
        .first()
    )
    if request is None:
        return None
    case = case_intake(
        actor=None,
        title=_title(request.description, request.category),
        description=request.description or str(request.category),
        channel=Channel.API,
        category=request.category,
        appeal_type=_appeal_type(request.category),
        address=request.address_string,
        latitude=request.latitude,
        longitude=request.longitude,
        reporter_name=_reporter_name(request.first_name, request.last_name),
        reporter_phone=privacy.unseal(request.phone_cipher) if request.phone_cipher else "",
        # The client application asks its user to agree before it sends their request.
        consented=True,
        received_at=request.created_at,
    )
    if request.attributes:
        Case.objects.filter(pk=case.pk).update(attributes=request.attributes)
        case.attributes = request.attributes
    changed = Open311Request.objects.filter(
        pk=request.pk, status=Open311RequestStatus.PENDING
    ).update(status=Open311RequestStatus.FILED, case=case, filed_at=timezone.now(), phone_cipher="")
    if changed != 1:
        raise CaseActionError("stale_state", _("This request has just been filed."))
    return case


def open311_requests_file_pending(*, older_than: datetime.timedelta) -> int:
    """File the requests pending for longer than `older_than`, oldest first. Returns how many
    were filed."""
    cutoff = timezone.now() - older_than
    filed = 0
    while True:
        ids = list(
            Open311Request.objects.filter(
                status=Open311RequestStatus.PENDING, created_at__lte=cutoff
            )
            .order_by("created_at", "pk")
            .values_list("pk", flat=True)[:200]
        )
        for pk in ids:
            filed += open311_request_file(request_id=pk) is not None
        if len(ids) < 200:
            return filed


def _appeal_type(category: Category) -> str:
    return "help" if category.takes("help") else category.appeal_types[0]
