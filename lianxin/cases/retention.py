"""Keeping the promise of the personal-information notice: once a case has been finished for
LIANXIN_RETENTION_YEARS, the reporter's details are made anonymous.

What goes: the reporter's link to the directory, name and sealed phone, the address and
location, the description's words (kept as a note that it was anonymised), the photos and
files attached to it, and the one-time rating links. What stays, because it is the record of
the work and holds no personal data of the reporter: number, category, dates, deadlines,
states, departments, ratings as numbers (their comments go) and the timeline's steps."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from lianxin.cases.models import (
    FINAL_STATUSES,
    Attachment,
    Case,
    EventKind,
    Rating,
    RatingInvitation,
)
from lianxin.cases.services._common import record_event

ANONYMISED = "—"


def retention_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    now = now or timezone.now()
    return now - datetime.timedelta(days=365 * settings.LIANXIN_RETENTION_YEARS)


def cases_due_for_anonymising(now: datetime.datetime | None = None):
    return Case.objects.filter(
        status__in=FINAL_STATUSES, closed_at__lt=retention_cutoff(now)
    ).exclude(description=ANONYMISED)


@transaction.atomic
def case_anonymise(*, case: Case) -> None:
    for attachment in Attachment.objects.filter(event__case=case):
        attachment.file.delete(save=False)
        attachment.delete()
    RatingInvitation.objects.filter(case=case).delete()
    for event in case.events.filter(kind__in=[EventKind.RATED, EventKind.CALLBACK]):
        event.data.pop("comment", None)
        event.note = ""
        event.save(update_fields=["data", "note"])
    Rating.objects.filter(case=case).update(comment="")
    Case.objects.filter(pk=case.pk).update(
        reporter_resident=None,
        reporter_name="",
        reporter_phone_cipher="",
        reporter_phone_index="",
        reporter_phone_masked="",
        address="",
        latitude=None,
        longitude=None,
        description=ANONYMISED,
    )
    record_event(
        case,
        kind=EventKind.NOTE,
        message=(
            gettext_noop(
                "The reporter's personal details were made anonymous at the end of the retention "
                "period."
            ),
            {},
        ),
    )


def anonymise_expired(*, now: datetime.datetime | None = None, limit: int = 1000) -> int:
    done = 0
    for case in cases_due_for_anonymising(now)[:limit]:
        case_anonymise(case=case)
        done += 1
    return done
