"""Sending a notice, recording consent and opt-outs, and telling residents in person.

Who is sent what (notice_send):
1. the audience: residents of the community (with a care tag), of the households paired with a
   representative, or of an activity's communities; always within the sender's own scope;
2. each resident once (a unique row per notice and resident), with the outcome decided here:
   opted out → not sent; never agreed → not sent; no phone → to be told in person; already
   sent LIANXIN_NOTICE_WEEKLY_CAP notices in the last seven days → not sent;
3. the others get the SMS through lianxin.notify (delivery with retries), with the
   unsubscribe line, held until the end of the quiet hours when sent at night.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts import scopes
from lianxin.accounts.models import Role
from lianxin.directory.models import Pairing, PairingKind, Resident
from lianxin.env import env_int
from lianxin.notices.models import Audience, Notice, NoticeRecipient, Outcome, SmsConsent
from lianxin.notify.kinds import EventKind
from lianxin.notify.services import notify_resident

WEEKLY_CAP = env_int("LIANXIN_NOTICE_WEEKLY_CAP", 2, minimum=1)
QUIET_FROM = env_int("LIANXIN_NOTICE_QUIET_FROM", 21, minimum=0)  # hour, local time
QUIET_UNTIL = env_int("LIANXIN_NOTICE_QUIET_UNTIL", 8, minimum=0)
OPT_OUT_LINE = "回复TD退订"
OPT_OUT_WORDS = {"TD", "T", "N", "退订", "退定", "取消"}
SENDERS = (Role.ADMIN, Role.WORKER, Role.REPRESENTATIVE)


class NoticeError(Exception):
    def __init__(self, code: str, message) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = str(message)


def quiet_until(now: datetime.datetime) -> datetime.datetime | None:
    """The end of the quiet hours when `now` lies in them, else None."""
    local = timezone.localtime(now)
    if QUIET_UNTIL <= local.hour < QUIET_FROM:
        return None
    day = local.date() if local.hour < QUIET_UNTIL else local.date() + datetime.timedelta(days=1)
    return datetime.datetime.combine(day, datetime.time(QUIET_UNTIL), tzinfo=local.tzinfo)


def audience_residents(
    *, actor, audience: str, community=None, care_tag=None, representative=None, activity=None
):
    """The residents a notice goes to, inside the sender's scope."""
    if audience in (Audience.COMMUNITY, Audience.CARE_TAG):
        if community is None:
            raise ValidationError({"community": [_("Choose the community.")]})
        residents = Resident.objects.filter(community=community)
        if audience == Audience.CARE_TAG:
            if care_tag is None:
                raise ValidationError({"care_tag": [_("Choose the care tag.")]})
            residents = residents.filter(care_tags=care_tag)
    elif audience == Audience.PAIRED:
        if representative is None:
            raise ValidationError({"representative": [_("Choose the representative.")]})
        households = (
            Pairing.objects.active()
            .filter(kind=PairingKind.HOUSEHOLD, representative=representative)
            .values("household_id")
        )
        residents = Resident.objects.filter(household_id__in=households)
    elif audience == Audience.ACTIVITY:
        if activity is None:
            raise ValidationError({"activity": [_("Choose the activity.")]})
        residents = Resident.objects.filter(community__in=activity.communities.all())
    else:
        raise ValidationError({"audience": [_("Choose who the notice is for.")]})
    return scopes.filter_by_community(residents, actor).distinct().order_by("pk")


