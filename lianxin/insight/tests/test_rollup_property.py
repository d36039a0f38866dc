"""Property: whatever sequence of case steps happens, at whatever times, the rollups kept step
by step equal a from-scratch recomputation, and agree with the definitions' own queries over
the case tables."""

import datetime
import zoneinfo
from collections import Counter

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lianxin.cases import services
from lianxin.cases.errors import CaseActionError
from lianxin.cases.models import Case, RatingInvitation, Referral, ReferralStatus
from lianxin.insight import facts, metrics, selectors
from lianxin.insight.models import COUNTERS, CaseFacts, DayFigures
from lianxin.testing import factories as f

SH = zoneinfo.ZoneInfo("Asia/Shanghai")
START = datetime.datetime(2026, 4, 27, 9, 0, tzinfo=SH)  # a Monday before the May holiday

STEPS = (
    "intake",
    "contact",
    "refer",
    "refer_assisting",
    "accept",
    "return",
    "reply",
    "feedback",
    "rate_good",
    "rate_bad",  # reopens the case
    "callback_good",
    "callback_bad",  # reopens the case
    "merge",
    "withdraw",
    "reject",
)

step = st.tuples(
    st.sampled_from(STEPS),
    st.integers(min_value=0, max_value=5),  # which case
    st.integers(min_value=0, max_value=60),  # hours until this step
)


def stored_rollups() -> Counter:
    out = Counter()
    for row in DayFigures.objects.values("dim", "key", "day", *COUNTERS):
        for c in COUNTERS:
            if row[c]:
                out[(row["dim"], row["key"], row["day"], c)] += row[c]
    return out


def recomputed_rollups() -> Counter:
    out = Counter()
    for case_facts in facts.extract_many(Case.objects.values_list("pk", flat=True)).values():
        for (dim, key, day), counters in facts.contribution(case_facts).items():
            for c, n in counters.items():
                out[(dim, key, datetime.date.fromordinal(day), c)] += n
    return +out


class World:
    def __init__(self, admin, handlers, communities):
        self.admin, self.handlers, self.communities = admin, handlers, communities

    def case(self, index):
        cases = list(Case.objects.order_by("pk"))
        return cases[index % len(cases)] if cases else None

    def referral(self, index, statuses):
        referrals = list(Referral.objects.filter(status__in=statuses).order_by("pk"))
        return referrals[index % len(referrals)] if referrals else None

    def handler_for(self, referral):
        return next(h for h in self.handlers if h.department_id == referral.department_id)

    def do(self, name, index):
        admin = self.admin
        if name == "intake":
            community = self.communities[index % 2]
            f.case(actor=admin, community=community, urgency="urgent" if index == 5 else "normal")
            return
        if name in ("accept", "return", "reply"):
            wanted = {
                "accept": [ReferralStatus.PENDING],
                "return": [ReferralStatus.PENDING, ReferralStatus.ACCEPTED],
                "reply": [ReferralStatus.ACCEPTED],
            }[name]
            referral = self.referral(index, wanted)
            if referral is None:
                return
            handler = self.handler_for(referral)
            if name == "accept":
                services.referral_accept(actor=handler, referral=referral)
            elif name == "return":
                services.referral_return(actor=handler, referral=referral, reason="不归我们")
            else:
                services.referral_reply(actor=handler, referral=referral, reply="已处理")
            return
        case = self.case(index)
        if case is None:
            return
        department = self.handlers[index % 2].department
        if name == "contact":
            services.case_contact(actor=admin, case=case)
        elif name == "refer":
            services.case_refer(actor=admin, case=case, lead=department)
        elif name == "refer_assisting":
            services.case_refer(actor=admin, case=case, assisting=[department])
        elif name == "feedback":
            services.case_feedback(actor=admin, case=case, summary="已办", method="phone")
        elif name in ("rate_good", "rate_bad"):
            invitation = RatingInvitation.objects.filter(case=case, round=case.round).first()
            if invitation is None:
                return
            good = name == "rate_good"
            services.rating_submit(
                token=invitation.token(), resolved=good, satisfaction=4 if good else 2
            )
        elif name in ("callback_good", "callback_bad"):
            good = name == "callback_good"
            services.rating_record_callback(
                actor=admin,
                case=case,
                resolved=good,
                satisfaction=5 if good else 1,
                method="phone",
                called_at=case.status_changed_at,
            )
        elif name == "merge":
            into = self.case(index + 1)
            services.case_merge(actor=admin, case=case, into=into)
        elif name == "withdraw":
            services.case_withdraw(actor=admin, case=case, reason="不需要了")
        elif name == "reject":
            services.case_reject(actor=admin, case=case, reason="不属于受理范围")


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(step, min_size=1, max_size=25))
def test_rollups_always_equal_a_recomputation(
    steps, working_calendar, admin_user, handler_1, handler_2, community_a, community_b
):
    world = World(admin_user, [handler_1, handler_2], [community_a, community_b])
    with transaction.atomic():
        now = START
        for name, index, hours in [("intake", 0, 0), *steps]:
            now += datetime.timedelta(hours=hours)
            with time_machine.travel(now, tick=False):
                try:
                    with transaction.atomic():
                        world.do(name, index)
                except (CaseActionError, ValidationError):
                    continue
            assert stored_rollups() == recomputed_rollups(), (name, index)
        current = facts.extract_many(Case.objects.values_list("pk", flat=True))
        assert {r.case_id: r.facts for r in CaseFacts.objects.all()} == current
        _agrees_with_the_raw_queries(now, community_a, handler_1)
        transaction.set_rollback(True)


def _agrees_with_the_raw_queries(now, community, handler):
    today = now.astimezone(SH).date() + datetime.timedelta(days=1)
    first, last = START.date() - datetime.timedelta(days=1), today + datetime.timedelta(days=40)
    window = metrics.Window(
        start=datetime.datetime.combine(first, datetime.time.min, tzinfo=SH),
        end=datetime.datetime.combine(
            last + datetime.timedelta(days=1), datetime.time.min, tzinfo=SH
        ),
        today=datetime.datetime.combine(today, datetime.time.min, tzinfo=SH),
    )
    units = [
        ("district", "0", Q()),
        ("community", str(community.pk), Q(community_id=community.pk)),
        (
            "dept_lead",
            str(handler.department_id),
            Q(department_id=handler.department_id, role="lead"),
        ),
    ]
    for dim, key, where in units:
        figures = selectors.combined(dim, first, last, [key], today=today)
        for metric in metrics.METRICS:
            if metric.raw_numerator is None or dim not in metric.raw_dimensions:
                continue
            assert metric.raw_numerator(window, where) == figures.total(metric.numerator), (
                dim,
                metric.code,
            )
            if metric.raw_denominator is not None:
                assert metric.raw_denominator(window, where) == figures.total(metric.denominator), (
                    dim,
                    metric.code,
                )
