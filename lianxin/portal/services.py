"""Writes of the public site: a resident raises a problem. The case itself is recorded by
lianxin.cases.services.case_intake, as for every channel."""

from __future__ import annotations

import re

from lianxin.cases.models import Case, Category, Channel
from lianxin.cases.services import case_intake

TITLE_LENGTH = 30


def title_from(description: str) -> str:
    """A short title from the resident's own first sentence (staff may retitle later)."""
    text = " ".join((description or "").split())
    first = re.split(r"(?<=[。！？!?；;])", text, maxsplit=1)[0].strip() or text
    first = first.rstrip("。！？!?；;，,")
    if len(first) > TITLE_LENGTH:
        return first[: TITLE_LENGTH - 1] + "…"
    return first


def report_submit(
    *,
    description: str,
    address: str,
    community,
    category: Category | None,
    appeal_type: str,
    name: str,
    phone: str,
    is_anonymous: bool,
    photos=(),
) -> Case:
    """File a resident's problem from the public site. Photos must already be cleaned
    (lianxin.portal.photos); they are kept for staff only. Raises ValidationError."""
    return case_intake(
        actor=None,
        channel=Channel.WEB,
        consented=True,
        title=title_from(description),
        description=description,
        category=category,
        appeal_type=appeal_type,
        community=community,
        address=address,
        reporter_name="" if is_anonymous else name,
        reporter_phone="" if is_anonymous else phone,
        is_anonymous=is_anonymous,
        attachments=photos,
    )
