"""The directory: places, units, representatives, residents, households and pairings."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lianxin.core import privacy

# Protected number columns are left out of the change history; the masked copy is kept.
_PROTECTED_COLUMNS = ["phone_cipher", "phone_index", "id_cipher", "id_index"]


class Subdistrict(models.Model):
    name = models.CharField(_("name"), max_length=50, unique=True)
    code = models.SlugField(_("code"), max_length=30, unique=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("office phone"), max_length=20, blank=True)
    # The subdistrict office as a department: its handlers review what is reviewed "by the
    # resident's subdistrict" (the 街道 level of an aid scheme, for instance).
    office = models.ForeignKey(
        "Department",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("subdistrict office"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("subdistrict")
        verbose_name_plural = _("subdistricts")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Community(models.Model):
    subdistrict = models.ForeignKey(
        Subdistrict,
        on_delete=models.PROTECT,
        related_name="communities",
        verbose_name=_("subdistrict"),
    )
    name = models.CharField(_("name"), max_length=50)
    code = models.SlugField(_("code"), max_length=30, unique=True)
    address = models.CharField(_("office address"), max_length=200, blank=True)
    phone = models.CharField(_("office phone"), max_length=20, blank=True)
    introduction = models.TextField(_("introduction"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        ordering = ["subdistrict__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "name"], name="community_unique_name_in_subdistrict"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class DepartmentKind(models.TextChoices):
    BUREAU = "bureau", _("Government bureau")
    SUBDISTRICT_OFFICE = "subdistrict", _("Subdistrict office")
    PROPERTY = "property", _("Property management")
    SCHOOL = "school", _("School or kindergarten")
    UTILITY = "utility", _("Public utility")
    ORGANISATION = "organisation", _("Mass organisation")
    POLICE = "police", _("Police")
    ENTERPRISE = "enterprise", _("Enterprise")
    OTHER = "other", _("Other")


class Department(models.Model):
    """A unit that cases are referred to (承办单位)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=DepartmentKind.choices, default=DepartmentKind.BUREAU
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    contact_email = models.EmailField(_("email"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RepresentativeLevel(models.TextChoices):
    CITY = "city", _("City")
    DISTRICT = "district", _("District")
    SUBDISTRICT = "subdistrict", _("Subdistrict")


class Representative(models.Model):
    """A party representative (党代表). Contact details here are public by the representative's
    own choice; they are not resident data."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="representative",
        verbose_name=_("login"),
    )
    name = models.CharField(_("name"), max_length=50)
    level = models.CharField(
        _("level"),
        max_length=20,
        choices=RepresentativeLevel.choices,
        default=RepresentativeLevel.DISTRICT,
    )
    unit = models.CharField(_("work unit"), max_length=100, blank=True)
    position = models.CharField(_("position"), max_length=100, blank=True)
    phone = models.CharField(_("public phone"), max_length=20, blank=True)
    wechat_id = models.CharField(_("WeChat ID"), max_length=50, blank=True)
    qq_group = models.CharField(_("QQ group"), max_length=30, blank=True)
    introduction = models.TextField(_("short introduction"), blank=True)
    photo = models.ImageField(_("photo"), upload_to="representatives/", blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("representative")
        verbose_name_plural = _("representatives")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CareTag(models.Model):
    """A care tag (关爱标签) such as 独居老人. Administrators may add more.

    Sensitive tags (health, disability, income) are shown only inside the resident's community
    scope (PIPL sensitive personal information)."""

    name = models.CharField(_("name"), max_length=20, unique=True)
    code = models.SlugField(_("code"), max_length=30, unique=True)
    is_sensitive = models.BooleanField(_("sensitive"), default=False)
    visit_question = models.CharField(
        _("visit question"),
        max_length=200,
        blank=True,
        help_text=_("What visitors should ask households with this tag, e.g. 问衣食住行."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("care tag")
        verbose_name_plural = _("care tags")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Household(models.Model):
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="households", verbose_name=_("community")
    )
    address = models.CharField(_("address"), max_length=200)
    head_name = models.CharField(_("head of household"), max_length=50, blank=True)
    note = models.TextField(_("note"), blank=True)
    care_tags = models.ManyToManyField(
        CareTag, blank=True, related_name="households", verbose_name=_("care tags")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[care_tags])

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["community", "address"]

    def __str__(self) -> str:
        return f"{self.address}（{self.head_name}）" if self.head_name else self.address


class Gender(models.TextChoices):
    FEMALE = "f", _("Female")
    MALE = "m", _("Male")
    UNKNOWN = "", _("Not stated")


class Resident(models.Model):
    """A resident (群众/居民). Phone and ID numbers are stored sealed, indexed and masked."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="residents", verbose_name=_("community")
    )
    household = models.ForeignKey(
        Household,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        verbose_name=_("household"),
    )
    name = models.CharField(_("name"), max_length=50, db_index=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    is_party_member = models.BooleanField(_("party member"), default=False)
    care_tags = models.ManyToManyField(
        CareTag, blank=True, related_name="residents", verbose_name=_("care tags")
    )
    note = models.TextField(_("note"), blank=True)

    phone_cipher = models.TextField(editable=False, blank=True)
    phone_index = models.CharField(max_length=64, editable=False, blank=True)
    phone_masked = models.CharField(_("phone"), max_length=20, editable=False, blank=True)
    id_cipher = models.TextField(editable=False, blank=True)
    id_index = models.CharField(max_length=64, editable=False, blank=True)
    id_masked = models.CharField(_("ID card number"), max_length=20, editable=False, blank=True)

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=_PROTECTED_COLUMNS, m2m_fields=[care_tags])

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        ordering = ["community", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["phone_index"], condition=~Q(phone_index=""), name="resident_unique_phone"
            ),
            models.UniqueConstraint(
                fields=["id_index"], condition=~Q(id_index=""), name="resident_unique_id_number"
            ),
        ]
        indexes = [models.Index(fields=["community", "name"])]

    def __str__(self) -> str:
        return self.name

    # Plain values exist only in memory, for the few who may see them (see services).
    def set_phone(self, normalised: str) -> None:
        protected = privacy.protect_phone(normalised)
        self.phone_cipher, self.phone_index, self.phone_masked = (
            protected.cipher,
            protected.index,
            protected.masked,
        )

    def set_id_number(self, normalised: str) -> None:
        protected = privacy.protect_id_number(normalised)
        self.id_cipher, self.id_index, self.id_masked = (
            protected.cipher,
            protected.index,
            protected.masked,
        )

    def unsealed_phone(self) -> str:
        return privacy.unseal(self.phone_cipher) if self.phone_cipher else ""

    def unsealed_id_number(self) -> str:
        return privacy.unseal(self.id_cipher) if self.id_cipher else ""

    @property
    def age(self) -> int | None:
        if not self.birth_date:
            return None
        today = timezone.localdate()
        born = self.birth_date
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


