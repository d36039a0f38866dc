"""Writes to the directory. Each service is atomic, takes the acting user and records history."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lianxin.accounts import scopes
from lianxin.accounts.models import AccessKind, User
from lianxin.accounts.services import access_record
from lianxin.core import privacy
from lianxin.core.validators import normalise_id_number, normalise_phone
from lianxin.directory import selectors
from lianxin.directory.models import (
    CareTag,
    Community,
    Household,
    ImportStatus,
    Pairing,
    PairingKind,
    Representative,
    Resident,
    RosterImport,
)


@dataclass
class PersonalNumbers:
    """A resident's numbers after validation: normalised digits, birth date from the ID."""

    phone: str = ""
    id_number: str = ""
    birth_date: datetime.date | None = None

    @classmethod
    def parse(cls, *, phone: str = "", id_number: str = "") -> PersonalNumbers:
        """Validate both numbers; raises ValidationError keyed by field."""
        errors: dict[str, list] = {}
        result = cls()
        try:
            result.phone = normalise_phone(phone)
        except ValidationError as exc:
            errors["phone"] = exc.messages
        try:
            result.id_number, result.birth_date = normalise_id_number(id_number)
        except ValidationError as exc:
            errors["id_number"] = exc.messages
        if errors:
            raise ValidationError(errors)
        return result

    @property
    def phone_index(self) -> str:
        return privacy.blind_index(self.phone, purpose=privacy.PHONE) if self.phone else ""

    @property
    def id_index(self) -> str:
        return (
            privacy.blind_index(self.id_number, purpose=privacy.ID_NUMBER) if self.id_number else ""
        )


def duplicate_errors(numbers: PersonalNumbers, *, exclude_pk: int | None = None) -> dict:
    found = selectors.resident_duplicates(
        phone_index=numbers.phone_index, id_index=numbers.id_index, exclude_pk=exclude_pk
    )
    messages = {
        "phone": _("This phone number already belongs to %(name)s of %(community)s."),
        "id_number": _("This ID card number already belongs to %(name)s of %(community)s."),
    }
    return {
        field: [messages[field] % {"name": r.name, "community": r.community.name}]
        for field, r in found.items()
    }


def _save_resident(resident: Resident, numbers: PersonalNumbers | None, actor: User) -> None:
    if numbers is not None:
        errors = duplicate_errors(numbers, exclude_pk=resident.pk)
        if errors:
            raise ValidationError(errors)
        resident.set_phone(numbers.phone)
        resident.set_id_number(numbers.id_number)
        if numbers.birth_date:
            resident.birth_date = numbers.birth_date
    resident._history_user = actor
    try:
        with transaction.atomic():
            resident.save()
    except IntegrityError:
        # Another request saved the same number between our check and our insert.
        raise ValidationError(
            _("A resident with this phone or ID card number already exists."), code="duplicate"
        ) from None


@transaction.atomic
def resident_create(
    *,
    actor: User,
    community: Community,
    name: str,
    numbers: PersonalNumbers | None = None,
    household: Household | None = None,
    gender: str = "",
    birth_date: datetime.date | None = None,
    address: str = "",
    is_party_member: bool = False,
    care_tags: list[CareTag] | tuple = (),
    note: str = "",
) -> Resident:
    if not selectors.can_edit_resident(actor) or not scopes.in_scope(actor, community.pk):
        raise PermissionDenied
    resident = Resident(
        community=community,
        household=household,
        name=name.strip(),
        gender=gender,
        birth_date=birth_date,
        address=address.strip(),
        is_party_member=is_party_member,
        note=note,
    )
    _save_resident(resident, numbers or PersonalNumbers(), actor)
    if care_tags:
        resident.care_tags.set(care_tags)
    return resident


