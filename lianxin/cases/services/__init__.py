"""Case services: every write to a case goes through one of these functions."""

from lianxin.cases.services.exits import case_merge, case_reject, case_withdraw
from lianxin.cases.services.intake import case_intake
from lianxin.cases.services.progress import (
    case_assign,
    case_contact,
    case_note,
    case_retitle,
    case_supervise,
    case_urge,
)
from lianxin.cases.services.referrals import (
    case_refer,
    referral_accept,
    referral_opinion,
    referral_reply,
    referral_return,
)
from lianxin.cases.services.resolution import (
    case_close_unrated,
    case_feedback,
    case_reopen,
    rating_record_callback,
    rating_submit,
    reporters_cases,
)

__all__ = [
    "case_assign",
    "case_close_unrated",
    "case_contact",
    "case_feedback",
    "case_intake",
    "case_merge",
    "case_note",
    "case_refer",
    "case_reject",
    "case_reopen",
    "case_retitle",
    "case_supervise",
    "case_urge",
    "case_withdraw",
    "rating_record_callback",
    "rating_submit",
    "referral_accept",
    "referral_opinion",
    "referral_reply",
    "referral_return",
    "reporters_cases",
]