class PairingKind(models.TextChoices):
    CONTACT = "contact", _("Fixed contact (representative ↔ community)")
    ONE_TO_ONE = "one_to_one", _("One-to-one (party member ↔ resident)")
    HOUSEHOLD = "household", _("Household support (representative ↔ household)")


class PairingQuerySet(models.QuerySet):
    def active_on(self, day: datetime.date) -> PairingQuerySet:
        return self.filter(Q(start_date__lte=day), Q(end_date__isnull=True) | Q(end_date__gte=day))

    def active(self) -> PairingQuerySet:
        return self.active_on(timezone.localdate())


class Pairing(models.Model):
    """定点联系, 一帮一 or 结对帮扶, each with start and (optional) end dates."""

    kind = models.CharField(_("kind"), max_length=20, choices=PairingKind.choices)
    representative = models.ForeignKey(
        Representative,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="pairings",
        verbose_name=_("representative"),
    )
    community = models.ForeignKey(
        Community,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="pairings",
        verbose_name=_("community"),
    )
    party_member = models.ForeignKey(
        Resident,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="pairings_as_member",
        verbose_name=_("party member"),
    )
    resident = models.ForeignKey(
        Resident,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="pairings_as_resident",
        verbose_name=_("resident"),
    )
    household = models.ForeignKey(
        Household,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="pairings",
        verbose_name=_("household"),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = PairingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        ordering = ["kind", "-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        kind="contact",
                        representative__isnull=False,
                        community__isnull=False,
                        party_member__isnull=True,
                        resident__isnull=True,
                        household__isnull=True,
                    )
                    | Q(
                        kind="one_to_one",
                        party_member__isnull=False,
                        resident__isnull=False,
                        representative__isnull=True,
                        community__isnull=True,
                        household__isnull=True,
                    )
                    | Q(
                        kind="household",
                        representative__isnull=False,
                        household__isnull=False,
                        community__isnull=True,
                        party_member__isnull=True,
                        resident__isnull=True,
                    )
                ),
                name="pairing_parties_match_kind",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="pairing_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["kind", "start_date", "end_date"])]

    def __str__(self) -> str:
        if self.kind == PairingKind.CONTACT:
            parties = (self.representative, self.community)
        elif self.kind == PairingKind.ONE_TO_ONE:
            parties = (self.party_member, self.resident)
        else:
            parties = (self.representative, self.household)
        return f"{self.get_kind_display()}: {parties[0]} ↔ {parties[1]}"

    @property
    def is_active(self) -> bool:
        today = timezone.localdate()
        return self.start_date <= today and (self.end_date is None or self.end_date >= today)


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    VALIDATING = "validating", _("Checking rows")
    INVALID = "invalid", _("Rows need correction")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")
    DISCARDED = "discarded", _("Discarded")


