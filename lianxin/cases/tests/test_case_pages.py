"""Case pages with personas: who sees which case, which buttons, and what each page costs."""

import io

import pytest
from openpyxl import load_workbook

from lianxin.accounts.models import AccessLog
from lianxin.cases import services
from lianxin.cases.models import Case, CaseStatus, Referral
from lianxin.testing import factories as f


@pytest.fixture
def case_a(worker_a, community_a):
    return f.case(actor=worker_a, community=community_a, title="甲社区的诉求")


@pytest.fixture
def case_b(worker_b, community_b):
    return f.case(actor=worker_b, community=community_b, title="乙社区的诉求")


def test_worker_sees_only_cases_of_their_community(client, worker_a, case_a, case_b):
    client.force_login(worker_a)
    page = client.get("/staff/cases/").content.decode()
    assert "甲社区的诉求" in page and "乙社区的诉求" not in page
    assert client.get(f"/staff/cases/{case_a.number}/").status_code == 200
    assert client.get(f"/staff/cases/{case_b.number}/").status_code == 404
    assert client.get(f"/staff/cases/{case_b.number}/note/").status_code == 404
    response = client.post(f"/staff/cases/{case_b.number}/note/", {"note": "越权"})
    assert response.status_code == 404


def test_representative_sees_cases_of_paired_communities(client, rep_a, case_a, case_b):
    client.force_login(rep_a)
    page = client.get("/staff/cases/").content.decode()
    assert "甲社区的诉求" in page and "乙社区的诉求" not in page


def test_handler_sees_only_cases_referred_to_their_department(
    client, worker_a, case_a, case_b, department_1, handler_1, handler_2
):
    services.case_refer(actor=worker_a, case=case_a, lead=department_1)
    client.force_login(handler_1)
    assert client.get(f"/staff/cases/{case_a.number}/").status_code == 200
    assert client.get(f"/staff/cases/{case_b.number}/").status_code == 404
    assert "甲社区的诉求" in client.get("/staff/cases/referrals/").content.decode()
    client.force_login(handler_2)
    assert client.get(f"/staff/cases/{case_a.number}/").status_code == 404
    assert "甲社区的诉求" not in client.get("/staff/cases/referrals/").content.decode()


def test_supervisor_reads_everything_but_records_nothing(client, supervisor, case_a, case_b):
    client.force_login(supervisor)
    page = client.get("/staff/cases/").content.decode()
    assert "甲社区的诉求" in page and "乙社区的诉求" in page
    assert client.get("/staff/cases/new/").status_code == 404


def test_case_page_offers_exactly_the_allowed_actions(
    client, worker_a, case_a, department_1, handler_1
):
    client.force_login(worker_a)
    page = client.get(f"/staff/cases/{case_a.number}/").content.decode()
    for action in ("contact", "refer", "feedback", "note", "assign", "merge", "reject", "withdraw"):
        assert f"act-{action}" in page, action
    assert "act-callback" not in page and "act-supervise" not in page

    [referral] = services.case_refer(actor=worker_a, case=case_a, lead=department_1)
    client.force_login(handler_1)
    page = client.get(f"/staff/cases/{case_a.number}/").content.decode()
    assert f"/staff/cases/referrals/{referral.pk}/accept/" in page
    assert f"/staff/cases/referrals/{referral.pk}/reply/" not in page  # accept first
    assert "act-refer" not in page and "act-feedback" not in page


def test_a_handler_accepts_and_replies_through_the_pages(
    client, worker_a, case_a, department_1, handler_1
):
    [referral] = services.case_refer(actor=worker_a, case=case_a, lead=department_1)
    client.force_login(handler_1)
    client.post(f"/staff/cases/referrals/{referral.pk}/accept/")
    response = client.post(
        f"/staff/cases/referrals/{referral.pk}/reply/", {"reply": "已调整作息时间"}, follow=True
    )
    assert "已答复" in response.content.decode()
    case_a.refresh_from_db()
    assert case_a.status == CaseStatus.REPLIED
    # Accepting again is refused with a message and changes nothing.
    response = client.post(f"/staff/cases/referrals/{referral.pk}/accept/", follow=True)
    assert "不能" in response.content.decode() or "已经" in response.content.decode()
    assert Referral.objects.get(pk=referral.pk).status == "replied"


