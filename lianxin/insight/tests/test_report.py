"""The monthly report: a Chinese PDF with the month, the three rates and the departments, made
from the command line, from the dashboard's button, and mailed once on the first working day."""

import datetime
import io

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from pypdf import PdfReader

from lianxin.cases import services
from lianxin.insight import report
from lianxin.insight.models import MonthlyReport
from lianxin.testing import factories as f

pytestmark = pytest.mark.django_db

NOVEMBER = datetime.datetime(2026, 11, 10, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def november(working_calendar, admin_user, handler_1, community_a):
    with time_machine.travel(NOVEMBER, tick=False):
        case = f.case(actor=admin_user, community=community_a, title="暖气不热")
        services.case_contact(actor=admin_user, case=case)
        [referral] = services.case_refer(actor=admin_user, case=case, lead=handler_1.department)
        services.referral_accept(actor=handler_1, referral=referral)
    return case


def text_of(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_pdf_holds_the_month_the_three_rates_and_the_departments(november, department_1):
    with time_machine.travel(datetime.datetime(2026, 12, 2, 9, 0, tzinfo=datetime.UTC)):
        pdf = report.report_pdf(report.month_period("2026-11"))
    text = text_of(pdf)
    assert pdf.startswith(b"%PDF")
    assert "2026-11" in text
    for name in ("响应率", "解决率", "满意率"):
        assert name in text
    assert department_1.name in text
    assert "样本不足" in text


def test_the_command_writes_the_report(november, tmp_path):
    target = tmp_path / "report.pdf"
    call_command("insight", "report", "--month", "2026-11", "--output", str(target))
    assert "2026-11" in text_of(target.read_bytes())


def test_the_command_refuses_a_malformed_month():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("insight", "report", "--month", "11/2026")


def test_the_dashboard_button_downloads_it_for_supervisors_only(
    client, november, supervisor, worker_a
):
    client.force_login(supervisor)
    response = client.get("/staff/insight/report/?month=2026-11")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "2026-11" in text_of(response.content)
    bad = client.get("/staff/insight/report/?month=2026-13")
    assert bad.status_code == 400 and "2026-11" in bad.content.decode()
    client.force_login(worker_a)
    assert client.get("/staff/insight/report/?month=2026-11").status_code == 404


def test_supervisors_get_it_once_on_the_first_working_day(november, supervisor, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    supervisor.email = "sam@example.org"
    supervisor.save()
    # 1 December 2026 is a Tuesday, a working day.
    assert report.send_due_report(today=datetime.date(2026, 11, 30)) is None
    sent = report.send_due_report(today=datetime.date(2026, 12, 1))
    assert sent is not None and sent.month == datetime.date(2026, 11, 1)
    assert report.send_due_report(today=datetime.date(2026, 12, 1)) is None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["sam@example.org"] and "2026-11" in message.subject
    assert "2026-11" in text_of(message.attachments[0][1])
    assert MonthlyReport.objects.count() == 1
