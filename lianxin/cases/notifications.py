"""Who hears of what happens to a case. Called by the services inside their transaction;
the messages go out after commit through lianxin.notify (filled in when notify lands)."""

from __future__ import annotations


def case_received(case) -> None:
    pass


def referrals_created(case, referrals) -> None:
    pass


def referral_returned(referral) -> None:
    pass


def referral_replied(referral) -> None:
    pass


def case_feedback(case, invitations) -> None:
    pass


def case_rated(case, rating) -> None:
    pass


def case_reopened(case) -> None:
    pass


def case_urged(case, event) -> None:
    pass


def case_supervised(case, event) -> None:
    pass


def case_due_soon(case, event) -> None:
    pass


def referral_due_soon(referral, event) -> None:
    pass