def test_a_bad_form_keeps_what_was_typed(client, worker_a, case_a):
    client.force_login(worker_a)
    response = client.post(
        f"/staff/cases/{case_a.number}/feedback/", {"summary": "已经处理好了", "method": "nonsense"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "已经处理好了" in page
    case_a.refresh_from_db()
    assert case_a.status == CaseStatus.RECEIVED


def test_intake_by_a_representative_with_a_resident_from_the_roster(
    client, rep_a, community_a, resident_a
):
    client.force_login(rep_a)
    lookup = client.get("/staff/cases/lookup/", {"lookup": "138 0013 8000"}).content.decode()
    assert "居民甲" in lookup and "13800138000" not in lookup
    response = client.post(
        "/staff/cases/new/",
        {
            "reporter_kind": "resident",
            "reporter_resident": resident_a.pk,
            "title": "楼道灯坏了",
            "description": "3单元楼道灯坏了一周",
            "category": f.category("property-repair").pk,
            "appeal_type": "help",
            "urgency": "normal",
            "channel": "visit",
            "community": community_a.pk,
            "address": "",
        },
    )
    case = Case.objects.get(title="楼道灯坏了")
    assert response.status_code == 302 and response.url.endswith(f"/{case.number}/")
    assert case.reporter_resident == resident_a and case.assignee == rep_a
    assert case.channel == "visit" and case.handling_due_at is not None


def test_intake_outside_ones_communities_is_refused(client, worker_a, community_b):
    client.force_login(worker_a)
    response = client.post(
        "/staff/cases/new/",
        {
            "reporter_kind": "anonymous",
            "title": "越界",
            "description": "越界登记",
            "appeal_type": "help",
            "urgency": "normal",
            "channel": "phone",
            "community": community_b.pk,
        },
    )
    assert response.status_code == 200
    assert not Case.objects.filter(title="越界").exists()


def test_on_the_spot_resolution_goes_straight_to_resolved(client, worker_a, community_a):
    client.force_login(worker_a)
    client.post(
        "/staff/cases/new/",
        {
            "reporter_kind": "other",
            "reporter_name": "张阿姨",
            "reporter_phone": "13912345678",
            "title": "问低保政策",
            "description": "想了解低保申请条件",
            "appeal_type": "consult",
            "urgency": "normal",
            "channel": "walk_in",
            "community": community_a.pk,
            "resolved_on_spot": "on",
            "resolution": "当场讲解了申请条件和材料",
        },
    )
    case = Case.objects.get(title="问低保政策")
    assert case.status == CaseStatus.RESOLVED and case.resolved_on_spot
    assert case.reporter_phone_masked == "139****5678"


def test_ledger_export_is_scoped_and_masked(client, worker_a, case_a, case_b):
    client.force_login(worker_a)
    response = client.get("/staff/cases/export.xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [r[5] for r in rows[1:]] == ["甲社区的诉求"]
    assert rows[1][10] == "137****7000"


def test_revealing_the_reporters_phone_is_audited(client, worker_a, case_a):
    client.force_login(worker_a)
    response = client.post(f"/staff/cases/{case_a.number}/reveal-phone/")
    assert "13700137000" in response.content.decode()
    assert AccessLog.objects.filter(user=worker_a, subject_id=case_a.pk).count() == 1


def test_list_pages_make_a_bounded_number_of_queries(
    client, worker_a, community_a, department_1, handler_1, django_assert_max_num_queries
):
    for i in range(3):
        case = f.case(actor=worker_a, community=community_a, title=f"诉求{i}")
        services.case_refer(actor=worker_a, case=case, lead=department_1)
    client.force_login(worker_a)
    with django_assert_max_num_queries(12) as few:
        client.get("/staff/cases/")
    for i in range(3, 25):
        case = f.case(actor=worker_a, community=community_a, title=f"诉求{i}")
        services.case_refer(actor=worker_a, case=case, lead=department_1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/staff/cases/")
    client.force_login(handler_1)
    with django_assert_max_num_queries(12):
        client.get("/staff/cases/referrals/")


def test_case_page_queries_do_not_grow_with_the_timeline(
    client, worker_a, community_a, django_assert_max_num_queries
):
    case = f.case(actor=worker_a, community=community_a)
    client.force_login(worker_a)
    with django_assert_max_num_queries(40) as few:
        client.get(f"/staff/cases/{case.number}/")
    for i in range(15):
        services.case_note(actor=worker_a, case=case, note=f"记录{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(f"/staff/cases/{case.number}/")


def test_action_names_follow_the_readers_language(client, worker_a, case_a):
    client.force_login(worker_a)
    assert "反馈居民" in client.get(f"/staff/cases/{case_a.number}/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(f"/staff/cases/{case_a.number}/").content.decode()
    assert "Feed back to the resident" in page and "反馈居民" not in page
    assert (
        "Feed back to the resident"
        in client.get(f"/staff/cases/{case_a.number}/feedback/").content.decode()
    )