@transaction.atomic
def notice_send(
    *,
    actor,
    title: str,
    text: str,
    audience: str,
    community=None,
    care_tag=None,
    representative=None,
    activity=None,
    now: datetime.datetime | None = None,
) -> Notice:
    if not (getattr(actor, "is_authenticated", False) and actor.role in SENDERS):
        raise NoticeError(
            "not_allowed", _("Only workers, representatives and administrators send notices.")
        )
    title, text = (title or "").strip(), (text or "").strip()
    if not title:
        raise ValidationError({"title": [_("Give the notice a title.")]})
    if not text:
        raise ValidationError({"text": [_("Write the text of the SMS.")]})
    if len(text) > 200:
        raise ValidationError({"text": [_("An SMS notice has at most 200 characters.")]})
    if community is not None and not scopes.in_scope(actor, community.pk):
        raise NoticeError("out_of_scope", _("You can only send notices to your own communities."))
    residents = list(
        audience_residents(
            actor=actor,
            audience=audience,
            community=community,
            care_tag=care_tag,
            representative=representative,
            activity=activity,
        ).only("pk", "name", "community_id", "phone_cipher", "phone_masked")
    )
    now = now or timezone.now()
    notice = Notice.objects.create(
        title=title,
        text=text,
        audience=audience,
        community=community,
        care_tag=care_tag,
        representative=representative,
        activity=activity,
        sent_by=actor,
        sent_at=now,
    )
    ids = [r.pk for r in residents]
    consent = {c.resident_id: c for c in SmsConsent.objects.filter(resident_id__in=ids)}
    recent = set(
        NoticeRecipient.objects.filter(
            resident_id__in=ids,
            outcome=Outcome.SMS,
            notice__sent_at__gte=now - datetime.timedelta(days=7),
        )
        .values("resident_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=WEEKLY_CAP)
        .values_list("resident_id", flat=True)
    )
    hold = quiet_until(now)
    rows = []
    for resident in residents:
        row = NoticeRecipient(notice=notice, resident=resident, community_id=resident.community_id)
        agreed = consent.get(resident.pk)
        if agreed is not None and agreed.opted_out_at is not None:
            row.outcome = Outcome.OPTED_OUT
        elif not resident.phone_cipher:
            row.outcome = Outcome.NO_PHONE
        elif agreed is None or agreed.agreed_at is None:
            row.outcome = Outcome.NO_CONSENT
        elif resident.pk in recent:
            row.outcome = Outcome.CAPPED
        else:
            row.outcome = Outcome.SMS
            sent = notify_resident(
                kind=EventKind.NOTICE,
                resident=resident,
                context={"title": title, "text": text, "opt_out": OPT_OUT_LINE},
                idempotency_key=f"notice:{notice.pk}:r{resident.pk}",
                not_before=hold,
            )
            row.delivery = sent.deliveries[0] if sent.deliveries else None
        rows.append(row)
    NoticeRecipient.objects.bulk_create(rows, batch_size=1000)
    return notice


# --- Consent -------------------------------------------------------------------------------
def _can_record(actor, resident) -> bool:
    return (
        getattr(actor, "is_authenticated", False)
        and actor.role in SENDERS
        and scopes.in_scope(actor, resident.community_id)
    )


@transaction.atomic
def consent_record(*, actor, resident, agreed: bool, how: str) -> SmsConsent:
    """Staff record that a resident agreed to notices, or asked to receive none."""
    if not _can_record(actor, resident):
        raise NoticeError("not_allowed", _("You cannot change this resident's notice settings."))
    how = (how or "").strip()[:100]
    if not how:
        raise ValidationError(
            {"how": [_("Say how the resident told you (e.g. signed form, in person).")]}
        )
    consent, _created = SmsConsent.objects.select_for_update().get_or_create(resident=resident)
    now = timezone.now()
    if agreed:
        consent.agreed_at, consent.agreed_how = now, how
        consent.opted_out_at, consent.opted_out_how = None, ""
    else:
        consent.opted_out_at, consent.opted_out_how = now, how
    consent.updated_by = actor
    consent.save()
    return consent


@transaction.atomic
def opt_out_by_reply(*, phone_index: str, text: str) -> int:
    """A reply to a notice: "TD" (and its usual spellings) opts every resident with that
    number out. Returns how many residents were opted out."""
    if (text or "").strip().upper() not in OPT_OUT_WORDS:
        return 0
    residents = list(Resident.objects.filter(phone_index=phone_index).values_list("pk", flat=True))
    now = timezone.now()
    for pk in residents:
        consent, _created = SmsConsent.objects.get_or_create(resident_id=pk)
        if consent.opted_out_at is None:
            consent.opted_out_at, consent.opted_out_how = now, _("Replied TD to a notice")
            consent.save(update_fields=["opted_out_at", "opted_out_how", "updated_at"])
    return len(residents)


@transaction.atomic
def recipient_mark_told(*, actor, recipient: NoticeRecipient) -> NoticeRecipient:
    """An elderly resident without a phone (or without SMS) was told in person."""
    if not (
        getattr(actor, "is_authenticated", False)
        and actor.role in SENDERS
        and scopes.in_scope(actor, recipient.community_id)
    ):
        raise NoticeError("not_allowed", _("You cannot record this."))
    changed = (
        NoticeRecipient.objects.filter(pk=recipient.pk)
        .exclude(outcome__in=[Outcome.SMS, Outcome.TOLD])
        .update(outcome=Outcome.TOLD, told_by=actor, told_at=timezone.now())
    )
    if changed != 1:
        raise NoticeError("stale", _("This resident was already reached."))
    recipient.refresh_from_db()
    return recipient
