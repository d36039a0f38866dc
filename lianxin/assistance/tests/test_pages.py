"""Aid pages: applying from a visit with little to type, bad input kept on the form, scope,
documents sealed and served only in scope, the ledger, the sweep and the case link."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image

from lianxin.assistance import services
from lianxin.assistance.forms import ApplicationForm
from lianxin.assistance.models import AidApplication, AidDocument, AidEventKind, AidStatus
from lianxin.assistance.sweep import sweep
from lianxin.cases.models import CaseStatus
from lianxin.testing import factories as f

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(buffer, "PNG")
    return buffer.getvalue()


def test_the_niu_application_from_a_visit_needs_at_most_six_typed_fields(
    rep_a, niu_visit, party_scheme
):
    """Screen formalism: what Lianxin knows from the visit (resident, what was heard) is filled in."""
    form = ApplicationForm(residents=[niu_visit.resident], initial={"reason": niu_visit.heard})
    typed = form.must_type()
    assert typed == ["scheme", "amount"]
    assert len(typed) <= 6


def test_applying_from_a_visit_prefills_and_keeps_the_origin(
    client, rep_a, niu_visit, party_scheme
):
    client.force_login(rep_a)
    url = reverse("assistance:application_create") + f"?visit={niu_visit.pk}"
    page = client.get(url)
    assert page.status_code == 200
    assert "商量帮他申请" in page.content.decode()  # what was heard, pre-filled
    response = client.post(
        reverse("assistance:application_create"),
        {
            "visit": niu_visit.pk,
            "resident": niu_visit.resident.pk,
            "scheme": party_scheme.pk,
            "amount": "3000",
            "reason": niu_visit.heard,
            "uploads": [SimpleUploadedFile("党员证明.pdf", PDF, "application/pdf")],
        },
    )
    application = AidApplication.objects.get()
    assert response.status_code == 302 and response["Location"] == application.get_absolute_url()
    assert application.visit == niu_visit and application.origin == "visit"
    document = application.documents.get()
    assert document.content_type == "application/pdf" and document.size == len(PDF)
    assert PDF not in bytes(document.sealed)  # sealed at rest
    download = client.get(
        reverse("assistance:document_download", args=[application.number, document.pk])
    )
    assert download.status_code == 200 and download.content == PDF


@pytest.mark.parametrize(
    ("scheme", "amount", "message"),
    [
        ("valid", "-5", "金额必须大于零"),
        ("valid", "12.345", "两位小数"),
        ("999999", "100", "没有这个正在受理的帮扶项目"),
        ("valid", "3000.01", "超过了困难党员帮扶款每次申请"),
    ],
)
def test_bad_input_gets_a_clear_message_and_keeps_what_was_typed(
    client, rep_a, niu_visit, party_scheme, scheme, amount, message
):
    client.force_login(rep_a)
    response = client.post(
        reverse("assistance:application_create"),
        {
            "visit": niu_visit.pk,
            "resident": niu_visit.resident.pk,
            "scheme": party_scheme.pk if scheme == "valid" else scheme,
            "amount": amount,
            "reason": "退休金不高，长年吃药",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    assert "退休金不高，长年吃药" in body
    assert not AidApplication.objects.exists()


def test_a_renamed_program_is_refused_as_a_document(rep_a, niu, party_scheme):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        services.application_submit(
            actor=rep_a,
            scheme=party_scheme,
            resident=niu,
            amount="100",
            reason="x",
            uploads=[
                SimpleUploadedFile("证明.pdf", b"MZ\x90\x00" + b"\x00" * 100, "application/pdf")
            ],
        )
    assert "不是可接收的材料" in str(refused.value)
    assert not AidApplication.objects.exists() and not AidDocument.objects.exists()
    png = services.application_submit(
        actor=rep_a,
        scheme=party_scheme,
        resident=niu,
        amount="100",
        reason="x",
        uploads=[SimpleUploadedFile("户口簿.jpg", _png(), "image/jpeg")],
    )
    assert png.documents.get().content_type == "image/png"
    assert png.documents.get().original_name == "户口簿.png"


def test_aid_history_is_seen_only_within_scope(
    client,
    rep_a,
    worker_b,
    rep_b,
    handler_1,
    street_handler,
    zuzhibu_handler,
    worker_a,
    niu,
    party_scheme,
):
    application = services.application_submit(
        actor=rep_a, scheme=party_scheme, resident=niu, amount="800", reason="长年吃药"
    )
    document = services.document_add(
        actor=rep_a, application=application, upload=SimpleUploadedFile("a.pdf", PDF)
    )
    detail = application.get_absolute_url()
    download = reverse("assistance:document_download", args=[application.number, document.pk])
    for outsider in (worker_b, rep_b, handler_1, street_handler, zuzhibu_handler):
        client.force_login(outsider)
        assert client.get(detail).status_code == 404, outsider
        assert client.get(download).status_code == 404, outsider
        assert (
            application.number
            not in client.get(reverse("assistance:application_list")).content.decode()
        )
    client.force_login(worker_a)
    assert client.get(detail).status_code == 200
    assert "800" in client.get(reverse("directory:resident_detail", args=[niu.pk])).content.decode()
    client.force_login(worker_b)
    assert client.get(reverse("directory:resident_detail", args=[niu.pk])).status_code == 404
    # The subdistrict sees it once it reaches its level, the department at its own.
    services.application_review(actor=worker_a, application=application, decision=services.APPROVE)
    client.force_login(street_handler)
    assert client.get(detail).status_code == 200
    client.force_login(zuzhibu_handler)
    assert client.get(detail).status_code == 404


def test_reviewing_through_the_page_and_refusing_self_approval(
    client, worker_a, worker_a2, niu, party_scheme
):
    application = services.application_submit(
        actor=worker_a, scheme=party_scheme, resident=niu, amount="600", reason="困难"
    )
    review = reverse("assistance:application_step", args=[application.number, "review"])
    client.force_login(worker_a)
    page = client.get(application.get_absolute_url()).content.decode()
    assert "每一级都由其他审核人审批" in page and review not in page
    refused = client.post(review, {"decision": "approve"})
    assert refused.status_code == 400 and "不能审批自己的申请" in refused.content.decode()
    client.force_login(worker_a2)
    assert client.post(review, {"decision": "approve", "note": "属实"}).status_code == 302
    application.refresh_from_db()
    assert application.level == 2


def test_the_ledger_lists_applications_and_payments(
    client, rep_a, worker_a, street_handler, zuzhibu_handler, niu, party_scheme
):
    application = services.application_submit(
        actor=rep_a, scheme=party_scheme, resident=niu, amount="1200", reason="困难"
    )
    for reviewer in (worker_a, street_handler, zuzhibu_handler):
        services.application_review(
            actor=reviewer, application=application, decision=services.APPROVE
        )
    services.payment_record(
        actor=zuzhibu_handler,
        application=application,
        amount="1200",
        paid_on=timezone.localdate(),
        method="bank",
        reference="=HYPERLINK(1)",
    )
    client.force_login(worker_a)
    response = client.get(reverse("assistance:application_list") + "?format=xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0][0] == "编号" and rows[1][0] == application.number
    assert rows[1][12] == 1200 and rows[1][14] == "银行转账"
    assert not str(rows[1][15]).startswith("=")  # formulas escaped


def test_the_sweep_urges_an_overdue_review_once(rep_a, worker_a, niu, party_scheme):
    from lianxin.notify.models import Notification

    application = services.application_submit(
        actor=rep_a, scheme=party_scheme, resident=niu, amount="300", reason="困难"
    )
    later = application.due_at + datetime.timedelta(minutes=1)
    assert sweep(now=later) == {"urged": 1}
    assert sweep(now=later) == {"urged": 0}
    assert application.events.filter(kind=AidEventKind.URGED).count() == 1
    assert (
        Notification.objects.filter(recipient=worker_a, title__startswith="【催办】").count() == 1
    )


def test_aid_from_a_case_resolves_the_case_with_a_link(rep_a, worker_a, niu, party_scheme):
    case = f.case(
        actor=worker_a, community=niu.community, reporter_resident=niu, category_code=None
    )
    application = services.application_submit(
        actor=worker_a, scheme=party_scheme, resident=niu, amount="500", reason="困难", case=case
    )
    case.refresh_from_db()
    assert application.origin == "case"
    assert case.status == CaseStatus.RESOLVED
    assert application.number in case.events.last().note
    assert application.status == AidStatus.REVIEWING
