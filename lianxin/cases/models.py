"""Casework: categories with time limits, cases, referrals to departments, the append-only
timeline, ratings by residents, and rating invitations.

States and referral states follow DESIGN.md "Case lifecycle"; every change goes through
lianxin.cases.services and is recorded as a CaseEvent."""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from lianxin.calendar import deadlines
from lianxin.core import privacy


class AppealType(models.TextChoices):
    CONSULT = "consult", _("Consultation")
    HELP = "help", _("Request for help")
    COMPLAINT = "complaint", _("Complaint")
    REPORT = "report", _("Report of wrongdoing")
    SUGGESTION = "suggestion", _("Suggestion")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Ordinary")
    URGENT = "urgent", _("Urgent")


class LimitUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("working days")
    HOURS = "hours", _("hours")


class Channel(models.TextChoices):
    RECEPTION = "reception", _("Reception day")
    VISIT = "visit", _("Visit")
    PHONE = "phone", _("Phone")
    SMS = "sms", _("SMS")
    WECHAT = "wechat", _("WeChat")
    QQ = "qq", _("QQ group")
    WALK_IN = "walk_in", _("Walk-in")
    WEB = "web", _("Web")
    API = "api", _("API")


class Category(models.Model):
    """事项分类: a two-level tree. Limits are per urgency, each an amount and a unit."""

    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent category"),
    )
    name = models.CharField(_("name"), max_length=50)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    plain_description = models.CharField(
        _("plain description"),
        max_length=200,
        blank=True,
        help_text=_("How residents would say it, shown in the public category picker."),
    )
    appeal_types = models.JSONField(_("appeal types"), default=list, blank=True)
    default_department = models.ForeignKey(
        "directory.Department",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="default_categories",
        verbose_name=_("default lead department"),
    )
    response_limit = models.PositiveIntegerField(_("response limit"), default=1)
    response_unit = models.CharField(
        _("response limit unit"),
        max_length=20,
        choices=LimitUnit.choices,
        default=LimitUnit.WORKING_DAYS,
    )
    handling_limit = models.PositiveIntegerField(_("handling limit"), default=7)
    handling_unit = models.CharField(
        _("handling limit unit"),
        max_length=20,
        choices=LimitUnit.choices,
        default=LimitUnit.WORKING_DAYS,
    )
    urgent_response_limit = models.PositiveIntegerField(_("urgent response limit"), default=2)
    urgent_response_unit = models.CharField(
        _("urgent response limit unit"),
        max_length=20,
        choices=LimitUnit.choices,
        default=LimitUnit.HOURS,
    )
    urgent_handling_limit = models.PositiveIntegerField(_("urgent handling limit"), default=2)
    urgent_handling_unit = models.CharField(
        _("urgent handling limit unit"),
        max_length=20,
        choices=LimitUnit.choices,
        default=LimitUnit.HOURS,
    )
    keywords = models.CharField(
        _("keywords"),
        max_length=300,
        blank=True,
        help_text=_("Words residents use for this kind of problem, separated by commas."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return f"{self.parent.name} / {self.name}" if self.parent_id else self.name

    def limits(self, urgency: str) -> tuple[tuple[int, str], tuple[int, str]]:
        """((response amount, unit), (handling amount, unit)) for an urgency."""
        if urgency == Urgency.URGENT:
            return (
                (self.urgent_response_limit, self.urgent_response_unit),
                (self.urgent_handling_limit, self.urgent_handling_unit),
            )
        return (
            (self.response_limit, self.response_unit),
            (self.handling_limit, self.handling_unit),
        )

    def takes(self, appeal_type: str) -> bool:
        """Whether a problem of this category may be raised as `appeal_type` (any type when
        the category lists none). Intake, the public form and Open311 all ask this."""
        return not self.appeal_types or appeal_type in self.appeal_types

    @property
    def keyword_list(self) -> list[str]:
        return [w.strip() for w in self.keywords.replace("，", ",").split(",") if w.strip()]


class QuestionType(models.TextChoices):
    """The kinds of answer a category question takes (Open311 GeoReport v2 datatypes)."""

    STRING = "string", _("Short text")
    NUMBER = "number", pgettext_lazy("question type", "Number")
    DATETIME = "datetime", _("Date and time")
    TEXT = "text", _("Long text")
    SINGLE = "singlevaluelist", _("One choice")
    MULTIPLE = "multivaluelist", _("Several choices")


LIST_QUESTION_TYPES = (QuestionType.SINGLE, QuestionType.MULTIPLE)


class CategoryQuestion(models.Model):
    """A question asked when a problem of this category is reported (e.g. "Which time of
    day?"). Answers are kept on the case, by question code, in `Case.attributes`."""

    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="questions", verbose_name=_("category")
    )
    code = models.SlugField(_("code"), max_length=40)
    description = models.CharField(pgettext_lazy("category question", "question"), max_length=200)
    datatype = models.CharField(
        _("answer type"), max_length=20, choices=QuestionType.choices, default=QuestionType.STRING
    )
    datatype_description = models.CharField(
        _("answer hint"),
        max_length=200,
        blank=True,
        help_text=_("Helps people answer, e.g. “the number on the lamp post”."),
    )
    required = models.BooleanField(_("required"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    choices = models.TextField(
        _("choices"),
        blank=True,
        help_text=_(
            "For one or several choices: one choice a line, its code and its label separated "
            "by “|”, e.g. “morning | 早上”."
        ),
    )

    class Meta:
        verbose_name = _("category question")
        verbose_name_plural = _("category questions")
        ordering = ["category", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "code"], name="category_question_unique_code"
            ),
            models.UniqueConstraint(
                fields=["category", "order"], name="category_question_unique_order"
            ),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def value_list(self) -> list[tuple[str, str]]:
        """[(code, label)] of the choices, in the order written."""
        values = []
        for line in self.choices.splitlines():
            if not line.strip():
                continue
            key, _sep, name = line.partition("|")
            values.append((key.strip(), (name or key).strip()))
        return values

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        values = self.value_list
        if self.datatype in LIST_QUESTION_TYPES and not values:
            raise ValidationError({"choices": _("List the choices, one a line.")})
        if self.datatype not in LIST_QUESTION_TYPES and values:
            raise ValidationError({"choices": _("Only questions with choices have choices.")})
        keys = [key for key, _name in values]
        if any(not key for key in keys) or len(set(keys)) != len(keys):
            raise ValidationError({"choices": _("Every choice needs its own code.")})


class CaseStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    RESPONDING = "responding", _("In hand")
    REFERRED = "referred", _("Referred")
    REPLIED = "replied", _("Replied")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    MERGED = "merged", _("Merged")
    REJECTED = "rejected", _("Not accepted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_STATUSES = (
    CaseStatus.RECEIVED,
    CaseStatus.RESPONDING,
    CaseStatus.REFERRED,
    CaseStatus.REPLIED,
)
FINAL_STATUSES = (
    CaseStatus.CLOSED,
    CaseStatus.MERGED,
    CaseStatus.REJECTED,
    CaseStatus.WITHDRAWN,
)


DEADLINE_RESPONSE, DEADLINE_HANDLING = "response", "handling"


class Case(models.Model):
    number = models.CharField(_("number"), max_length=20, unique=True)
    tracking_code = models.CharField(_("tracking code"), max_length=20, unique=True)
    appeal_type = models.CharField(
        _("appeal type"), max_length=20, choices=AppealType.choices, default=AppealType.HELP
    )
    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("category"),
    )
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"))
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    channel = models.CharField(
        pgettext_lazy("case", "channel"), max_length=20, choices=Channel.choices
    )

    # The reporter: a resident of the directory, or a name and phone given at intake, or nobody.
    reporter_resident = models.ForeignKey(
        "directory.Resident",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
        verbose_name=_("reporter (resident)"),
    )
    reporter_name = models.CharField(_("reporter's name"), max_length=50, blank=True)
    reporter_phone_cipher = models.TextField(editable=False, blank=True)
    reporter_phone_index = models.CharField(max_length=64, editable=False, blank=True)
    reporter_phone_masked = models.CharField(
        _("reporter's phone"), max_length=20, editable=False, blank=True
    )
    is_anonymous = models.BooleanField(_("anonymous"), default=False)
    consented_at = models.DateTimeField(_("consent given"), null=True, blank=True)

    community = models.ForeignKey(
        "directory.Community",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("community"),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )

    received_at = models.DateTimeField(_("received"))
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases_received",
        verbose_name=_("received by"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases_assigned",
        verbose_name=_("responsible person"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.RECEIVED
    )
    status_changed_at = models.DateTimeField(_("status changed"))
    round = models.PositiveSmallIntegerField(
        _("round"), default=1, help_text=_("1, plus one for every reopening.")
    )

    round_started_at = models.DateTimeField(
        _("round started"),
        null=True,
        blank=True,
        help_text=_(
            "When the current round began (receipt, or the reopening): deadlines count from it."
        ),
    )
    response_due_at = models.DateTimeField(_("response due"), null=True, blank=True)
    handling_due_at = models.DateTimeField(_("handling due"), null=True, blank=True)
    deadline_problem = models.CharField(
        _("deadline problem"),
        max_length=200,
        blank=True,
        help_text=_("Why a deadline could not be computed, e.g. a year missing in the calendar."),
    )
    first_responded_at = models.DateTimeField(_("first response"), null=True, blank=True)
    responded_in_time = models.BooleanField(_("responded in time"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_in_time = models.BooleanField(_("resolved in time"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    resolved_on_spot = models.BooleanField(_("resolved on the spot"), default=False)
    reopen_count = models.PositiveSmallIntegerField(_("reopened"), default=0)
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_cases",
        verbose_name=_("merged into"),
    )
    external_ref = models.CharField(_("external reference"), max_length=100, blank=True)
    attributes = models.JSONField(
        _("answers to the category's questions"),
        default=dict,
        blank=True,
        help_text=_("By question code; a list for questions with several choices."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "handling_due_at"]),
            models.Index(fields=["status", "response_due_at"]),
            models.Index(fields=["community", "status"]),
            models.Index(fields=["category", "received_at"]),
            models.Index(fields=["received_at"]),
            models.Index(fields=["reporter_phone_index"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def reporter_display(self) -> str:
        if self.is_anonymous:
            return str(_("Anonymous"))
        if self.reporter_resident_id:
            return self.reporter_resident.name
        return self.reporter_name

    @property
    def reporter_phone_shown(self) -> str:
        """The reporter's phone as most people see it: masked."""
        if self.reporter_phone_masked:
            return self.reporter_phone_masked
        return self.reporter_resident.phone_masked if self.reporter_resident_id else ""

    def set_reporter_phone(self, normalised: str) -> None:
        protected = privacy.protect_phone(normalised)
        self.reporter_phone_cipher = protected.cipher
        self.reporter_phone_index = protected.index
        self.reporter_phone_masked = protected.masked

    @property
    def deadline_now(self) -> tuple[str, datetime.datetime | None]:
        """The deadline that applies now and which one it is: ("response", …) until the
        resident has been contacted, ("handling", …) after that."""
        if self.first_responded_at is None:
            return DEADLINE_RESPONSE, self.response_due_at
        return DEADLINE_HANDLING, self.handling_due_at

    def is_overdue(self, now: datetime.datetime) -> bool:
        """An open case whose applicable deadline has passed (never one whose applicable
        deadline is still ahead)."""
        due = self.deadline_now[1]
        return self.status in OPEN_STATUSES and due is not None and due < now

    @property
    def response_due_provisional(self) -> bool:
        """The response deadline falls in a year whose calendar is provisional (暂定)."""
        return deadlines.is_provisional(self.response_due_at)

    @property
    def handling_due_provisional(self) -> bool:
        """The handling deadline falls in a year whose calendar is provisional (暂定): every
        page, serializer and message shows it as such."""
        return deadlines.is_provisional(self.handling_due_at)

    @property
    def deadline_problem_text(self) -> str:
        if not self.deadline_problem:
            return ""
        from lianxin.cases.services._common import CALENDAR_MISSING

        return gettext(CALENDAR_MISSING) % {"years": self.deadline_problem.replace(",", "、")}

    @property
    def tracking_code_display(self) -> str:
        code = self.tracking_code
        return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


class CaseCounter(models.Model):
    """The last case number handed out in a year (LX-2026-000123)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("case number counter")
        verbose_name_plural = _("case number counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class ReferralRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    ASSISTING = "assisting", _("Assisting")


class ReferralStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting acceptance")
    ACCEPTED = "accepted", _("Accepted")
    REPLIED = "replied", _("Replied")
    RETURNED = "returned", _("Returned")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_REFERRAL_STATUSES = (ReferralStatus.PENDING, ReferralStatus.ACCEPTED)


class ReferralCloseReason(models.TextChoices):
    """Why a referral still open was closed without a reply or a return."""

    ROUND_ENDED = "round_ended", _("The round ended: the resident was told the result")
    MERGED = "merged", _("The case was merged into another")
    REJECTED = "rejected", _("The case was not accepted")
    WITHDRAWN = "withdrawn", _("The case was withdrawn")


class Referral(models.Model):
    """转办: one department's part in a case, with its own deadline."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="referrals", verbose_name=_("case")
    )
    department = models.ForeignKey(
        "directory.Department",
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("department"),
    )
    role = models.CharField(
        pgettext_lazy("referral", "role"), max_length=10, choices=ReferralRole.choices
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ReferralStatus.choices,
        default=ReferralStatus.PENDING,
    )
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    instructions = models.TextField(_("instructions"), blank=True)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="referrals_made",
        verbose_name=_("referred by"),
    )
    referred_at = models.DateTimeField(_("referred"))
    accept_due_at = models.DateTimeField(_("acceptance due"), null=True, blank=True)
    due_at = models.DateTimeField(_("reply due"), null=True, blank=True)
    due_given = models.BooleanField(
        _("reply due set by hand"),
        default=False,
        help_text=_("Chosen by the dispatcher rather than computed from the category's limit."),
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)
    return_reason = models.TextField(_("reason for return"), blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("replied by"),
    )
    replied_at = models.DateTimeField(_("replied"), null=True, blank=True)
    reply = models.TextField(_("reply"), blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    close_reason = models.CharField(
        _("why it was closed"),
        max_length=20,
        choices=ReferralCloseReason.choices,
        blank=True,
        help_text=_("Set when the case's round ended or the case left the workflow."),
    )

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        # The latest round first, and in it the lead department before the assisting ones.
        ordering = [
            "case",
            "-round",
            models.Case(models.When(role="lead", then=0), default=1),
            "referred_at",
            "pk",
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "department"],
                condition=Q(status__in=["pending", "accepted"]),
                name="referral_one_open_per_department",
            ),
        ]
        indexes = [
            models.Index(fields=["department", "status"]),
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["status", "accept_due_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.case.number} → {self.department} ({self.get_role_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REFERRAL_STATUSES

    @property
    def due_provisional(self) -> bool:
        """The reply deadline falls in a year whose calendar is provisional (暂定)."""
        return deadlines.is_provisional(self.due_at)

    @property
    def accept_due_provisional(self) -> bool:
        return deadlines.is_provisional(self.accept_due_at)


class EventKind(models.TextChoices):
    RECEIVED = "received", _("Received")
    RESOLVED_ON_SPOT = "resolved_on_spot", _("Resolved on the spot")
    CONTACTED = "contacted", _("Resident contacted")
    ASSIGNED = "assigned", _("Responsible person set")
    REFERRED = "referred", _("Referred")
    ACCEPTED = "accepted", _("Accepted by department")
    RETURNED = "returned", _("Returned by department")
    REPLIED = "replied", _("Department replied")
    NOTE = "note", _("Progress note")
    REMINDED = "reminded", _("Reminder")
    URGED = "urged", _("Urged")
    SUPERVISED = "supervised", _("Under supervision")
    FEEDBACK = "feedback", _("Result fed back")
    RATED = "rated", _("Rated by resident")
    CALLBACK = "callback", _("Callback rating")
    REOPENED = "reopened", _("Reopened")
    CLOSED = "closed", _("Closed")
    MERGED = "merged", _("Merged into another case")
    ABSORBED = "absorbed", _("Duplicate merged in")
    REJECTED = "rejected", _("Not accepted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    DEADLINE = "deadline", _("Deadline set")
    RETITLED = "retitled", _("Title changed")
    REFERRAL_CLOSED = "referral_closed", _("Referral closed")


class CaseEvent(models.Model):
    """One step in a case's append-only timeline. Public events are shown to residents."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="events", verbose_name=_("case")
    )
    kind = models.CharField(
        pgettext_lazy("case event", "kind"), max_length=20, choices=EventKind.choices
    )
    at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    actor_label = models.CharField(
        _("by (role and unit)"),
        max_length=100,
        blank=True,
        help_text=_("How the actor is shown to residents: role and unit, not a personal name."),
    )
    referral = models.ForeignKey(
        Referral,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        verbose_name=_("referral"),
    )
    note = models.TextField(pgettext_lazy("case event", "note"), blank=True)
    is_public = models.BooleanField(_("visible to the resident"), default=False)
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["case", "at"]), models.Index(fields=["kind", "at"])]

    def __str__(self) -> str:
        return f"{self.case.number} {self.get_kind_display()}"

    @property
    def text(self) -> str:
        """What the event says, in the reader's language: a person's note as written, a
        system sentence translated now, a rating spelled out."""
        parts = []
        message = self.data.get("message")
        if message:
            msgid, params = message
            parts.append(gettext(msgid) % params if params else gettext(msgid))
        if self.kind in (EventKind.RATED, EventKind.CALLBACK) and "satisfaction" in self.data:
            level = Satisfaction(self.data["satisfaction"]).label
            solved = gettext("solved") if self.data.get("resolved") else gettext("not solved")
            parts.append(f"{level}（{solved}）")
            if self.data.get("comment"):
                parts.append(f"“{self.data['comment']}”")
        if self.note:
            parts.append(self.note)
        return "\n".join(str(p) for p in parts)


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"cases/{instance.event.case.number}/{instance.event_id}-{filename}"


class Attachment(models.Model):
    """A file added to a step (a department's reply, a photo). Served only through a view that
    checks the case's visibility, never from /media directly."""

    event = models.ForeignKey(
        CaseEvent,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=pgettext_lazy("case", "event"),
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    is_public = models.BooleanField(_("visible to the resident"), default=False)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class Satisfaction(models.IntegerChoices):
    VERY_SATISFIED = 5, _("Very satisfied")
    SATISFIED = 4, _("Satisfied")
    FAIRLY_SATISFIED = 3, _("Fairly satisfied")
    DISSATISFIED = 2, _("Dissatisfied")
    VERY_DISSATISFIED = 1, _("Very dissatisfied")


SATISFIED_LEVELS = (
    Satisfaction.VERY_SATISFIED,
    Satisfaction.SATISFIED,
    Satisfaction.FAIRLY_SATISFIED,
)


class CallbackMethod(models.TextChoices):
    PHONE = "phone", _("Phone call")
    VISIT = "visit", _("Home visit")
    SMS = "sms", _("SMS")
    WECHAT = "wechat", _("WeChat")
    IN_PERSON = "in_person", _("In person")


class Rating(models.Model):
    """评价: the resident's judgement of one round, or a callback (回访) recorded by staff.

    The check constraint makes it impossible to store a staff-recorded rating that is not
    marked as a callback, or a resident's rating with a staff recorder."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("case")
    )
    round = models.PositiveSmallIntegerField(_("round"))
    resolved = models.BooleanField(_("problem resolved"))
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction"), choices=Satisfaction.choices)
    comment = models.TextField(_("comment"), blank=True)
    is_callback = models.BooleanField(_("callback"), default=False)
    callback_method = models.CharField(
        _("callback method"), max_length=20, choices=CallbackMethod.choices, blank=True
    )
    callback_at = models.DateTimeField(_("callback time"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("rated"), auto_now_add=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["case", "round"]
        constraints = [
            models.UniqueConstraint(fields=["case", "round"], name="rating_once_per_round"),
            models.CheckConstraint(
                condition=(
                    Q(
                        is_callback=True,
                        recorded_by__isnull=False,
                        callback_at__isnull=False,
                    )
                    & ~Q(callback_method="")
                )
                | Q(is_callback=False, recorded_by__isnull=True, callback_method=""),
                name="rating_staff_only_as_callback",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case.number} #{self.round} {self.get_satisfaction_display()}"

    @property
    def is_satisfied(self) -> bool:
        return self.satisfaction in SATISFIED_LEVELS


class RatingInvitation(models.Model):
    """A one-time link for one reporter to rate one round. Only a hash of the token is stored."""

    case = models.ForeignKey(
        Case,
        on_delete=models.CASCADE,
        related_name="rating_invitations",
        verbose_name=_("case"),
    )
    source_case = models.ForeignKey(
        Case,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("reporter's case"),
        help_text=_("The case the reporter filed (differs from the case after a merge)."),
    )
    round = models.PositiveSmallIntegerField(_("round"))
    salt = models.CharField(max_length=32, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        verbose_name = _("rating invitation")
        verbose_name_plural = _("rating invitations")
        indexes = [models.Index(fields=["case", "round"])]

    def __str__(self) -> str:
        return f"{self.case.number} #{self.round}"

    def token(self) -> str:
        """The secret in the rating link, derived from the salt and the server's key so that
        it can be sent again without being stored."""
        return rating_token(self.salt)


def rating_token(salt: str) -> str:
    key = hashlib.sha256(b"lianxin-rating:" + settings.SECRET_KEY.encode()).digest()
    digest = hmac.new(key, salt.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode()[:24]


def rating_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class SweepMark(models.Model):
    """One reminder, urging or supervision the deadline sweep has done. The unique key makes
    every such step happen once, however many sweeps run at the same moment."""

    key = models.CharField(_("key"), max_length=200, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("sweep mark")
        verbose_name_plural = _("sweep marks")

    def __str__(self) -> str:
        return self.key
