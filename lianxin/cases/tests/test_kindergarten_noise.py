"""The seed's kindergarten-noise case, end to end through the services.

Five residents of one community report early-morning noise from a kindergarten, at a reception
day and online; their cases are merged into one; it is referred to the kindergarten (lead), the
property office and the district construction commission (assisting); one department returns
it as misrouted and it is re-referred; the lead replies; the representative feeds back; the
resident rates 不满意, the case reopens with new deadlines, is resolved again and rated 满意;
each of the five reporters can follow the public timeline."""

import pytest
import time_machine

from lianxin.cases import selectors, services
from lianxin.cases.models import (
    CaseStatus,
    Channel,
    EventKind,
    Rating,
    RatingInvitation,
    ReferralRole,
    ReferralStatus,
)
from lianxin.testing import factories as f


@pytest.fixture
def construction_commission(db):
    return f.DepartmentFactory(name="区住房和城乡建设委员会", short_name="区建委")


@pytest.fixture
def handler_3(construction_commission):
    return f.UserFactory(username="hugo-h3", role="handler", department=construction_commission)


def tokens_for(case):
    return {
        inv.source_case_id: inv.token()
        for inv in RatingInvitation.objects.filter(case=case, round=case.round)
    }


@time_machine.travel("2026-06-01 09:00 +0800", tick=False)
def test_kindergarten_noise_from_five_reports_to_a_satisfied_resident(
    rep_a,
    community_a,
    department_1,
    department_2,
    handler_1,
    handler_2,
    construction_commission,
    handler_3,
):
    # 1. Five residents report it: three at a reception day (recorded by the representative),
    # two online.
    reports = [
        f.case(
            actor=rep_a,
            community=community_a,
            channel=Channel.RECEPTION,
            reporter_name=f"居民{i}",
            reporter_phone=f"1370013700{i}",
        )
        for i in range(3)
    ] + [
        f.case(
            actor=None,
            community=community_a,
            channel=Channel.WEB,
            reporter_name=f"网上居民{i}",
            reporter_phone=f"1360013600{i}",
        )
        for i in range(2)
    ]
    survivor, duplicates = reports[0], reports[1:]
    assert [c.status for c in reports] == [CaseStatus.RECEIVED] * 5
    assert survivor.handling_due_at is not None and survivor.response_due_at is not None

    # 2. The duplicates are merged into one case.
    for duplicate in duplicates:
        services.case_merge(actor=rep_a, case=duplicate, into=survivor)
    for duplicate in duplicates:
        duplicate.refresh_from_db()
        assert duplicate.status == CaseStatus.MERGED and duplicate.merged_into == survivor
    assert len(services.reporters_cases(survivor)) == 5

    # 3. Referred: kindergarten leads, property office and construction commission assist.
    services.case_contact(actor=rep_a, case=survivor, note="已电话联系居民，了解情况")
    referrals = services.case_refer(
        actor=rep_a,
        case=survivor,
        lead=department_1,
        assisting=[department_2, construction_commission],
        instructions="请核实幼儿园早操音响音量和时间",
    )
    assert [r.role for r in referrals] == [
        ReferralRole.LEAD,
        ReferralRole.ASSISTING,
        ReferralRole.ASSISTING,
    ]
    survivor.refresh_from_db()
    assert survivor.status == CaseStatus.REFERRED

    # 4. The property office returns it as misrouted; it goes back to the dispatcher, who
    # re-refers that part to the construction commission's existing referral... and to the
    # subdistrict office instead.
    property_referral = referrals[1]
    services.referral_return(
        actor=handler_2, referral=property_referral, reason="幼儿园不在本物业管理范围内，转错单位"
    )
    property_referral.refresh_from_db()
    assert property_referral.status == ReferralStatus.RETURNED
    survivor.refresh_from_db()
    assert survivor.status == CaseStatus.REFERRED  # the lead is still open
    subdistrict_office = f.DepartmentFactory(name="青禾街道办事处")
    services.case_refer(actor=rep_a, case=survivor, assisting=[subdistrict_office])

    # 5. The kindergarten accepts and replies; the commission replies too.
    lead = referrals[0]
    services.referral_accept(actor=handler_1, referral=lead)
    services.referral_accept(actor=handler_3, referral=referrals[2])
    services.referral_opinion(
        actor=handler_3, referral=referrals[2], reply="已督促幼儿园整改，将音响移至室内"
    )
    survivor.refresh_from_db()
    assert survivor.status == CaseStatus.REFERRED  # assisting replies do not decide
    services.referral_reply(actor=handler_1, referral=lead, reply="早操改到八点以后，音响音量调低")
    survivor.refresh_from_db()
    assert survivor.status == CaseStatus.REPLIED

    # 6. The representative feeds back; every reporter gets a rating link.
    services.case_feedback(
        actor=rep_a, case=survivor, summary="幼儿园已将早操改到八点以后并调低音量", method="phone"
    )
    survivor.refresh_from_db()
    assert survivor.status == CaseStatus.RESOLVED
    first_tokens = tokens_for(survivor)
    assert set(first_tokens) == {c.pk for c in reports}
    first_deadline = survivor.handling_due_at

    # 7. A resident rates 不满意: the case reopens with new deadlines.
    with time_machine.travel("2026-06-05 10:00 +0800", tick=False):
        services.rating_submit(
            token=first_tokens[duplicates[0].pk],
            resolved=False,
            satisfaction=2,
            comment="第二天又六点放音乐了",
        )
        survivor.refresh_from_db()
        assert survivor.status == CaseStatus.RESPONDING
        assert survivor.round == 2 and survivor.reopen_count == 1
        assert survivor.handling_due_at > first_deadline

        # 8. Handled again and rated 满意.
        services.case_refer(actor=rep_a, case=survivor, lead=department_1)
        lead2 = survivor.referrals.get(round=2, role=ReferralRole.LEAD)
        services.referral_accept(actor=handler_1, referral=lead2)
        services.referral_reply(actor=handler_1, referral=lead2, reply="园长承诺不再早上放音乐")
        services.case_feedback(
            actor=rep_a, case=survivor, summary="幼儿园书面承诺整改", method="visit"
        )
        second_tokens = tokens_for(survivor)
        services.rating_submit(token=second_tokens[reports[4].pk], resolved=True, satisfaction=4)
    survivor.refresh_from_db()
    assert survivor.status == CaseStatus.CLOSED
    assert list(Rating.objects.filter(case=survivor).values_list("round", "satisfaction")) == [
        (1, 2),
        (2, 4),
    ]

    # 9. Each of the five reporters follows the public timeline of the surviving case.
    public = list(selectors.case_timeline(survivor, public_only=True))
    kinds = [e.kind for e in public]
    for expected in (
        EventKind.RECEIVED,
        EventKind.REFERRED,
        EventKind.ACCEPTED,
        EventKind.REPLIED,
        EventKind.FEEDBACK,
        EventKind.RATED,
        EventKind.REOPENED,
        EventKind.CLOSED,
    ):
        assert expected in kinds
    assert EventKind.RETURNED not in kinds  # internal
    for report in reports:
        report.refresh_from_db()
        followed = report.merged_into or report
        assert followed == survivor