@transaction.atomic
def resident_update(
    *,
    actor: User,
    resident: Resident,
    numbers: PersonalNumbers | None = None,
    care_tags=None,
    **fields,
) -> Resident:
    """Change a resident. `numbers` is None to keep the stored numbers as they are."""
    if not selectors.can_edit_resident(actor, resident):
        raise PermissionDenied
    if "community" in fields and not scopes.in_scope(actor, fields["community"].pk):
        raise PermissionDenied
    for field, value in fields.items():
        setattr(resident, field, value)
    _save_resident(resident, numbers, actor)
    if care_tags is not None:
        resident.care_tags.set(care_tags)
    return resident


def resident_reveal(
    *, actor: User, resident: Resident, field: str, reason: str = "", ip_address: str | None = None
) -> str:
    """Return one unmasked number and write the access log. Raises PermissionDenied."""
    if field == "phone":
        if not selectors.can_reveal_phone(actor, resident):
            raise PermissionDenied
        value, kind = resident.unsealed_phone(), AccessKind.REVEAL_PHONE
    elif field == "id_number":
        if not selectors.can_reveal_id_number(actor, resident):
            raise PermissionDenied
        value, kind = resident.unsealed_id_number(), AccessKind.REVEAL_ID
    else:
        raise ValueError(field)
    if value:
        access_record(
            actor=actor, kind=kind, subject=resident, reason=reason, ip_address=ip_address
        )
    return value


@transaction.atomic
def household_save(*, actor: User, household: Household, care_tags=None) -> Household:
    if not selectors.can_edit_resident(actor) or not scopes.in_scope(actor, household.community_id):
        raise PermissionDenied
    household._history_user = actor
    household.save()
    if care_tags is not None:
        household.care_tags.set(care_tags)
    return household


@transaction.atomic
def pairing_create(
    *,
    actor: User,
    kind: str,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    representative=None,
    community=None,
    party_member=None,
    resident=None,
    household=None,
    note: str = "",
) -> Pairing:
    if not selectors.can_manage_pairings(actor):
        raise PermissionDenied
    pairing = Pairing(
        kind=kind,
        start_date=start_date,
        end_date=end_date,
        representative=representative,
        community=community,
        party_member=party_member,
        resident=resident,
        household=household,
        note=note,
    )
    _check_pairing(pairing)
    if not selectors.can_view_pairing(actor, pairing):
        raise PermissionDenied
    pairing._history_user = actor
    pairing.save()
    return pairing


