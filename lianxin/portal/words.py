"""What the states and kinds of the casework mean, said the way a resident of seventy would
say them. Staff pages keep the official terms (已转办, 已答复 …); the public pages use these."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lianxin.cases.models import AppealType, CaseStatus, EventKind

# (heading, sentence) per state.
STATUS_WORDS = {
    CaseStatus.RECEIVED: (
        pgettext_lazy("public state", "Received"),
        _("We have your problem and are finding the right person to take it up."),
    ),
    CaseStatus.RESPONDING: (
        pgettext_lazy("public state", "Being handled"),
        _("A member of staff is looking into it and handling it."),
    ),
    CaseStatus.REFERRED: (
        pgettext_lazy("public state", "Passed on to the units concerned"),
        _("It has been passed on to the units concerned, who are working together to sort it out."),
    ),
    CaseStatus.REPLIED: (
        pgettext_lazy("public state", "Units have answered"),
        _(
            "The units concerned have answered. Staff are checking the result and will tell "
            "you about it."
        ),
    ),
    CaseStatus.RESOLVED: (
        pgettext_lazy("public state", "Done, waiting for your rating"),
        _(
            "It has been dealt with and you have been told the result. Please tell us whether "
            "the problem is solved and how satisfied you are."
        ),
    ),
    CaseStatus.CLOSED: (
        pgettext_lazy("public state", "Finished"),
        _("It has been dealt with and the case is finished. Thank you."),
    ),
    CaseStatus.MERGED: (
        pgettext_lazy("public state", "Handled together with the same problem"),
        _(
            "Other residents raised the same problem, so it is being handled as one case. "
            "The progress below is that of the joint case."
        ),
    ),
    CaseStatus.REJECTED: (
        pgettext_lazy("public state", "Not taken up"),
        _("It cannot be taken up here; the reason is given in the steps below."),
    ),
    CaseStatus.WITHDRAWN: (
        pgettext_lazy("public state", "Withdrawn"),
        _("It has been withdrawn as you asked."),
    ),
}

# (short name, what it means) per appeal type, in the order residents most often need them.
APPEAL_WORDS = {
    AppealType.HELP: (
        pgettext_lazy("appeal", "Ask for help"),
        _("Something needs fixing, or you need a hand"),
    ),
    AppealType.COMPLAINT: (
        pgettext_lazy("appeal", "Complain"),
        _("You are unhappy with a unit or with how something was done"),
    ),
    AppealType.CONSULT: (
        pgettext_lazy("appeal", "Ask a question"),
        _("You want to know about a policy or how to get something done"),
    ),
    AppealType.REPORT: (
        pgettext_lazy("appeal", "Report wrongdoing"),
        _("Something against the law or the rules is going on"),
    ),
    AppealType.SUGGESTION: (
        pgettext_lazy("appeal", "Make a suggestion"),
        _("An idea to make things better"),
    ),
}


# The title of each public step, for a resident (the staff timeline keeps the official words).
STEP_WORDS = {
    EventKind.RECEIVED: pgettext_lazy("public step", "Problem received"),
    EventKind.RESOLVED_ON_SPOT: pgettext_lazy("public step", "Solved on the spot"),
    EventKind.CONTACTED: pgettext_lazy("public step", "Staff got in touch"),
    EventKind.ASSIGNED: pgettext_lazy("public step", "Someone put in charge"),
    EventKind.REFERRED: pgettext_lazy("public step", "Passed on to a unit"),
    EventKind.ACCEPTED: pgettext_lazy("public step", "The unit took it on"),
    EventKind.RETURNED: pgettext_lazy("public step", "The unit passed it back"),
    EventKind.REPLIED: pgettext_lazy("public step", "The unit answered"),
    EventKind.NOTE: pgettext_lazy("public step", "Progress"),
    EventKind.REMINDED: pgettext_lazy("public step", "Reminder"),
    EventKind.URGED: pgettext_lazy("public step", "Hurried along"),
    EventKind.SUPERVISED: pgettext_lazy("public step", "Under supervision"),
    EventKind.FEEDBACK: pgettext_lazy("public step", "Result told to you"),
    EventKind.RATED: pgettext_lazy("public step", "Resident's rating"),
    EventKind.CALLBACK: pgettext_lazy("public step", "Follow-up call"),
    EventKind.REOPENED: pgettext_lazy("public step", "Handled again"),
    EventKind.CLOSED: pgettext_lazy("public step", "Finished"),
    EventKind.MERGED: pgettext_lazy("public step", "Handled together"),
    EventKind.ABSORBED: pgettext_lazy("public step", "Handled together"),
    EventKind.REJECTED: pgettext_lazy("public step", "Not taken up"),
    EventKind.WITHDRAWN: pgettext_lazy("public step", "Withdrawn"),
    EventKind.DEADLINE: pgettext_lazy("public step", "Time limit"),
}


def step_title(kind: str) -> str:
    return str(STEP_WORDS.get(kind, ""))


def status_heading(status: str) -> str:
    return str(STATUS_WORDS[status][0])


def status_sentence(status: str) -> str:
    return str(STATUS_WORDS[status][1])
