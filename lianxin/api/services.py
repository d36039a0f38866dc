"""Writes of the interfaces: credentials for programs, and cases filed through Open311.

A case filed through Open311 is an ordinary case: `case_intake` records it (channel API, no
staff actor), seals the reporter's phone and sets the deadlines; this module only adds the
answers to the category's questions and the Open311 fields a case has no column for."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.api.attributes import clean_attributes
from lianxin.api.keys import new_secret, secret_hash, secret_hint
from lianxin.api.models import ApiToken, Open311Client, Open311Request, Open311Scope
from lianxin.cases.models import Case, Category, Channel
from lianxin.cases.services import case_intake

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
    return key


def open311_client_deactivate(*, client: Open311Client) -> bool:
    return bool(Open311Client.objects.filter(pk=client.pk, is_active=True).update(is_active=False))


def credential_touch(model, pk: int, last_used_at: datetime.datetime | None) -> None:
    """Record use at most once a minute, so that busy programs do not write on every call."""
    now = timezone.now()
    if last_used_at is None or now - last_used_at >= LAST_USED_EVERY:
        model.objects.filter(pk=pk).update(last_used_at=now)


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


@transaction.atomic
def open311_request_file(
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
) -> Case:
    """File a case for a client application. Raises ValidationError (keyed by Open311 field
    names, `attribute[code]` for answers) and changes nothing when the input is wrong."""
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
    try:
        answers = clean_attributes(category, attributes or {})
    except ValidationError as exc:
        answers = {}
        for code, messages in exc.message_dict.items():
            errors[f"attribute[{code}]"] = messages
    if errors:
        raise ValidationError(errors)

    case = case_intake(
        actor=None,
        title=_title(description, category),
        description=description or str(category),
        channel=Channel.API,
        category=category,
        appeal_type=(category.appeal_types or ["help"])[0]
        if "help" not in (category.appeal_types or ["help"])
        else "help",
        address=address_string,
        latitude=latitude,
        longitude=longitude,
        reporter_name=_reporter_name(first_name, last_name),
        reporter_phone=phone,
        # The client application asks its user to agree before it sends their request.
        consented=True,
    )
    if answers:
        Case.objects.filter(pk=case.pk).update(attributes=answers)
        case.attributes = answers
    Open311Request.objects.create(
        case=case,
        client=client,
        address_id=address_id[:100],
        account_id=account_id.strip()[:100],
        device_id=device_id.strip()[:100],
        email=email[:254],
        media_url=media_url[:500],
    )
    return case
