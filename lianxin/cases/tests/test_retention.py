"""Old finished cases lose their reporter's personal details; the record of the work stays."""

import datetime

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from lianxin.cases import services
from lianxin.cases.models import Attachment, Case
from lianxin.cases.retention import anonymise_expired
from lianxin.testing import factories as f

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def test_cases_finished_longer_ago_than_the_retention_period_are_anonymised(
    worker_a, community_a, resident_a, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(datetime.datetime(2022, 3, 1, 9, tzinfo=SHANGHAI), tick=False):
        old = f.case(
            actor=worker_a,
            community=community_a,
            reporter_resident=resident_a,
            address="甲社区3号楼",
        )
        services.case_note(
            actor=worker_a,
            case=old,
            note="现场照片",
            attachments=[
                SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff\xe0jpeg", content_type="image/jpeg")
            ],
        )
        services.case_feedback(actor=worker_a, case=old, summary="已处理", method="phone")
        services.rating_record_callback(
            actor=worker_a,
            case=old,
            resolved=True,
            satisfaction=5,
            method="phone",
            called_at=datetime.datetime(2022, 3, 1, 9, tzinfo=SHANGHAI),
            comment="王阿姨说谢谢",
        )
    with time_machine.travel(datetime.datetime(2024, 3, 1, 9, tzinfo=SHANGHAI), tick=False):
        recent = f.case(actor=worker_a, community=community_a, reporter_phone="13700137000")
        services.case_withdraw(actor=worker_a, case=recent, reason="居民自行解决")
    stored = Attachment.objects.get().file.path
    with time_machine.travel(datetime.datetime(2026, 6, 1, 9, tzinfo=SHANGHAI), tick=False):
        assert anonymise_expired() == 1
        assert anonymise_expired() == 0
    old.refresh_from_db()
    assert (
        old.reporter_resident,
        old.reporter_name,
        old.reporter_phone_masked,
        old.address,
        old.description,
    ) == (None, "", "", "", "—")
    assert old.status == "closed" and old.ratings.get().satisfaction == 5
    assert not Attachment.objects.exists() and not (tmp_path / stored).exists()
    assert "王阿姨" not in " ".join(e.text for e in old.events.all())
    recent.refresh_from_db()
    assert recent.reporter_phone_masked == "137****7000"


def test_the_command_counts_without_changing_on_a_dry_run(worker_a, community_a, capsys):
    with time_machine.travel(datetime.datetime(2020, 3, 1, 9, tzinfo=SHANGHAI), tick=False):
        case = f.case(actor=worker_a, community=community_a)
        services.case_reject(actor=worker_a, case=case, reason="不属于受理范围")
    call_command("retention", "--dry-run")
    assert Case.objects.get().reporter_name == "测试居民"
    call_command("retention")
    assert Case.objects.get().reporter_name == ""