RUNNING_IMPORT_STATUSES = (ImportStatus.QUEUED, ImportStatus.VALIDATING, ImportStatus.IMPORTING)


class RosterImport(models.Model):
    """One upload of a resident roster and its progress, fed by a background job.

    The uploaded file holds numbers in clear: it lives outside the web-served media, and is
    deleted as soon as its rows are checked. Valid rows wait, sealed like the database, in a spool
    file (`spool_path`) until they are inserted or discarded (see directory.roster_import)."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    file_name = models.CharField(_("file name"), max_length=200)
    stored_path = models.CharField(max_length=300, blank=True, editable=False)
    spool_path = models.CharField(max_length=300, blank=True, editable=False)
    language = models.CharField(max_length=15, blank=True, editable=False)
    default_community = models.ForeignKey(
        Community,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("default community"),
    )
    import_valid_rows = models.BooleanField(
        _("import the valid rows even if some rows fail"), default=False
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    # Rows of data in the file (an estimate from the sheet's size until every row is checked).
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    # Rows handled in the current step: checked while validating, inserted while importing.
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    valid_count = models.PositiveIntegerField(_("rows ready to import"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    duplicate_count = models.PositiveIntegerField(_("duplicates"), default=0)
    error_count = models.PositiveIntegerField(_("rows with errors"), default=0)
    # [{"row": 5, "column": "手机号", "letter": "C", "message": "…", "kind": "error"}], capped at
    # PROBLEM_LIMIT entries (problem_total counts them all); messages never hold whole numbers.
    problems = models.JSONField(_("problems"), default=list, blank=True)
    problem_total = models.PositiveIntegerField(_("problems found"), default=0)
    failure = models.TextField(_("failure"), blank=True)

    class Meta:
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        """Progress of the current step, 0-100."""
        if self.status == ImportStatus.DONE:
            return 100
        total = self.valid_count if self.status == ImportStatus.IMPORTING else self.total_rows
        if not total:
            return 0
        return min(100, round(100 * self.processed_rows / total))

    @property
    def step_total(self) -> int:
        return self.valid_count if self.status == ImportStatus.IMPORTING else self.total_rows

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING_IMPORT_STATUSES

    @property
    def awaits_decision(self) -> bool:
        """Checked, some rows failed, and the valid rows wait to be imported or discarded."""
        return (
            self.status == ImportStatus.INVALID and bool(self.spool_path) and self.valid_count > 0
        )

    @property
    def problems_truncated(self) -> bool:
        return self.problem_total > len(self.problems)