def _check_pairing(pairing: Pairing) -> None:
    required = {
        PairingKind.CONTACT: ("representative", "community"),
        PairingKind.ONE_TO_ONE: ("party_member", "resident"),
        PairingKind.HOUSEHOLD: ("representative", "household"),
    }[pairing.kind]
    errors = {
        f: [_("This field is required for this kind of pairing.")]
        for f in required
        if getattr(pairing, f"{f}_id") is None
    }
    if pairing.kind == PairingKind.ONE_TO_ONE and pairing.party_member_id:
        if not pairing.party_member.is_party_member:
            errors.setdefault("party_member", []).append(
                _("%(name)s is not recorded as a party member.")
                % {"name": pairing.party_member.name}
            )
        if pairing.party_member_id == pairing.resident_id:
            errors.setdefault("resident", []).append(
                _("A party member cannot be paired with themselves.")
            )
    if pairing.end_date and pairing.end_date < pairing.start_date:
        errors["end_date"] = [_("The end date lies before the start date.")]
    overlapping = Pairing.objects.filter(kind=pairing.kind).exclude(pk=pairing.pk)
    if pairing.kind == PairingKind.CONTACT:
        overlapping = overlapping.filter(
            representative=pairing.representative_id, community=pairing.community_id
        )
    elif pairing.kind == PairingKind.ONE_TO_ONE:
        overlapping = overlapping.filter(
            party_member=pairing.party_member_id, resident=pairing.resident_id
        )
    else:
        overlapping = overlapping.filter(
            representative=pairing.representative_id, household=pairing.household_id
        )
    if not errors and overlapping.active_on(pairing.start_date).exists():
        errors["__all__"] = [_("These two are already paired on that date.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def pairing_end(*, actor: User, pairing: Pairing, end_date: datetime.date) -> Pairing:
    if not selectors.can_manage_pairings(actor) or not selectors.can_view_pairing(actor, pairing):
        raise PermissionDenied
    if end_date < pairing.start_date:
        raise ValidationError({"end_date": [_("The end date lies before the start date.")]})
    pairing.end_date = end_date
    pairing._history_user = actor
    pairing.save(update_fields=["end_date"])
    return pairing


@transaction.atomic
def representative_save(*, actor: User, representative: Representative) -> Representative:
    if not selectors.can_edit_directory_reference(actor):
        raise PermissionDenied
    representative._history_user = actor
    representative.save()
    return representative


# --- Roster imports ------------------------------------------------------------------------
@transaction.atomic
def roster_import_start(
    *,
    actor: User,
    file_name: str,
    chunks,
    default_community: Community | None = None,
    import_valid_rows: bool = False,
    language: str = "",
    enqueue: bool = True,
) -> RosterImport:
    """Store an uploaded roster where only the application reads it, and queue its import.

    `chunks` is an iterable of bytes (an upload's `.chunks()`, or a file read in blocks).
    With `enqueue=False` the caller runs it (`roster_import.run`), as the command line does."""
    from lianxin.directory import roster_import, tasks

    if not selectors.can_import_roster(actor):
        raise PermissionDenied
    if default_community is not None and not scopes.in_scope(actor, default_community.pk):
        raise PermissionDenied
    path = roster_import.store_upload(chunks)
    try:
        created = RosterImport.objects.create(
            created_by=actor,
            file_name=file_name[:200],
            stored_path=str(path),
            default_community=default_community,
            import_valid_rows=import_valid_rows,
            language=language,
        )
    except Exception:
        roster_import.discard_file(path)
        raise
    if enqueue:
        transaction.on_commit(lambda: tasks.roster_import_run(created.pk))
    return created


@transaction.atomic
def roster_import_confirm(*, actor: User, roster_import: RosterImport) -> RosterImport:
    """Import the valid rows of a checked import whose other rows failed."""
    from lianxin.directory import tasks

    if not selectors.can_view_roster_import(actor, roster_import):
        raise PermissionDenied
    changed = (
        RosterImport.objects.filter(
            pk=roster_import.pk, status=ImportStatus.INVALID, valid_count__gt=0
        )
        .exclude(spool_path="")
        .update(status=ImportStatus.QUEUED, import_valid_rows=True, finished_at=None)
    )
    if changed != 1:
        raise ValidationError(
            _("These rows can no longer be imported; upload the file again."), code="stale"
        )
    transaction.on_commit(lambda: tasks.roster_import_run(roster_import.pk))
    roster_import.refresh_from_db()
    return roster_import


@transaction.atomic
def roster_import_discard(*, actor: User, roster_import: RosterImport) -> RosterImport:
    """Drop the waiting valid rows of an import whose other rows failed."""
    from lianxin.directory import roster_import as importer

    if not selectors.can_view_roster_import(actor, roster_import):
        raise PermissionDenied
    spool = roster_import.spool_path
    changed = RosterImport.objects.filter(pk=roster_import.pk, status=ImportStatus.INVALID).update(
        status=ImportStatus.DISCARDED, spool_path=""
    )
    if changed != 1:
        raise ValidationError(_("This import is no longer waiting for a decision."), code="stale")
    transaction.on_commit(lambda: importer.discard_file(spool))
    roster_import.refresh_from_db()
    return roster_import


def roster_imports_expire() -> int:
    """Discard valid rows left waiting too long and fail imports whose job vanished."""
    from lianxin.directory import roster_import

    return roster_import.expire()
